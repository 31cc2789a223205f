/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full only when Redis does not have it yet
 * (after a restart or SCRIPT FLUSH): the locks on every ingest's path send a 40-character digest
 * instead of their text, and Redis runs the compiled script instead of hashing the text again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisScript = (redis: Redis, keys: readonly string[], args: readonly string[]) => Promise<unknown>;

export function redisScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

/** This process's random part of lock tokens: a restarted process never holds its predecessor's tokens. */
const PROCESS_PART = randomBytes(12).toString('base64url');
let counter = 0;

/** A token unique to one holding of a lock, across processes and within this one. */
export function lockToken(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PROCESS_PART}.${counter.toString(36)}`;
}
