import type { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import type { Logger } from '../server/logger';

/** What a processor may use. */
export interface WorkerContext {
  redis: Redis;
  logger: Logger;
  redisPrefix: string;
}

/** A job handler: reloads what it needs, returns early if the world moved on, is safe to retry. */
export type Processor = (job: Job, ctx: WorkerContext) => Promise<unknown>;

/** One queue's processors, keyed by job name, and how many jobs run at once. */
export interface QueueRegistration {
  queue: string;
  concurrency: number;
  processors: Record<string, Processor>;
}
