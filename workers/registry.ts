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
import { linkEncounterProcessor } from './processors/linkEncounter';
import { detectAlertsProcessor } from './processors/detectAlerts';
import { resolveDuty } from '../server/duty/options';
import { notifyAlert } from './processors/notifyAlert';
import { alertOutboxSweep } from './processors/alertOutboxSweep';
import { linkSweep } from './processors/linkSweep';
import { rekeyEncounters } from './processors/rekeyEncounters';
import { escalationProcessors, HANDOVER_SWEEP } from './processors/escalation';
import { conferenceActionReminders } from './processors/conferenceActionReminders';

/** Duty settings for the routing done where alerts are raised (the escalation queue's processors resolve their own). */
const duty = resolveDuty();

export const REGISTRY: QueueRegistration[] = [
  { queue: QUEUE_NAMES.system, concurrency: 1, processors: { heartbeat, auditCheckpoint, consentExpiry, alertOutboxSweep, linkSweep } },
  { queue: QUEUE_NAMES.imports, concurrency: 1, processors: { importEncounters } },
  { queue: QUEUE_NAMES.linkage, concurrency: 16, processors: { linkEncounter: linkEncounterProcessor(duty) } },
  { queue: QUEUE_NAMES.alerts, concurrency: 4, processors: { detectAlerts: detectAlertsProcessor(duty), notifyAlert } },
  // Out-of-hours routing, escalation steps, reminders, shift handover, email and webhook deliveries.
  { queue: QUEUE_NAMES.escalation, concurrency: 4, processors: escalationProcessors() },
  // Conference actions: remind owners before they fall due, flag overdue ones to the chair.
  { queue: QUEUE_NAMES.conferences, concurrency: 1, processors: { conferenceActionReminders } },
  // Re-keying stored encounters: a pass over the whole collection, kept off the system queue.
  { queue: QUEUE_NAMES.maintenance, concurrency: 1, processors: { rekeyEncounters } },
];

/** Repeating jobs every worker deployment keeps scheduled (idempotent upserts). */
export const SCHEDULES: { queue: string; id: string; everyMs: number; name: string }[] = [
  { queue: QUEUE_NAMES.system, id: 'heartbeat', everyMs: 30_000, name: 'heartbeat' },
  { queue: QUEUE_NAMES.system, id: 'auditCheckpoint', everyMs: 5 * 60_000, name: 'auditCheckpoint' },
  { queue: QUEUE_NAMES.system, id: 'consentExpiry', everyMs: 60 * 60_000, name: 'consentExpiry' },
  { queue: QUEUE_NAMES.system, id: 'alertOutboxSweep', everyMs: 30_000, name: 'alertOutboxSweep' },
  { queue: QUEUE_NAMES.system, id: 'linkSweep', everyMs: 60_000, name: 'linkSweep' },
  { queue: QUEUE_NAMES.escalation, id: HANDOVER_SWEEP, everyMs: 60_000, name: HANDOVER_SWEEP },
  { queue: QUEUE_NAMES.conferences, id: 'conferenceActionReminders', everyMs: 15 * 60_000, name: 'conferenceActionReminders' },
];
