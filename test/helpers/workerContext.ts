/**
 * A worker context for calling a processor directly in a test (as a worker would), with queues
 * opened on demand under the test's prefix. Call `closeQueues()` in afterAll.
 */
import type { Queue } from 'bullmq';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import type { WorkerContext } from '../../workers/context';
import { openQueue } from '../../workers/queues';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from './redis';
import { testDbUri } from './db';

export function directContext(base: Omit<WorkerContext, 'queue'>): WorkerContext & { closeQueues(): Promise<void> } {
  const queues = new Map<string, Queue>();
  return {
    ...base,
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = openQueue(name, { url: TEST_REDIS_URL, maxRetriesPerRequest: null } as never, base.redisPrefix);
        queues.set(name, q);
      }
      return q;
    },
    async closeQueues() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

/**
 * The usual set-up of a file that calls processors directly: a fresh database connected as the
 * default mongoose connection, a Redis client and a direct worker context under a unique prefix,
 * all torn down (database dropped, keys removed) after the file. `dbUri` is set once connected.
 */
export function useWorkerEnv(label: string, extra: Pick<WorkerContext, 'realtime'> = {}) {
  const prefix = uniquePrefix(label);
  const redis = new Redis(TEST_REDIS_URL);
  const env = { prefix, redis, ctx: directContext({ redis, logger: createLogger('silent'), redisPrefix: prefix, ...extra }), dbUri: '' };
  beforeAll(async () => {
    env.dbUri = testDbUri(label);
    await mongoose.connect(env.dbUri);
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  });
  afterAll(async () => {
    await env.ctx.closeQueues();
    await closeRedis(redis);
    await cleanupPrefix(prefix);
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return env;
}
