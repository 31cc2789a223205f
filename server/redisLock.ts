/**
 * A lock over one or more Redis keys: each key `SET NX PX` with a random token, all taken at once
 * or none (one script, so two holders of overlapping key sets never deadlock); only the owner's
 * token releases a key, and the expiry frees the keys of an owner that died. Used by the link
 * job's lock on blocking values and by the per-person detection lock (the audit writers' turn,
 * server/audit/coordination.ts, takes its tokens from here too).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { redisScript } from './redisScript';

const ACQUIRE = redisScript(`
for i = 1, #KEYS do
  if not redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
    for j = 1, i - 1 do redis.call('DEL', KEYS[j]) end
    return 0
  end
end
return 1`);

const RELEASE = redisScript(`
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then n = n + redis.call('DEL', KEYS[i]) end
end
return n`);

/** This process's random part of lock tokens: a restarted process never holds its predecessor's tokens. */
const PROCESS_PART = randomBytes(12).toString('base64url');
let counter = 0;

/** A token unique to one holding of a lock, across processes and within this one. */
export function lockToken(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS_PART}.${counter.toString(36)}`;
}

/** Takes every key if all are free; returns the token that releases them, or null. */
export async function tryLock(redis: Redis, keys: readonly string[], ttlMs: number): Promise<string | null> {
  const token = lockToken();
  const got = (await ACQUIRE(redis, keys, [token, String(ttlMs)])) as number;
  return got === 1 ? token : null;
}

/** Releases the keys `token` still holds (keys that expired and were taken by another are left alone). */
export async function releaseLock(redis: Redis, keys: readonly string[], token: string): Promise<void> {
  await RELEASE(redis, keys, [token]);
}

/**
 * Waits for the keys (backing off from 5 ms to 100 ms between tries) and returns the token, or
 * null once `waitMs` has passed.
 */
export async function waitForLock(redis: Redis, keys: readonly string[], ttlMs: number, waitMs: number): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    const token = await tryLock(redis, keys, ttlMs);
    if (token !== null) return token;
    if (Date.now() > deadline) return null;
    await sleep(pause + Math.floor(Math.random() * pause));
    pause = Math.min(pause * 2, 100);
  }
}
