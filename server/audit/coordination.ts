/**
 * Taking turns at the audit chain's tail across processes. The server and the workers append to
 * one chain; racing for each `seq` (the store's unique index lets one win, the other re-reads the
 * tail and tries again) costs the loser a refused insert and a read, and with both busy most
 * appends lost once. With Redis registered here, a process holds a short lock while it appends,
 * and learns from Redis whether it was the last to write: if so, the tail it remembers is the
 * chain's; if not, it reads the tail from the store. No lost races, and never a tail taken on
 * trust from Redis: a store restored from a backup under a Redis that outlived it cannot be
 * chained onto a tail the store no longer has (a restarted process remembers nothing).
 *
 * Only a hint: the unique `seq` index still decides. A lock not had within LOCK_WAIT_MS (its
 * holder died, Redis is down) is gone without. Keys hold a random writer id and a number.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { lockToken } from '../redisLock';
import { redisScript } from '../redisScript';

/** How long a held lock lives if its holder dies (ms). */
export const LOCK_TTL_MS = 2_000;
/** How long to wait for the lock before appending without it (ms). */
export const LOCK_WAIT_MS = 2_000;

/** Takes the lock (KEYS[1]) and returns the last writer's mark (KEYS[2]; '' if none), or nil if the lock is held. */
const ACQUIRE = redisScript(`if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('GET', KEYS[2]) or '' end return false`);
/** Stores the new last writer's mark (ARGV[2], unless empty) and releases the lock if ARGV[1] still holds it. */
const RELEASE = redisScript(`if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 1`);

/** This process's writer id: random, so a restarted process is never taken for its predecessor. */
const WRITER = randomBytes(9).toString('base64url');

type Registration = { redis: Redis; lockKey: string; markKey: string };
const registrations: Registration[] = [];

/** Appends of this process take turns through this Redis; the returned function stops it. */
export function useAuditCoordination(redis: Redis, redisPrefix: string): () => void {
  const mine = { redis, lockKey: `{${redisPrefix}}:audit:lock`, markKey: `{${redisPrefix}}:audit:last` };
  registrations.push(mine);
  return () => {
    const i = registrations.indexOf(mine);
    if (i >= 0) registrations.splice(i, 1);
  };
}

/** A held turn, and whether this process wrote last (at `seq` of `db`). */
export interface Turn {
  wroteLast(db: string, seq: number): boolean;
  /**
   * Where the last writer (any process) says the chain of `db` ends, or null when Redis does not
   * know: a hint for finding the tail by its position, never taken as the tail itself.
   */
  lastSeq(db: string): number | null;
  /** Records this process as the last writer (at `seq` of `db`; null: left as it was) and releases the lock. */
  release(written: { db: string; seq: number } | null): Promise<void>;
}

/**
 * Waits for this process's turn at the tail; null when no Redis is registered, Redis fails, or
 * the turn did not come within LOCK_WAIT_MS (the caller then appends without one).
 */
export async function takeTurn(): Promise<Turn | null> {
  const reg = registrations[registrations.length - 1];
  if (!reg) return null;
  const token = lockToken();
  const deadline = Date.now() + LOCK_WAIT_MS;
  let pause = 1;
  try {
    for (;;) {
      const mark = (await ACQUIRE(reg.redis, [reg.lockKey, reg.markKey], [token, String(LOCK_TTL_MS)])) as string | null;
      if (mark !== null) {
        return {
          wroteLast: (db, seq) => mark === `${WRITER}|${db}|${seq}`,
          lastSeq: (db) => {
            const [, markDb, seq] = mark.split('|');
            const n = Number(seq);
            return markDb === db && Number.isSafeInteger(n) && n > 0 ? n : null;
          },
          release: async (written) => {
            await RELEASE(reg.redis, [reg.lockKey, reg.markKey], [token, written ? `${WRITER}|${written.db}|${written.seq}` : '']).catch(() => undefined);
          },
        };
      }
      if (Date.now() > deadline) return null;
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 8);
    }
  } catch {
    return null;
  }
}
