/** What every command handler receives. */
import type { Document } from 'bson';
import type { Cursors } from '../cursors';
import type { Engine } from '../engine';
import { namespaceNotFound } from '../errors';
import type { Collection } from '../collection';

export interface CommandContext {
  engine: Engine;
  cursors: Cursors;
  /** Database the command addresses ($db). */
  db: string;
  connectionId: number;
}

export type Handler = (body: Document, ctx: CommandContext) => Document;

/** The collection named by the command's first field, if it exists. */
export function target(body: Document, ctx: CommandContext): Collection | undefined {
  return ctx.engine.collection(ctx.db, collName(body));
}

export function collName(body: Document): string {
  for (const k in body) return String(body[k]);
  return String(undefined);
}

export function requireColl(body: Document, ctx: CommandContext): Collection {
  const c = target(body, ctx);
  if (!c) throw namespaceNotFound(`ns does not exist: ${ctx.db}.${collName(body)}`);
  return c;
}

/** A number option from a command (int32, double or Long). */
export function num(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  const n = Number((v as { toNumber?: () => number }).toNumber?.() ?? v);
  return Number.isFinite(n) ? n : fallback;
}
