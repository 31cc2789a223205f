/**
 * A Redis lock around the link job's decide-and-write step. Two records of one new person
 * arriving together must not both decide "new": each record locks the stripes of its blocking
 * key values, so any two records that could be candidates for each other (they share a blocking
 * key value) take turns, while unrelated records link in parallel.
 *
 * Each stripe is `SET NX PX` with a random token, all of a record's stripes taken at once or
 * none (one script, so two records never deadlock); only the owner's token releases a stripe.
 * Keys hold a stripe number, never a key value (blocking values contain names and dates of
 * birth). The expiry frees the stripes of a crashed worker; the encounter's state-guarded write
 * keeps a late writer harmless.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** Number of lock stripes blocking values hash into. */
export const LOCK_STRIPES = 4096;
/** How long a held lock lives if its owner dies (ms). */
export const LOCK_TTL_MS = 5_000;
/** How long to wait for a lock before giving up (the job is then retried with backoff). */
export const LOCK_WAIT_MS = 15_000;

const ACQUIRE = `
for i = 1, #KEYS do
  if not redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
    for j = 1, i - 1 do redis.call('DEL', KEYS[j]) end
    return 0
  end
end
return 1`;

const RELEASE = `
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then n = n + redis.call('DEL', KEYS[i]) end
end
return n`;

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
  const token = randomBytes(16).toString('hex');
  const ttl = opts.ttlMs ?? LOCK_TTL_MS;
  const deadline = Date.now() + (opts.waitMs ?? LOCK_WAIT_MS);
  let pause = 5;
  for (;;) {
    const got = (await opts.redis.eval(ACQUIRE, keys.length, ...keys, token, String(ttl))) as number;
    if (got === 1) break;
    if (Date.now() > deadline) throw new LinkLockTimeoutError('link lock not acquired in time');
    await sleep(pause + Math.floor(Math.random() * pause));
    pause = Math.min(pause * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await opts.redis.eval(RELEASE, keys.length, ...keys, token);
  }
}
