/**
 * A worker context for calling a processor directly in a test (as a worker would), with queues
 * opened on demand under the test's prefix. Call `closeQueues()` in afterAll.
 */
import type { Queue } from 'bullmq';
import type { WorkerContext } from '../../workers/context';
import { openQueue } from '../../workers/queues';
import { TEST_REDIS_URL } from './redis';

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
