import type { Processor } from '../context';

/** Redis hash of worker process → last heartbeat (ms), shown on the admin system page. */
export function heartbeatKey(redisPrefix: string): string {
  return `${redisPrefix}:workers:heartbeat`;
}

/** Records that a worker process is alive and taking jobs. */
export const heartbeat: Processor = async (_job, ctx) => {
  const key = heartbeatKey(ctx.redisPrefix);
  const now = Date.now();
  await ctx.redis.multi().hset(key, `pid:${process.pid}`, String(now)).pexpire(key, 10 * 60_000).exec();
  return { at: now };
};
