/**
 * Sequence numbers for a conference's messages, allocated in Redis: one INCR per message, shared
 * by every server process, so storing a message is a single write to the database. The counter is
 * seeded from the database the first time it is needed (and again should Redis lose it): never
 * below the highest sequence number stored. Seeding can race with a message already counted but
 * not yet stored; the unique (conference, seq) index turns that into a duplicate-key error and
 * postMessage asks for the next number.
 *
 * Every process that posts messages must allocate here (postMessage requires it): mixing this with
 * any other allocator would hand out the same number twice.
 */
import type { Redis } from 'ioredis';
import { redisScript } from '../redisScript';
import type { Types } from 'mongoose';
import { Conference } from '../models/Conference';
import { ConferenceMessage } from '../models/ConferenceMessage';

/** Counters of conferences not written to for this long are dropped (seeded again if needed). */
const IDLE_TTL_S = 14 * 24 * 3600;

/** INCR only when the counter exists (else nil: the caller seeds it). */
const NEXT = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local v = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return v`);

/** Seeds the counter to at least ARGV[2], then INCR. */
const SEED_NEXT = redisScript(`
local floor = tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur < floor then redis.call('SET', KEYS[1], floor) end
local v = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return v`);

export interface ConferenceSequence {
  /**
   * The next sequence number of the conference. `reseed` first raises the counter to the highest
   * number stored (after a duplicate-key error: the counter was behind the database).
   */
  next(conferenceId: Types.ObjectId, options?: { reseed?: boolean }): Promise<number>;
  /** The highest number handed out so far (0 when none, or not known to Redis). */
  current(conferenceId: Types.ObjectId): Promise<number>;
}

/** The highest sequence number the database holds for a conference. */
async function storedFloor(conferenceId: Types.ObjectId): Promise<number> {
  const [last, conference] = await Promise.all([
    ConferenceMessage.findOne({ conferenceId }, { seq: 1 }).sort({ seq: -1 }).lean(),
    Conference.findById(conferenceId, { lastSeq: 1 }).lean(),
  ]);
  return Math.max(last?.seq ?? 0, conference?.lastSeq ?? 0);
}

/** The sequence for one deployment (its Redis and key prefix). */
export function redisSequence(redis: Redis, redisPrefix: string): ConferenceSequence {
  const key = (id: Types.ObjectId) => `${redisPrefix}:conference:${String(id)}:seq`;
  return {
    async next(conferenceId, options = {}) {
      const k = key(conferenceId);
      if (!options.reseed) {
        const fast = (await NEXT(redis, [k], [String(IDLE_TTL_S)])) as number | null;
        if (fast !== null) return Number(fast);
      }
      return Number(await SEED_NEXT(redis, [k], [String(IDLE_TTL_S), String(await storedFloor(conferenceId))]));
    },
    async current(conferenceId) {
      return Number((await redis.get(key(conferenceId))) ?? 0);
    },
  };
}

const perContext = new WeakMap<object, ConferenceSequence>();

/** The sequence of an app context (its Redis and prefix), made once per context. */
export function conferenceSequence(ctx: { redis: Redis; config: { redisPrefix: string } }): ConferenceSequence {
  let found = perContext.get(ctx);
  if (!found) {
    found = redisSequence(ctx.redis, ctx.config.redisPrefix);
    perContext.set(ctx, found);
  }
  return found;
}
