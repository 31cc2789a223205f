/**
 * Closing-time handover: an alert raised in hours that is still open and unacknowledged when its
 * agency closes (the end of the working day, or the start of a weekend or bank holiday) goes to
 * the level-1 duty manager on call, exactly as if it had been raised at that moment out of hours:
 * the same `routeAlert` code, the same acknowledgement deadline by severity and the same
 * escalation ladder of delayed steps.
 *
 * Why a delayed job per alert rather than a repeating sweep: it is the shape escalation already
 * has (one delayed job per deadline), it fires at the closing minute rather than up to a sweep
 * interval late, and nothing runs between closings. When routing records an alert as in hours, it
 * adds a `closingHandover` job due at that agency's next closing time, with the id
 * `closing-<alertId>-<closing instant in ms>`: adding it again (a retry, a severity rise, a second
 * worker) is a no-op, and the routing it triggers is the state-guarded update of `routeAlert`
 * (`routedTo.mode: 'in_hours'` → `'out_of_hours'`), so it happens once however many workers run
 * the job. The job re-reads the alert and re-decides at run time: acknowledged, assigned, closed or
 * already with the duty manager, it does nothing; if the hours changed and the agency is still
 * open, routing schedules the next closing instead. Limits: a job scheduled before the hours were
 * shortened fires at the old, later closing time; an alert routed in hours before this job existed
 * is not swept up.
 */
import { DelayedError, type Job } from 'bullmq';
import { domainConfig, hoursFor, type AgencyKind } from '../../config/domain';
import { Alert, type AlertRecord } from '../models/Alert';
import { isOutOfHours, type HoursConfig } from '../commands/hours';
import { QUEUE_NAMES } from '../../workers/queues';
import type { NotifyDeps } from '../notify/dispatch';
import { ackDeadlineMs, routedOutOfHours } from './ladder';
import { addDays, localReading, weekdayOf, zonedInstant } from './localTime';
import type { routeAlert } from './router';

/** Job name on the escalation queue. */
export const CLOSING_HANDOVER = 'closingHandover';

/** How far ahead a closing time is looked for (a schedule that never closes has none). */
const LOOKAHEAD_DAYS = 21;

/** Job data: an id and an instant only. */
export interface ClosingJobData {
  alertId: string;
  /** ISO instant at which the agency closes. */
  closesAt: string;
}

/** The BullMQ job id of an alert's handover at one closing time. */
export function closingJobId(alertId: string, closesAt: Date): string {
  return `closing-${alertId}-${closesAt.getTime()}`;
}

/**
 * The first instant after `now` at which the agency is out of hours: the end of an open range not
 * followed at once by another, or a local midnight that starts a closed day or a bank holiday.
 * Each candidate is judged by `isOutOfHours` itself, so routing and this agree to the minute, in
 * GMT and BST alike. Null when the agency does not close within three weeks.
 */
export function nextClosing(now: Date, agency: { code?: string; kind?: AgencyKind }, hours: HoursConfig = {}): Date | null {
  const { schedule, timezone } = hoursFor(agency, hours.businessHours ?? domainConfig().businessHours);
  const today = localReading(now, timezone).date;
  const candidates: Date[] = [];
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const date = addDays(today, i);
    const midnightAfter = zonedInstant(addDays(date, 1), '00:00', timezone);
    for (const range of schedule.weekly[weekdayOf(date)]) candidates.push(range.end === '24:00' ? midnightAfter : zonedInstant(date, range.end, timezone));
    candidates.push(midnightAfter);
  }
  return candidates.filter((c) => c.getTime() > now.getTime()).sort((a, b) => a.getTime() - b.getTime()).find((c) => isOutOfHours(c, agency, hours)) ?? null;
}

/**
 * Called by routing when it finds an open alert in hours: adds the delayed handover for the
 * agency's next closing time, when an alert of this severity goes to the duty manager out of
 * hours. Resolves with the closing time, or null when nothing was scheduled.
 */
export async function scheduleClosingHandover(deps: NotifyDeps, alert: Pick<AlertRecord, '_id' | 'severity'>, agency: { code?: string; kind?: AgencyKind }, now: Date): Promise<Date | null> {
  const escalation = deps.duty.escalation;
  if (!routedOutOfHours(escalation, alert.severity) || ackDeadlineMs(escalation, alert.severity) === null) return null;
  const closesAt = nextClosing(now, agency, deps.duty.hours);
  if (!closesAt) return null;
  const alertId = String(alert._id);
  await deps.queue(QUEUE_NAMES.escalation).add(
    CLOSING_HANDOVER,
    { alertId, closesAt: closesAt.toISOString() } satisfies ClosingJobData,
    { jobId: closingJobId(alertId, closesAt), delay: Math.max(0, closesAt.getTime() - now.getTime()) },
  );
  return closesAt;
}

export type ClosingOutcome =
  | { outcome: 'routed'; userIds: string[]; deadline: Date }
  | { outcome: 'skipped'; reason: string };

/**
 * The `closingHandover` job. `route` is `routeAlert` (handed in by the processor, so this module
 * and the router do not import each other at run time). Early by the injected clock (clock skew
 * between hosts), the job waits for the closing time: a moment before it the agency is open.
 */
export async function runClosingHandover(deps: NotifyDeps, job: Job<ClosingJobData>, route: typeof routeAlert): Promise<ClosingOutcome> {
  const { alertId } = job.data;
  const due = new Date(job.data.closesAt);
  const now = deps.duty.now();
  if (now.getTime() < due.getTime()) {
    await job.moveToDelayed(Date.now() + (due.getTime() - now.getTime()), job.token);
    throw new DelayedError();
  }
  const alert = await Alert.findById(alertId).select('status acknowledgedAt routedTo').lean();
  if (!alert) return { outcome: 'skipped', reason: 'not_found' };
  if (alert.routedTo?.mode !== 'in_hours') return { outcome: 'skipped', reason: 'not_in_hours' };
  if (alert.status !== 'open' || alert.acknowledgedAt) return { outcome: 'skipped', reason: 'not_open' };
  const result = await route(deps, alertId, { atClosing: true });
  switch (result.outcome) {
    case 'out_of_hours':
      return { outcome: 'routed', userIds: result.userIds, deadline: result.deadline };
    case 'skipped':
      // `already_routed`: the agency is open after all (its hours changed); routing scheduled the next closing.
      return { outcome: 'skipped', reason: result.reason === 'already_routed' ? 'still_in_hours' : result.reason };
    default:
      return { outcome: 'skipped', reason: result.outcome };
  }
}
