/**
 * Turns what a caller says about an audited action into the plain object the log stores, checked
 * against the same rules as the AuditEvent schema (models/AuditEvent.ts): unknown fields refused
 * (no free text slips in under another name), codes and lengths checked, ids cast to ObjectIds
 * and references to strings, empty parts left out. Every audited action passes through here, so
 * it is written out rather than built as a mongoose document and validated (about 25 times
 * cheaper); test/audit/record.test.ts holds it to the schema's verdict and stored shape.
 */
import { Types } from 'mongoose';
import { AUDIT_OUTCOMES, AUDIT_RULES } from '../models/AuditEvent';
import type { AuditInput } from './log';

/** An audit input the schema would refuse; `path` names the offending field. */
export class AuditInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`AuditEvent validation failed: ${path}: ${message}`);
    this.name = 'AuditInputError';
  }
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Types.ObjectId) && !(v instanceof Date);
}

function objectId(path: string, v: unknown): Types.ObjectId {
  if (v instanceof Types.ObjectId) return v;
  if (typeof v === 'string' && /^[0-9a-f]{24}$/i.test(v)) return new Types.ObjectId(v);
  throw new AuditInputError(path, 'Cast to ObjectId failed');
}

/** A string field: strings as they are, ObjectIds and finite numbers as text (as the schema casts them). */
function text(path: string, v: unknown, rule: { max?: number; match?: RegExp }): string {
  const s = typeof v === 'string' ? v : v instanceof Types.ObjectId ? v.toHexString() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  if (s === undefined) throw new AuditInputError(path, 'Cast to string failed');
  if (rule.max !== undefined && s.length > rule.max) throw new AuditInputError(path, `longer than ${rule.max} characters`);
  if (rule.match && !rule.match.test(s)) throw new AuditInputError(path, 'is invalid');
  return s;
}

/** Copies the allowed fields of one part (an unknown field throws); undefined and absent are left out. */
function part(path: string, v: unknown, fields: Record<string, (p: string, x: unknown) => unknown>): Plain | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlain(v)) throw new AuditInputError(path, 'Cast to Object failed');
  const out: Plain = {};
  for (const [k, x] of Object.entries(v)) {
    const field = fields[k];
    if (!field) throw new AuditInputError(`${path ? `${path}.` : ''}${k}`, 'Path is not in schema and strict mode is set to throw');
    const value = x === null ? null : x === undefined ? undefined : field(`${path ? `${path}.` : ''}${k}`, x);
    // Left out rather than set to undefined, which the driver would store as null.
    if (value !== undefined) out[k] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const code = (p: string, x: unknown) => text(p, x, { match: AUDIT_RULES.code });
const roles = (p: string, x: unknown) => {
  if (!Array.isArray(x)) throw new AuditInputError(p, 'Cast to [string] failed');
  return x.map((r, i) => text(`${p}.${i}`, r, {}));
};

const ACTOR = { userId: objectId, apiClientId: objectId, agencyId: objectId, roles };
const SUBJECT = { type: code, id: (p: string, x: unknown) => text(p, x, { max: 100 }), personId: objectId };
const BASIS = { kind: code, ref: (p: string, x: unknown) => text(p, x, { max: 100 }) };
const TOP = {
  at: (p: string, x: unknown) => {
    const d = x instanceof Date ? x : new Date(x as string);
    if (Number.isNaN(d.getTime())) throw new AuditInputError(p, 'Cast to date failed');
    return d;
  },
  actor: (p: string, x: unknown) => part(p, x, ACTOR),
  action: (p: string, x: unknown) => text(p, x, { max: 64, match: AUDIT_RULES.action }),
  subject: (p: string, x: unknown) => part(p, x, SUBJECT),
  purpose: code,
  outcome: (p: string, x: unknown) => {
    if (!(AUDIT_OUTCOMES as readonly unknown[]).includes(x)) throw new AuditInputError(p, `\`${String(x)}\` is not a valid enum value`);
    return x;
  },
  reason: (p: string, x: unknown) => text(p, x, { max: 300 }),
  basis: (p: string, x: unknown) => part(p, x, BASIS),
  requestId: (p: string, x: unknown) => text(p, x, { max: 100 }),
};

/**
 * The stored form of one audit input, without its place in the chain (`seq`, `prevHash` and
 * `hash` are set when it is written). Throws AuditInputError for anything the schema refuses.
 */
export function auditRecord(input: AuditInput): Plain {
  const out: Plain = { _id: new Types.ObjectId(), ...part('', { ...input, at: input.at ?? new Date() }, TOP) };
  for (const required of ['action', 'outcome'] as const) if (out[required] == null) throw new AuditInputError(required, 'Path is required');
  const subject = out.subject as Plain | undefined;
  if (subject?.type == null) throw new AuditInputError('subject.type', 'Path is required');
  for (const k of ['actor', 'subject', 'basis']) if (out[k] === null) delete out[k];
  return out;
}
