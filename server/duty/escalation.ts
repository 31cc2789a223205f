/**
 * Escalation: when a step's deadline passes unacknowledged, the next rung of the ladder on call
 * is told (job `escalateAlert`, one delayed job per step, id = alert + round + level). Each step
 * is one state-guarded update on `escalations: {$size: k - 1}`, so it happens once however many
 * workers run the job or a duty manager escalates by hand at the same moment. Acknowledging
 * cancels pending steps (`cancelEscalations`), but the processor re-reads the alert anyway and
 * does nothing once it is acknowledged or closed.
 */
import { DelayedError, type Job, type Queue } from 'bullmq';
import { trusted, type Types } from 'mongoose';
import { Alert, type AlertDoc } from '../models/Alert';
import type { UserDoc } from '../models/User';
import { ConflictError } from '../errors';
import { QUEUE_NAMES } from '../../workers/queues';
import { notifyAlert, type NotifyDeps } from '../notify/dispatch';
import { ackDeadlineMs, ladder, MAX_RENOTIFY, reNotifyAfterMs, reNotifyJobId, stepJobId, type Step } from './ladder';
import { auditSystem, LIVE_STATUSES, queueChanged } from './alertFacts';
import { onCallAt, type Segment } from './rota';
import { ESCALATE_ALERT, scheduleStep } from './router';
import { resolveDuty, type Duty, type DutyOptions } from './options';

/** Job name of the "acknowledged, nothing done since" reminder. */
export const RENOTIFY_ALERT = 'reNotifyAlert';

/** A job that fires this much before its deadline (clock skew between hosts) still counts as due. */
const DUE_TOLERANCE_MS = 250;

export type EscalateOutcome =
  | { outcome: 'escalated'; step: number; level: number; userIds: string[] }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'rescheduled' };

/** Who is on call at the first step from `from` on that has anyone; null when nobody is on any. */
async function firstOnCall(duty: Duty, agencyId: Types.ObjectId, steps: Step[], from: number, at: Date): Promise<{ index: number; onCall: Segment } | null> {
  for (let i = from; i < steps.length; i++) {
    const onCall = await onCallAt(agencyId, steps[i].level.id, at, duty.rota);
    if (onCall) return { index: i, onCall };
  }
  return null;
}

/**
 * Moves the alert from step k - 1 to step k (or past rungs nobody is on call for, recording each),
 * tells whoever is now responsible, and schedules the next step. `expectDeadline` guards an
 * automatic step against a deadline that moved; `actor` marks a manual escalation.
 */
