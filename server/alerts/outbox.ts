/**
 * The alert outbox: an alert is written first, with `outbox.version` saying how many rounds of
 * notification it needs and `outbox.pendingSince` set; the detection run that wrote it sends the
 * round at once and records `outbox.sentVersion`. A round that run could not send goes to a notify
 * job (job id from the alert id and version, retried with backoff); the sweeper re-queues any
 * alert with a round pending too long (the process died before sending, a job lost with Redis, or
 * one that failed for good). The delivery ledger makes re-sending harmless. Routing is done by the
 * same run, with a routing job as its retry path; the sweeper also queues routing for a recent
 * alert that was never routed.
 */
import type { Queue } from 'bullmq';
import { trusted } from 'mongoose';
import { Alert } from '../models/Alert';
import { QUEUE_NAMES } from '../../workers/queues';

/** Job name of a notification round. */
export const NOTIFY_JOB = 'notifyAlert';
/** Job name of a routing decision (in hours / out of hours), handled by the duty workers. */
export const ROUTE_JOB = 'routeAlert';

/** Job data: ids only. */
export interface NotifyJobData {
  alertId: string;
  version: number;
}

/** How long a round may stay unsent before the sweeper queues it again. */
export const SWEEP_AFTER_MS = 30_000;

/** Queues a notification round (a second add of the same round is a no-op). */
export async function enqueueNotify(queue: (name: string) => Queue, alertId: string, version: number, attempt?: string): Promise<void> {
  const jobId = attempt ? `notify-${alertId}-${version}-${attempt}` : `notify-${alertId}-${version}`;
  await queue(QUEUE_NAMES.alerts).add(NOTIFY_JOB, { alertId, version } satisfies NotifyJobData, { jobId });
}

/** Asks the duty workers to route the alert (once per alert and severity). */
export async function enqueueRoute(queue: (name: string) => Queue, alertId: string, severity: string): Promise<void> {
  await queue(QUEUE_NAMES.escalation).add(ROUTE_JOB, { alertId }, { jobId: `route-${alertId}-${severity}` });
}

/** Re-queues every round that has waited longer than SWEEP_AFTER_MS; returns how many. */
export async function sweepOutbox(queue: (name: string) => Queue, now = new Date()): Promise<number> {
  const lagging = await Alert.find({ 'outbox.pendingSince': trusted({ $lt: new Date(now.getTime() - SWEEP_AFTER_MS) }) }, { outbox: 1 })
    .limit(500)
    .lean();
  for (const a of lagging) {
    await Alert.updateOne({ _id: a._id }, { $set: { 'outbox.pendingSince': now } });
    await enqueueNotify(queue, String(a._id), a.outbox?.version ?? 1, `sweep${now.getTime()}`);
  }
  return lagging.length;
}

/** How far back the sweeper looks for alerts left unrouted (older ones had their chance). */
export const ROUTE_SWEEP_WINDOW_MS = 10 * 60_000;

/**
 * Queues routing for open alerts raised more than SWEEP_AFTER_MS ago that were never routed (the
 * process that raised one died before routing it); returns how many. The job id is the routing's
 * own (`route-<alertId>-<severity>`), so an alert is queued once however many sweeps see it.
 */
export async function sweepUnrouted(queue: (name: string) => Queue, now = new Date()): Promise<number> {
  const unrouted = await Alert.find(
    { status: 'open', 'routedTo.mode': null, createdAt: trusted({ $lt: new Date(now.getTime() - SWEEP_AFTER_MS), $gte: new Date(now.getTime() - ROUTE_SWEEP_WINDOW_MS) }) },
    { severity: 1 },
  )
    .limit(500)
    .lean();
  for (const a of unrouted) await enqueueRoute(queue, String(a._id), a.severity);
  return unrouted.length;
}
