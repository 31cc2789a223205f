import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppContext } from '../context';
import { RateLimitError } from '../errors';

/** A named Redis-backed limiter; `consume(key)` throws RateLimitError when the budget is spent. */
export interface Limiter {
  consume(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Builds a limiter of `points` per `durationSeconds`, shared by every server process. */
export function redisLimiter(ctx: AppContext, name: string, points: number, durationSeconds: number): Limiter {
  const limiter = new RateLimiterRedis({
    storeClient: ctx.redis,
    keyPrefix: `${ctx.config.redisPrefix}:rl:${name}`,
    points,
    duration: durationSeconds,
  });
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw new RateLimitError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
        throw err;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
