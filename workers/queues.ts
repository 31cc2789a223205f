/**
 * Every queue's name and default job options, in one place. Job payloads carry ids only, never
 * personal data: Redis holds them in clear text.
 */
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';

/** Queue names. */
export const QUEUE_NAMES = {
  system: 'system',
  imports: 'imports',
  /** One `linkEncounter` job per stored encounter (job id = encounter id). */
  linkage: 'linkage',
  /** Detection per person (deduplicated while waiting), alert notifications through the outbox. */
  alerts: 'alerts',
  /** Out-of-hours routing, escalation steps (delayed jobs), shift handover. */
  escalation: 'escalation',
  /** Conference reminders and room housekeeping. */
  conferences: 'conferences',
  /**
   * Long passes over stored records (re-keying encounters for new blocking keys), one at a time
   * and apart from the system queue, whose heartbeat and sweeps must not wait behind them.
   */
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * Retries with exponential backoff (2 s, 4 s, 8 s, ...); completed jobs kept for a day (at most
 * 1,000); failed jobs kept until an admin retries or clears them, so nothing fails silently.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: false,
};

/** BullMQ key prefix for a deployment (hash-tagged so Redis Cluster keeps a queue on one slot). */
export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}}:bull`;
}

/** Opens a queue with the project defaults. */
export function openQueue(name: string, connection: ConnectionOptions, redisPrefix: string): Queue {
  return new Queue(name, { connection, prefix: bullPrefix(redisPrefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
}
