/**
 * Display names of staff and agencies for conference events, cached briefly in each process so a
 * busy room does not look them up for every message. Names are not access decisions: those are
 * made afresh for every event.
 */
import { trusted } from 'mongoose';
import { Agency } from '../models/Agency';
import { User } from '../models/User';

/** How long a looked-up name is reused. */
const TTL_MS = 60_000;

const users = new Map<string, { name: string; at: number }>();
const agencies = new Map<string, { name: string; at: number }>();

async function fill(cache: Map<string, { name: string; at: number }>, ids: string[], load: (ids: string[]) => Promise<{ id: string; name: string }[]>) {
  const now = Date.now();
  const missing = [...new Set(ids)].filter((id) => {
    const hit = cache.get(id);
    return !hit || now - hit.at > TTL_MS;
  });
  if (missing.length === 0) return;
  for (const row of await load(missing)) cache.set(row.id, { name: row.name, at: now });
}

export interface Names {
  user(id: unknown): string;
  agency(id: unknown): string;
}

/** Looks up (or reuses) the names of the given users and agencies. */
export async function lookupNames(userIds: readonly unknown[], agencyIds: readonly unknown[]): Promise<Names> {
  await Promise.all([
    fill(users, userIds.map(String), async (ids) =>
      (await User.find({ _id: trusted({ $in: ids }) }, { name: 1 })).map((u) => ({ id: u.id as string, name: u.name })),
    ),
    fill(agencies, agencyIds.map(String), async (ids) =>
      (await Agency.find({ _id: trusted({ $in: ids }) }, { name: 1 })).map((a) => ({ id: a.id as string, name: a.name })),
    ),
  ]);
  return {
    user: (id) => users.get(String(id))?.name ?? 'A former participant',
    agency: (id) => agencies.get(String(id))?.name ?? 'Another agency',
  };
}
