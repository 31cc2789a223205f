/**
 * The steps people take on an alert: acknowledge, assign, note, close. Each is one state-guarded
 * update that also appends to the alert's timeline, so two people acting at once cannot both
 * "win" and nothing is half-written. Audit and socket hints are the caller's (the route's) job.
 */
import { trusted, type Types } from 'mongoose';
import { Alert, type AlertDoc } from '../models/Alert';
import type { UserDoc } from '../models/User';
import { ConflictError, ValidationError } from '../errors';
import { canSeeAlert } from '../policies/alerts';
import { User } from '../models/User';

/** How an alert can be closed. */
export const CLOSE_OUTCOMES = [
  'no_further_action',
  'referred',
  'care_plan_updated',
  'conference_held',
  'consent_sought',
  'lawful_decision_recorded',
  'duplicate',
  'other',
] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

function entry(user: UserDoc, kind: string, now: Date, extra: { text?: string | null; detail?: object | null } = {}) {
  return { at: now, kind, actorUserId: user._id, actorAgencyId: user.agencyId, text: extra.text ?? null, detail: extra.detail ?? null };
}

/** Moves an open alert to acknowledged; a second acknowledgement is a 409 naming the state. */
export async function acknowledgeAlert(alert: AlertDoc, user: UserDoc, now = new Date()): Promise<AlertDoc> {
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: 'open' },
    { $set: { status: 'acknowledged', acknowledgedBy: user._id, acknowledgedAt: now }, $push: { timeline: entry(user, 'acknowledged', now) } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('alert_not_open', 'This alert has already been acknowledged or closed; reload to see who acted.');
  return updated;
}

/**
 * Gives the alert to someone who can see it (it moves to "in review"); assigning an alert nobody
 * acknowledged also acknowledges it.
 */
export async function assignAlert(alert: AlertDoc, user: UserDoc, assigneeId: Types.ObjectId, now = new Date()): Promise<AlertDoc> {
  const assignee = await User.findOne({ _id: assigneeId, disabled: trusted({ $ne: true }) });
  if (!assignee || !canSeeAlert(assignee, alert)) {
    throw new ValidationError('userId: cannot be given this alert (not in its audience)', { field: 'userId' });
  }
  const ack = alert.status === 'open' ? { acknowledgedBy: user._id, acknowledgedAt: now } : {};
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: trusted({ $in: ['open', 'acknowledged', 'in_review'] }) },
    { $set: { status: 'in_review', assignedTo: assignee._id, ...ack }, $push: { timeline: entry(user, 'assigned', now, { detail: { userId: assignee.id as string } }) } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('alert_not_assignable', 'This alert is closed or in a conference; reload to see its state.');
  return updated;
}

/** Adds a note to the timeline (any state but closed). */
export async function noteAlert(alert: AlertDoc, user: UserDoc, text: string, now = new Date()): Promise<AlertDoc> {
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: trusted({ $ne: 'closed' }) },
    { $push: { timeline: entry(user, 'note', now, { text }) } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('alert_closed', 'This alert is closed.');
  return updated;
}

/** Closes the alert with an outcome; a new detection for the same rule will raise a new alert. */
export async function closeAlert(alert: AlertDoc, user: UserDoc, outcome: CloseOutcome, note: string | null, now = new Date()): Promise<AlertDoc> {
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: trusted({ $ne: 'closed' }) },
    {
      $set: { status: 'closed', outcome: { code: outcome, note, closedBy: user._id, closedAt: now } },
      $unset: { openKey: 1 },
      $push: { timeline: entry(user, 'closed', now, { text: note, detail: { outcome } }) },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('alert_closed', 'This alert is already closed.');
  return updated;
}
