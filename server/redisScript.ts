/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full only when Redis does not have it yet
 * (after a restart or SCRIPT FLUSH): the locks on every ingest's path send a 40-character digest
 * instead of their text, and Redis runs the compiled script instead of hashing the text again.
 */
import { createHash } from 'node:crypto';
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
