/**
 * The explicit map from queues and job names to processors. Nothing is discovered by scanning
 * folders: adding a job kind means adding a line here.
 */
import type { QueueRegistration } from './context';
import { QUEUE_NAMES } from './queues';
import { heartbeat } from './processors/heartbeat';
import { auditCheckpoint } from './processors/auditCheckpoint';
import { importEncounters } from './processors/importEncounters';
import { consentExpiry } from './processors/consentExpiry';

export const REGISTRY: QueueRegistration[] = [
  { queue: QUEUE_NAMES.system, concurrency: 1, processors: { heartbeat, auditCheckpoint, consentExpiry } },
  { queue: QUEUE_NAMES.imports, concurrency: 1, processors: { importEncounters } },
];

/** Repeating jobs every worker deployment keeps scheduled (idempotent upserts). */
export const SCHEDULES: { queue: string; id: string; everyMs: number; name: string }[] = [
  { queue: QUEUE_NAMES.system, id: 'heartbeat', everyMs: 30_000, name: 'heartbeat' },
  { queue: QUEUE_NAMES.system, id: 'auditCheckpoint', everyMs: 5 * 60_000, name: 'auditCheckpoint' },
  { queue: QUEUE_NAMES.system, id: 'consentExpiry', everyMs: 60 * 60_000, name: 'consentExpiry' },
];
