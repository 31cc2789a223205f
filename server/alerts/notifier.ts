/**
 * In-app notification of an alert's audience: every active user of the audience agencies holding
 * an audience role is told once (the delivery ledger row is claimed before the socket hint is
 * sent), and every audience room gets a `alert:changed` hint so open inboxes refresh. Hints carry
 * the alert id and severity only: the client fetches the rest through the permission-checked API.
 */
import type { Types } from 'mongoose';
import { Alert, pushTimeline, type AlertDoc } from '../models/Alert';
import { asObjectId } from '../models/objectId';
import { AlertDelivery } from '../models/AlertDelivery';
import { claimDelivery } from '../notify/dispatch';
import { User } from '../models/User';
import type { RealtimeControl } from '../context';

/** A user told of an alert. */
export interface Recipient {
  _id: unknown;
  agencyId: unknown;
}

/** Users who are told of the alert (its audience, active accounts only). */
export async function audienceUsers(alert: Pick<AlertDoc, 'audience'>): Promise<Recipient[]> {
  const audience = alert.audience;
  if (!audience || audience.agencyIds.length === 0 || audience.roles.length === 0) return [];
  // Raw driver: read for every raised alert; the filter holds the alert's own ids and role codes.
  return User.collection
    .find<Recipient>({ agencyId: { $in: audience.agencyIds.map(asObjectId) }, roles: { $in: [...audience.roles] }, disabled: { $ne: true } }, { projection: { _id: 1, agencyId: 1 } })
    .toArray();
}

/**
 * Writes the recipient's in-app ledger row as sent; false when a row was there already (told
 * before). The hint follows the write at once, so the row says "sent" from the start; a "pending"
 * row left by an interrupted older round is claimed instead, so that recipient is still told.
 */
async function claimInApp(alertId: Types.ObjectId, recipient: string, now: Date): Promise<boolean> {
  const { row, claimed } = await claimDelivery(alertId, recipient, 'in_app', 'raised', { status: 'sent', sentAt: now, attempts: 1 });
  if (claimed) return true;
  if (row.status !== 'pending') return false;
  const taken = await AlertDelivery.findOneAndUpdate({ _id: row._id, status: 'pending' }, { $set: { status: 'sent', sentAt: now }, $inc: { attempts: 1 } });
  return taken !== null;
}

/** What a notification round reads of an alert (a plain object). */
export type NotifiedAlert = Pick<AlertDoc, '_id' | 'outbox' | 'status' | 'audience' | 'severity' | 'updatedAt' | 'routedTo' | 'assignedTo'>;

/** Sends one round; returns how many users were told for the first time. */
export async function notifyInApp(alertId: string, version: number, realtime: Pick<RealtimeControl, 'emit'> | undefined, now = new Date()): Promise<{ told: number; skipped: boolean }> {
  const alert = await Alert.findById(alertId, { outbox: 1, status: 1, audience: 1, severity: 1, updatedAt: 1, routedTo: 1, assignedTo: 1 }).lean<NotifiedAlert>();
  if (!alert) return { told: 0, skipped: true };
  return sendRound(alert, version, realtime, now);
}

/**
 * Sends round `version` of an alert the caller holds as it was just written (the detection run
 * that raised or widened it sends the round at once, without reading it again); a round already
 * recorded as sent is skipped. Safe to repeat: the ledger tells each recipient once. `recipients`:
 * the audience's users as the caller read them while writing the alert (null, or a failed read:
 * read them here).
 */
export async function sendRound(
  alert: NotifiedAlert,
  version: number,
  realtime: Pick<RealtimeControl, 'emit'> | undefined,
  now = new Date(),
  recipients?: Promise<Recipient[] | null>,
): Promise<{ told: number; skipped: boolean }> {
  if ((alert.outbox?.sentVersion ?? 0) >= version) return { told: 0, skipped: true };
  let told = 0;
  if (alert.status !== 'closed') {
    const users = (recipients ? await recipients : null) ?? (await audienceUsers(alert));
    // Each recipient's ledger row is claimed on its own (together), and told as soon as it is.
    await Promise.all(
      users.map(async (user) => {
        if (!(await claimInApp(alert._id, String(user._id), now))) return;
        realtime?.emit(`user:${String(user._id)}`, 'alert:new', { id: String(alert._id), severity: alert.severity });
        told += 1;
      }),
    );
    emitChanged(alert, realtime);
  }
  const sent = { 'outbox.sentVersion': version, updatedAt: now };
  const timeline = told > 0 ? pushTimeline({ at: now, kind: 'notified', detail: { users: told, channel: 'in_app' } }) : {};
  // Usually one write: the round is recorded as sent and, no newer round being asked for, nothing
  // is left pending. Otherwise the two apart: a newer round keeps its pendingSince for the sweeper.
  // Raw driver (every round ends here): the values are built here, timestamps set by hand.
  const alerts = Alert.collection;
  const both = await alerts.updateOne(
    { _id: alert._id, 'outbox.sentVersion': { $lt: version }, 'outbox.version': { $lte: version } },
    { $set: { ...sent, 'outbox.pendingSince': null }, ...timeline },
  );
  if (both.matchedCount === 0) {
    await alerts.updateOne({ _id: alert._id, 'outbox.sentVersion': { $lt: version } }, { $set: sent, ...timeline });
    await alerts.updateOne({ _id: alert._id, 'outbox.version': { $lte: version } }, { $set: { 'outbox.pendingSince': null, updatedAt: now } });
  }
  return { told, skipped: false };
}

/** Tells every open inbox of the audience (and anyone the alert is routed or assigned to) that it changed. */
export function emitChanged(alert: Pick<AlertDoc, '_id' | 'updatedAt' | 'audience' | 'routedTo' | 'assignedTo'>, realtime: Pick<RealtimeControl, 'emit'> | undefined): void {
  if (!realtime) return;
  const rooms: string[] = [];
  for (const agencyId of alert.audience?.agencyIds ?? []) {
    for (const role of alert.audience?.roles ?? []) rooms.push(`agency:${String(agencyId)}:role:${role}`);
  }
  for (const userId of alert.routedTo?.userIds ?? []) rooms.push(`user:${String(userId)}`);
  if (alert.assignedTo) rooms.push(`user:${String(alert.assignedTo)}`);
  // One message for every room: a member of two of them refreshes once.
  if (rooms.length > 0) realtime.emit(rooms, 'alert:changed', { id: String(alert._id), updatedAt: alert.updatedAt });
}