async function escalateTo(deps: NotifyDeps, alert: AlertDoc, k: number, now: Date, opts: { expectDeadline?: Date | null; actor?: UserDoc }): Promise<EscalateOutcome> {
  const steps = ladder(deps.duty.escalation);
  if (k >= steps.length) return { outcome: 'skipped', reason: 'top_of_ladder' };
  const agencyId = alert.routedTo?.agencyId as Types.ObjectId;
  const found = await firstOnCall(deps.duty, agencyId, steps, k, now);
  const reached = found?.index ?? k;
  const userIds = found ? [found.onCall.userId] : [];
  const entries = steps.slice(k, reached + 1).map((s, i) => ({ level: s.level.rank, at: now, userIds: i === reached - k ? userIds : [] }));
  const step = steps[reached];
  const ackMs = ackDeadlineMs(deps.duty.escalation, alert.severity) ?? 0;
  const deadline = new Date(now.getTime() + ackMs);
  const guard: Record<string, unknown> = {
    _id: alert._id,
    'routedTo.mode': 'out_of_hours',
    escalations: trusted({ $size: k - 1 }),
    ...(opts.actor ? { status: trusted({ $in: [...LIVE_STATUSES] }) } : { status: 'open', acknowledgedAt: null, ackDeadline: opts.expectDeadline ?? null }),
  };
  const updated = await Alert.findOneAndUpdate(
    guard,
    {
      $set: { 'routedTo.userIds': userIds, 'routedTo.level': step.level.rank, ackDeadline: deadline },
      $push: {
        escalations: { $each: entries },
        timeline: {
          at: now,
          kind: 'escalated',
          actorUserId: opts.actor?._id ?? null,
          actorAgencyId: opts.actor?.agencyId ?? null,
          detail: { level: step.level.rank, levelId: step.level.id, round: step.round, step: reached, manual: Boolean(opts.actor), skipped: reached - k, nobodyOnCall: !found },
        },
      },
    },
    { returnDocument: 'after' },
  );
  if (!updated) return { outcome: 'skipped', reason: 'raced' };
  const alertId = String(alert._id);
  await auditSystem(opts.actor ? 'alert.escalate_manual' : 'alert.escalate', updated, `step=${reached} level=${step.level.rank} round=${step.round} on_call=${userIds.length}`, now);
  await notifyAlert(deps, {
    alertId, severity: updated.severity, reason: `escalation:r${step.round}:${step.level.id}`, deadline, level: step.level.rank, userIds, webhookAgencyId: String(agencyId),
  });
  if (!found) {
    // Nobody on any remaining rung: every duty manager of the agency is told in-app.
    deps.realtime?.emit(`agency:${String(agencyId)}:role:duty_manager`, 'alert:routed', { id: alertId, severity: updated.severity, reason: 'nobody_on_call', deadline: deadline.toISOString() });
  }
  queueChanged(deps.realtime, agencyId, alertId);
  await scheduleStep(deps, alertId, reached + 1, deadline);
  return { outcome: 'escalated', step: reached, level: step.level.rank, userIds };
}

/** Arms the first "acknowledged, nothing done" reminder (same job id: armed once). */
export async function armReNotify(queue: Queue, alert: AlertDoc, duty: Duty): Promise<void> {
  const after = reNotifyAfterMs(duty.escalation, alert.severity);
  if (after === null || !alert.acknowledgedAt || alert.status !== 'acknowledged') return;
  const delay = Math.max(0, alert.acknowledgedAt.getTime() + after - duty.now().getTime());
  await queue.add(RENOTIFY_ALERT, { alertId: String(alert._id), n: 1 }, { jobId: reNotifyJobId(String(alert._id), 1), delay });
}

/** Moves a job back to the delayed set until `due` (by the injected clock) and ends this run. */
async function waitUntil(job: Job, due: Date, now: Date): Promise<never> {
  await job.moveToDelayed(Date.now() + Math.max(0, due.getTime() - now.getTime()), job.token);
  throw new DelayedError();
}

/** The `escalateAlert` job: step `step` of the ladder for one alert, at its deadline. */
export async function runEscalationStep(deps: NotifyDeps, job: Job<{ alertId: string; step: number }>): Promise<EscalateOutcome> {
  const { alertId, step: k } = job.data;
  const now = deps.duty.now();
  const alert = await Alert.findById(alertId);
  if (!alert || alert.routedTo?.mode !== 'out_of_hours') return { outcome: 'skipped', reason: 'not_out_of_hours' };
  if (alert.status !== 'open' || alert.acknowledgedAt) {
    await armReNotify(deps.queue(QUEUE_NAMES.escalation), alert, deps.duty);
    return { outcome: 'skipped', reason: 'acknowledged' };
  }
  const at = alert.escalations.length;
  if (at >= k) {
    // Done already (a retry, another worker, or by hand): make sure the step after it is waiting.
    if (alert.ackDeadline) await scheduleStep(deps, alertId, at + 1, alert.ackDeadline);
    return { outcome: 'skipped', reason: 'step_done' };
  }
  if (at < k - 1) return { outcome: 'skipped', reason: 'step_not_reached' };
  if (alert.ackDeadline && alert.ackDeadline.getTime() > now.getTime() + DUE_TOLERANCE_MS) return waitUntil(job, alert.ackDeadline, now);
  return escalateTo(deps, alert, k, now, { expectDeadline: alert.ackDeadline });
}

