/**
 * A Redis lock around the link job's decide-and-write step. Two records of one new person
 * arriving together must not both decide "new": each record locks the stripes of its blocking
 * key values, so any two records that could be candidates for each other (they share a blocking
 * key value) take turns, while unrelated records link in parallel.
 *
 * A record's stripes are taken at once or not at all (server/redisLock.ts), so two records never
 * deadlock; only the owner releases them. Keys hold a stripe number, never a key value (blocking values contain names and dates of
 * birth). The expiry frees the stripes of a crashed worker; the encounter's state-guarded write
 * keeps a late writer harmless.
 */
import type { Redis } from 'ioredis';
import { releaseLock, waitForLock } from '../redisLock';

/** Number of lock stripes blocking values hash into. */
export const LOCK_STRIPES = 4096;
/** How long a held lock lives if its owner dies (ms). */
export const LOCK_TTL_MS = 5_000;
/** How long to wait for a lock before giving up (the job is then retried with backoff). */
export const LOCK_WAIT_MS = 15_000;

/** Thrown when the lock could not be taken in time (a retryable failure). */
export class LinkLockTimeoutError extends Error {}

/** FNV-1a of a string, as a stripe number. */
function stripeOf(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return (h >>> 0) % LOCK_STRIPES;
}

/** The lock keys for a record's blocking values (hash-tagged: one Redis Cluster slot per deployment). */
export function lockKeys(redisPrefix: string, blockingValues: readonly string[]): string[] {
  const stripes = [...new Set(blockingValues.filter((v) => v !== '').map(stripeOf))].sort((a, b) => a - b);
  // A record with no blocking values still takes one lock, so its own retries serialise.
  if (stripes.length === 0) stripes.push(LOCK_STRIPES);
  return stripes.map((s) => `{${redisPrefix}}:linklock:${s}`);
}

/** Where the lock lives and how long to wait. */
export interface LinkLockOptions {
  redis: Redis;
  redisPrefix: string;
  ttlMs?: number;
  waitMs?: number;
}

/** Runs `fn` holding the lock for the blocking values; throws LinkLockTimeoutError if it cannot be had. */
export async function withLinkLock<T>(opts: LinkLockOptions, blockingValues: readonly string[], fn: () => Promise<T>): Promise<T> {
  const keys = lockKeys(opts.redisPrefix, blockingValues);
  const token = await waitForLock(opts.redis, keys, opts.ttlMs ?? LOCK_TTL_MS, opts.waitMs ?? LOCK_WAIT_MS);
  if (token === null) throw new LinkLockTimeoutError('link lock not acquired in time');
  try {
    return await fn();
  } finally {
    await releaseLock(opts.redis, keys, token);
  }
}
