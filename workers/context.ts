import type { Redis } from 'ioredis';
import type { Job, Queue } from 'bullmq';
import type { Logger } from '../server/logger';
import type { RealtimeControl } from '../server/context';

/** What a processor may use. */
export interface WorkerContext {
  redis: Redis;
  logger: Logger;
  redisPrefix: string;
  /** Folder for signed audit checkpoints and their key (config.auditDir); checkpoint jobs skip without it. */
  auditDir?: string;
  /** Sends small hints to sockets on any server process (through the Socket.io Redis adapter). */
  realtime?: Pick<RealtimeControl, 'emit'>;
  /** A queue by name, to add follow-on jobs (opened once per process, closed with the workers). */
  queue(name: string): Queue;
}

/** A job handler: reloads what it needs, returns early if the world moved on, is safe to retry. */
export type Processor = (job: Job, ctx: WorkerContext) => Promise<unknown>;

/** One queue's processors, keyed by job name, and how many jobs run at once. */
export interface QueueRegistration {
  queue: string;
  concurrency: number;
  processors: Record<string, Processor>;
}
