/**
 * One version number for the facts behind access decisions (consents, decisions to share,
 * agreements, conference participants and status, API clients), kept in
 * Redis so every server and worker process sees the same one. Every write to those models through
 * mongoose bumps it before the write's promise resolves (models/sharingChanges.ts), so a cache of
 * sharing facts that checks the version before each use never serves facts older than a write
 * that has already been acknowledged to anyone.
 *
 * Without a registered Redis (tools, or after a failed bump) there is no version and callers load
 * the facts afresh. Writes made outside the app (by hand in the database) bump nothing: caches
 * also expire their entries after CACHE_MAX_AGE_MS as a backstop.
 */
import type { Redis } from 'ioredis';
import { onSharingFactsChanged } from '../models/sharingChanges';

/** The longest a cached set of sharing facts is used, whatever the version says. */
export const CACHE_MAX_AGE_MS = 10_000;

type Registration = { redis: Redis; key: string };
/** Registrations in order (a process may run a server and workers); the latest is used. */
const registrations: Registration[] = [];
/** After a failed bump this process trusts no version until then. */
let distrustUntil = 0;

const active = (): Registration | undefined => registrations[registrations.length - 1];

async function bump(): Promise<void> {
  const current = active();
  if (!current) return;
  try {
    await current.redis.incr(current.key);
  } catch {
    // The write itself is stored; other processes' caches expire within CACHE_MAX_AGE_MS.
    distrustUntil = Date.now() + CACHE_MAX_AGE_MS;
  }
}

/** Starts versioning with this Redis and key prefix; the returned function stops it. */
export function useSharingVersion(redis: Redis, redisPrefix: string): () => void {
  const mine = { redis, key: `${redisPrefix}:sharing:version` };
  registrations.push(mine);
  onSharingFactsChanged(bump);
  return () => {
    const i = registrations.indexOf(mine);
    if (i >= 0) registrations.splice(i, 1);
    if (registrations.length === 0) onSharingFactsChanged(null);
  };
}

/** The current version, or null when cached facts must not be used. */
export async function sharingVersion(): Promise<string | null> {
  const current = active();
  if (!current || Date.now() < distrustUntil) return null;
  try {
    return (await current.redis.get(current.key)) ?? '0';
  } catch {
    return null;
  }
}

/**
 * A small cache of loaded facts keyed by a caller's key, valid while the version is unchanged and
 * for at most CACHE_MAX_AGE_MS. `load` runs when there is no usable entry (or no version).
 */
export function versionedCache<T>(limit = 5_000): (key: string, load: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, { version: string; at: number; value: T }>();
  return async (key, load) => {
    const version = await sharingVersion();
    if (version === null) return load();
    const hit = entries.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < CACHE_MAX_AGE_MS) return hit.value;
    // Read the version before loading: a write during the load leaves a newer version, so this
    // entry is never used after it.
    const value = await load();
    if (entries.size >= limit) entries.clear();
    entries.set(key, { version, at: Date.now(), value });
    return value;
  };
}
