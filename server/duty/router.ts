/**
 * Routing an alert when it is raised or its severity rises (job `routeAlert`, id
 * `route-<alertId>-<severity>`). In hours, or below escalation.json `outOfHoursMinSeverity`, the
 * panel is told by the alert pipeline and routing only records `in_hours`. Out of hours it goes
 * to the level-1 duty manager on call for the alert's agency (or the shared rota), with an
 * acknowledgement deadline by severity, and a delayed job waits for that deadline. An alert found
 * open in hours gets a delayed `closingHandover` job at its agency's closing time, which routes it
 * here again then if nobody has acknowledged it (server/duty/closing.ts).
 */
import { trusted } from 'mongoose';
import { agencyFactsFor } from '../commands/agencyFacts';
import { Alert, pushTimeline, type AlertRecord } from '../models/Alert';
import { asObjectId } from '../models/objectId';
import { isOutOfHours, type HoursConfig } from '../commands/hours';
import { QUEUE_NAMES } from '../../workers/queues';
import { notifyAlert, type NotifyDeps } from '../notify/dispatch';
import { ackDeadlineMs, ladder, routedOutOfHours, stepJobId } from './ladder';
import { alertAgencyId, auditSystem, queueChanged } from './alertFacts';
import { onCallAt } from './rota';
import { scheduleClosingHandover } from './closing';
import type { AgencyKind } from '../../config/domain';

/** Job name on the escalation queue. */
export const ROUTE_ALERT = 'routeAlert';
/** Job name of an escalation step. */
export const ESCALATE_ALERT = 'escalateAlert';

export type RouteOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'in_hours'; outOfHours: boolean }
  | { outcome: 'out_of_hours'; userIds: string[]; deadline: Date }
  | { outcome: 'deadline_shortened'; deadline: Date };

/** The pure decision: where an alert of this severity raised at `now` for this agency goes. */
export function decideRoute(
  now: Date,
  agency: { code?: string; kind?: AgencyKind },
  severity: string,
  escalation: NotifyDeps['duty']['escalation'],
  hours: HoursConfig = {},
): { mode: 'in_hours'; outOfHours: boolean } | { mode: 'out_of_hours'; ackMs: number } {
  const outOfHours = isOutOfHours(now, agency, hours);
  const ackMs = ackDeadlineMs(escalation, severity);
  if (!outOfHours || !routedOutOfHours(escalation, severity) || ackMs === null) return { mode: 'in_hours', outOfHours };
  return { mode: 'out_of_hours', ackMs };
}

/** Adds the delayed job for ladder step `index`, due at `deadline` (same id: added once). */
export async function scheduleStep(deps: NotifyDeps, alertId: string, index: number, deadline: Date): Promise<void> {
  const step = ladder(deps.duty.escalation)[index];
  if (!step) return;
  const delay = Math.max(0, deadline.getTime() - deps.duty.now().getTime());
  await deps.queue(QUEUE_NAMES.escalation).add(ESCALATE_ALERT, { alertId, step: index }, { jobId: stepJobId(alertId, step), delay });
}

/** How a routing was triggered. */
export interface RouteOptions {
  /** By the closing-time handover of an alert raised in hours (recorded on the timeline and in the audit). */
  atClosing?: boolean;
  /** The alert as its caller has just written it (the detection run that raised it), not read again. */
  alert?: AlertRecord;
}

/**
 * Routes (or re-routes after a severity rise) one alert. Safe to repeat. The routing writes go
 * through the driver (one per raised alert): their values are built here, the timestamp by hand.
 */
