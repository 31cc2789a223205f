import { z } from 'zod';
import { QUEUE_NAMES } from '../../../workers/queues';

const queueName = z.enum(Object.values(QUEUE_NAMES) as [string, ...string[]]);

/** `:queue` path parameter. */
export const QueueParams = z.object({ queue: queueName }).strict();

/** `:queue/:jobId` path parameters. */
export const JobParams = z.object({ queue: queueName, jobId: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/) }).strict();

/** Paging for the failed list. */
export const FailedQuery = z
  .object({ start: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(25) })
  .strict();