/** A duty manager escalates now to the next rung, without waiting for the deadline. */
export async function escalateByHand(deps: NotifyDeps, alert: AlertDoc, actor: UserDoc): Promise<AlertDoc> {
  if (alert.routedTo?.mode !== 'out_of_hours') throw new ConflictError('not_out_of_hours', 'Only out-of-hours alerts with the duty manager can be escalated.');
  const result = await escalateTo(deps, alert, alert.escalations.length + 1, deps.duty.now(), { actor });
  if (result.outcome !== 'escalated') {
    throw result.outcome === 'skipped' && result.reason === 'top_of_ladder'
      ? new ConflictError('top_of_ladder', 'This alert is already at the top of the escalation ladder.')
      : new ConflictError();
  }
  return (await Alert.findById(alert._id)) as AlertDoc;
}

/** Whether anyone acted on an alert after acknowledging it (a note, assignment, conference or close). */
export function actedSinceAck(alert: AlertDoc): boolean {
  const ackAt = alert.acknowledgedAt?.getTime() ?? Infinity;
  if (alert.conferenceId) return true;
  return alert.timeline.some((e) => ['note', 'assigned', 'conference_scheduled', 'closed'].includes(e.kind) && e.at.getTime() >= ackAt);
}

/** The `reNotifyAlert` job: the n-th reminder to whoever acknowledged an alert nobody has acted on. */
export async function runReNotify(deps: NotifyDeps, job: Job<{ alertId: string; n: number }>): Promise<{ outcome: string }> {
  const { alertId, n } = job.data;
  const now = deps.duty.now();
  const alert = await Alert.findById(alertId);
  const after = alert ? reNotifyAfterMs(deps.duty.escalation, alert.severity) : null;
  if (!alert || alert.status !== 'acknowledged' || !alert.acknowledgedAt || !alert.acknowledgedBy || after === null) return { outcome: 'moved_on' };
  if (actedSinceAck(alert)) return { outcome: 'acted' };
  const due = new Date(alert.acknowledgedAt.getTime() + n * after);
  if (due.getTime() > now.getTime() + DUE_TOLERANCE_MS) return waitUntil(job, due, now);
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: 'acknowledged', acknowledgedAt: alert.acknowledgedAt, timeline: trusted({ $not: { $elemMatch: { kind: 're_notified', 'detail.n': n } } }) },
    { $push: { timeline: { at: now, kind: 're_notified', detail: { n, userId: String(alert.acknowledgedBy) } } } },
    { returnDocument: 'after' },
  );
  if (!updated) return { outcome: 'done_already' };
  await auditSystem('alert.re_notify', updated, `n=${n}`, now);
  await notifyAlert(deps, {
    alertId, severity: updated.severity, reason: `re_notify:${n}`, deadline: null, level: updated.routedTo?.level ?? null,
    userIds: [String(alert.acknowledgedBy)], webhookAgencyId: null, channels: ['in_app', 'email'],
  });
  if (n < MAX_RENOTIFY) {
    const delay = Math.max(0, alert.acknowledgedAt.getTime() + (n + 1) * after - now.getTime());
    await deps.queue(QUEUE_NAMES.escalation).add(RENOTIFY_ALERT, { alertId, n: n + 1 }, { jobId: reNotifyJobId(alertId, n + 1), delay });
  }
  return { outcome: 're_notified' };
}

/**
 * Called by the acknowledge command once the acknowledgement is stored: removes the alert's
 * pending escalation steps and arms the "nothing done since" reminder. A step that is already
 * running cannot be removed; it re-reads the alert and stops by itself.
 */
export async function cancelEscalations(queue: (name: string) => Queue, alertId: string, options: DutyOptions = {}): Promise<void> {
  const duty = resolveDuty(options);
  const q = queue(QUEUE_NAMES.escalation);
  for (const step of ladder(duty.escalation)) {
    try {
      await q.remove(stepJobId(alertId, step));
    } catch {
      // Locked by a worker that is running it: that run sees the acknowledgement and does nothing.
    }
  }
  const alert = await Alert.findById(alertId);
  if (alert) await armReNotify(q, alert, duty);
}

export { ESCALATE_ALERT };