export async function routeAlert(deps: NotifyDeps, alertId: string, opts: RouteOptions = {}): Promise<RouteOutcome> {
  const now = deps.duty.now();
  const alert = opts.alert ?? (await Alert.findById(alertId).lean<AlertRecord>());
  if (!alert) return { outcome: 'skipped', reason: 'not_found' };
  if (alert.status !== 'open' || alert.acknowledgedAt) return { outcome: 'skipped', reason: 'not_open' };
  const agencyId = alertAgencyId(alert);
  const agency = agencyId ? await agencyFactsFor(agencyId) : null;
  if (!agencyId || !agency) return { outcome: 'skipped', reason: 'no_agency' };

  const decision = decideRoute(now, { code: agency.code, kind: agency.kind }, alert.severity, deps.duty.escalation, deps.duty.hours);
  const mode = alert.routedTo?.mode ?? null;

  if (decision.mode === 'in_hours') {
    // Open now: if nobody acknowledges it by closing time, it goes to the duty manager then.
    if (!decision.outOfHours && mode !== 'out_of_hours') await scheduleClosingHandover(deps, alert, agency, now);
    if (mode !== null) return { outcome: 'skipped', reason: 'already_routed' };
    const done = await Alert.collection.findOneAndUpdate(
      { _id: alert._id, 'routedTo.mode': null },
      {
        $set: { routedTo: { mode: 'in_hours', agencyId: asObjectId(agencyId), userIds: [], level: null }, updatedAt: now },
        ...pushTimeline({ at: now, kind: 'routed', detail: { mode: 'in_hours', outOfHours: decision.outOfHours, severity: alert.severity } }),
      },
      { returnDocument: 'after' },
    ) as AlertRecord | null;
    if (!done) return { outcome: 'skipped', reason: 'raced' };
    await auditSystem('alert.route', done, `in_hours out_of_hours=${decision.outOfHours}`, now);
    return { outcome: 'in_hours', outOfHours: decision.outOfHours };
  }

  if (mode === 'out_of_hours') return shortenDeadline(deps, alert, now, decision.ackMs);

  const first = ladder(deps.duty.escalation)[0];
  const onCall = await onCallAt(agencyId, first.level.id, now, deps.duty.rota);
  const userIds = onCall ? [onCall.userId] : [];
  // Nobody on call at level 1: the first escalation step is due at once.
  const deadline = new Date(now.getTime() + (onCall ? decision.ackMs : 0));
  const routed = await Alert.collection.findOneAndUpdate(
    { _id: alert._id, status: 'open', acknowledgedAt: null, 'routedTo.mode': mode, escalations: { $size: 0 } },
    {
      $set: { routedTo: { mode: 'out_of_hours', agencyId: asObjectId(agencyId), userIds: userIds.map(asObjectId), level: first.level.rank }, ackDeadline: deadline, updatedAt: now },
      ...pushTimeline({
        at: now,
        kind: 'routed',
        detail: {
          mode: 'out_of_hours', level: first.level.rank, levelId: first.level.id, severity: alert.severity, shared: onCall?.shared ?? false, nobodyOnCall: !onCall,
          ...(opts.atClosing ? { atClosing: true } : {}),
        },
      }),
    },
    { returnDocument: 'after' },
  ) as AlertRecord | null;
  if (!routed) return { outcome: 'skipped', reason: 'raced' };
  // The record, the notice and the next step's timer are independent writes: made together.
  await Promise.all([
    auditSystem('alert.route', routed, `out_of_hours level=${first.level.rank} on_call=${userIds.length}${opts.atClosing ? ' at_closing' : ''}`, now),
    notifyAlert(deps, { alertId, severity: routed.severity, reason: 'routed', deadline, level: first.level.rank, userIds, webhookAgencyId: String(agencyId) }),
    scheduleStep(deps, alertId, 1, deadline),
  ]);
  queueChanged(deps.realtime, agencyId, alertId);
  return { outcome: 'out_of_hours', userIds, deadline };
}

/** A severity rise on an alert already with the duty manager: bring its deadline forward if the new one is sooner. */
async function shortenDeadline(deps: NotifyDeps, alert: AlertRecord, now: Date, ackMs: number): Promise<RouteOutcome> {
  const sooner = new Date(now.getTime() + ackMs);
  if (!alert.ackDeadline || alert.ackDeadline <= sooner) return { outcome: 'skipped', reason: 'deadline_unchanged' };
  const step = alert.escalations.length;
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: 'open', acknowledgedAt: null, ackDeadline: alert.ackDeadline, escalations: trusted({ $size: step }) },
    { $set: { ackDeadline: sooner } },
    { returnDocument: 'after' },
  ).lean<AlertRecord>();
  if (!updated) return { outcome: 'skipped', reason: 'raced' };
  const next = ladder(deps.duty.escalation)[step + 1];
  if (next) {
    const job = await deps.queue(QUEUE_NAMES.escalation).getJob(stepJobId(String(alert._id), next));
    if (job && (await job.isDelayed())) await job.changeDelay(Math.max(0, sooner.getTime() - now.getTime()));
  }
  await notifyAlert(deps, {
    alertId: String(alert._id), severity: updated.severity, reason: `routed:${updated.severity}`, deadline: sooner,
    level: updated.routedTo?.level ?? null, userIds: (updated.routedTo?.userIds ?? []).map(String), webhookAgencyId: updated.routedTo?.agencyId ? String(updated.routedTo.agencyId) : null,
  });
  queueChanged(deps.realtime, updated.routedTo?.agencyId, String(alert._id));
  return { outcome: 'deadline_shortened', deadline: sooner };
}
