/**
 * One detection run per person at a time. Two runs for one person at once could let the older
 * evidence write last (run A reads three records, run B four; B updates the alert, then A puts
 * its three back), so a run holds a per-person Redis lock (server/redisLock.ts: released only by
 * its owner, freed by its expiry if the owner dies).
 *
 * The link job tries the lock once and, holding it, evaluates the person there and then (no
 * second job between a record being linked and its alert); a link job that finds the lock taken
 * queues the deduplicated detection job instead, which waits for the lock, so the latest evidence
 * is evaluated after the run in progress. Keys hold the person id (no personal data).
 */
import type { Redis } from 'ioredis';
import { releaseLock, tryLock, waitForLock } from '../redisLock';

/** How long a held lock lives if its owner dies (ms): far longer than a run takes. */
export const DETECTION_LOCK_TTL_MS = 30_000;
/** How long a queued run waits for the lock before it is retried with backoff (ms). */
export const DETECTION_LOCK_WAIT_MS = 10_000;

/** Where the lock lives. */
export interface DetectionLockOptions {
  redis: Redis;
  redisPrefix: string;
  ttlMs?: number;
}

/** Thrown when a queued run could not take the lock in time (a retryable failure). */
export class DetectionLockTimeoutError extends Error {}

function keyOf(redisPrefix: string, personId: string): string {
  return `{${redisPrefix}}:detectlock:${personId}`;
}

/** Takes the person's lock if it is free; returns the token that releases it, or null. */
export function tryDetectionLock(opts: DetectionLockOptions, personId: string): Promise<string | null> {
  return tryLock(opts.redis, [keyOf(opts.redisPrefix, personId)], opts.ttlMs ?? DETECTION_LOCK_TTL_MS);
}

/** Releases the lock if `token` still holds it (an expired lock another run took is left alone). */
export function releaseDetectionLock(opts: DetectionLockOptions, personId: string, token: string): Promise<void> {
  return releaseLock(opts.redis, [keyOf(opts.redisPrefix, personId)], token);
}

/** Runs `fn` holding the lock, waiting for it up to `waitMs`; throws DetectionLockTimeoutError after. */
export async function withDetectionLock<T>(opts: DetectionLockOptions & { waitMs?: number }, personId: string, fn: () => Promise<T>): Promise<T> {
  const token = await waitForLock(opts.redis, [keyOf(opts.redisPrefix, personId)], opts.ttlMs ?? DETECTION_LOCK_TTL_MS, opts.waitMs ?? DETECTION_LOCK_WAIT_MS);
  if (token === null) throw new DetectionLockTimeoutError('detection lock not acquired in time');
  try {
    return await fn();
  } finally {
    await releaseDetectionLock(opts, personId, token);
  }
}
