/**
 * Passing alerts between people on call. At shift end (the `handoverSweep` job, every minute) an
 * out-of-hours alert still open or acknowledged whose routed manager was on call when it reached
 * them, and no longer is, passes to whoever is on call now at that level, with the outgoing
 * manager's latest handover note. A manager may also hand over on demand, or a colleague "take"
 * an alert. Each move is a state-guarded update on the current holder, so it happens once.
 */
import { trusted, Types } from 'mongoose';
import { Alert, type AlertDoc } from '../models/Alert';
import { HandoverNote } from '../models/HandoverNote';
import type { UserDoc } from '../models/User';
import { ConflictError } from '../errors';
import { appendAudit } from '../audit';
import { notifyAlert, type NotifyDeps } from '../notify/dispatch';
import { LIVE_STATUSES, queueChanged } from './alertFacts';
import { onCallAt } from './rota';

export interface HandoverProps {
  /** The outgoing holder. */
  fromUserId: string;
  /** The incoming one. */
  toUserId: string;
  /** Only these alerts (default: every live out-of-hours alert the outgoing holder has). */
  alertIds?: string[];
  /** The outgoing manager's note; by default their latest unused saved note. */
  note?: string | null;
  /** Who asked (on demand); absent at automatic shift end. */
  actor?: UserDoc;
}

/** Moves alerts from one holder to another; resolves with the ids moved. */
export async function handOver(deps: NotifyDeps, props: HandoverProps): Promise<string[]> {
  if (props.fromUserId === props.toUserId) return [];
  const now = deps.duty.now();
  const from = new Types.ObjectId(props.fromUserId);
  const to = new Types.ObjectId(props.toUserId);
  const saved = props.note === undefined ? await HandoverNote.findOne({ userId: from, usedAt: null }).sort({ createdAt: -1 }) : null;
  const note = props.note ?? saved?.text ?? null;
  const filter: Record<string, unknown> = { status: trusted({ $in: [...LIVE_STATUSES] }), 'routedTo.mode': 'out_of_hours', 'routedTo.userIds': from };
  if (props.alertIds) filter._id = trusted({ $in: props.alertIds.map((id) => new Types.ObjectId(id)) });
  const candidates = await Alert.find(filter).select('_id');
  const moved: string[] = [];
  for (const { _id } of candidates) {
    const entryId = new Types.ObjectId();
    const updated = await Alert.findOneAndUpdate(
      { _id, status: trusted({ $in: [...LIVE_STATUSES] }), 'routedTo.userIds': from },
      {
        $set: { 'routedTo.userIds': [to] },
        $push: {
          timeline: {
            _id: entryId,
            at: now,
            kind: 'handed_over',
            actorUserId: props.actor?._id ?? from,
            actorAgencyId: props.actor?.agencyId ?? null,
            text: note,
            detail: { from: props.fromUserId, to: props.toUserId, automatic: !props.actor },
          },
        },
      },
      { returnDocument: 'after' },
    );
    if (!updated) continue;
    const alertId = String(_id);
    moved.push(alertId);
    await appendAudit({
      at: now,
      actor: props.actor ? { userId: props.actor._id, agencyId: props.actor.agencyId, roles: [...props.actor.roles] } : {},
      action: 'alert.handover',
      subject: { type: 'alert', id: _id, personId: updated.personId },
      outcome: 'succeeded',
      reason: props.actor ? 'on_demand' : 'shift_end',
    });
    const base = { alertId, severity: updated.severity, deadline: updated.status === 'open' ? (updated.ackDeadline ?? null) : null, level: updated.routedTo?.level ?? null };
    await notifyAlert(deps, { ...base, reason: `handover:${String(entryId)}`, userIds: [props.toUserId], webhookAgencyId: String(updated.routedTo?.agencyId) });
    await notifyAlert(deps, { ...base, reason: `handed_over:${String(entryId)}`, userIds: [props.fromUserId], webhookAgencyId: null, channels: ['in_app', 'email'] });
    queueChanged(deps.realtime, updated.routedTo?.agencyId, alertId);
  }
  if (saved && moved.length > 0) await HandoverNote.updateOne({ _id: saved._id, usedAt: null }, { $set: { usedAt: now } });
  return moved;
}

/** A duty manager of the routed agency takes an alert from whoever holds it. */
export async function takeAlert(deps: NotifyDeps, alert: AlertDoc, user: UserDoc): Promise<AlertDoc> {
  const previous = (alert.routedTo?.userIds ?? []).map(String);
  if (previous.length === 1 && previous[0] === user.id) return alert;
  const now = deps.duty.now();
  const entryId = new Types.ObjectId();
  const updated = await Alert.findOneAndUpdate(
    { _id: alert._id, status: trusted({ $in: [...LIVE_STATUSES] }), 'routedTo.mode': 'out_of_hours', 'routedTo.agencyId': user.agencyId },
    {
      $set: { 'routedTo.userIds': [user._id] },
      $push: { timeline: { _id: entryId, at: now, kind: 'routed', actorUserId: user._id, actorAgencyId: user.agencyId, detail: { taken: true, from: previous } } },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('not_takeable', 'This alert is no longer open with the duty manager.');
  const others = previous.filter((id) => id !== user.id);
  if (others.length) {
    await notifyAlert(deps, {
      alertId: String(alert._id), severity: updated.severity, reason: `taken:${String(entryId)}`, deadline: null, level: updated.routedTo?.level ?? null,
      userIds: others, webhookAgencyId: null, channels: ['in_app'],
    });
  }
  queueChanged(deps.realtime, updated.routedTo?.agencyId, String(alert._id));
  return updated;
}

/** The kinds of timeline entry that put an alert in its current holder's hands. */
const ROUTING_KINDS = new Set(['routed', 'escalated', 'handed_over']);

/** When the current holder got the alert. */
export function heldSince(alert: AlertDoc): Date | null {
  const entries = alert.timeline.filter((e) => ROUTING_KINDS.has(e.kind));
  return entries.length ? entries[entries.length - 1].at : null;
}

/**
 * The shift-end sweep: hands over every live out-of-hours alert whose holder's on-call cover at
 * its level has ended. A holder who was not on call when they got it (they took it) keeps it.
 */
export async function sweepShiftEnds(deps: NotifyDeps): Promise<{ moved: number; noIncoming: number }> {
  const now = deps.duty.now();
  const levels = deps.duty.escalation.levels;
  const alerts = await Alert.find({ status: trusted({ $in: [...LIVE_STATUSES] }), 'routedTo.mode': 'out_of_hours' }).select('routedTo timeline');
  const cache = new Map<string, Promise<string | null>>();
  const onCall = (agencyId: string, level: string, at: Date) => {
    const key = `${agencyId}|${level}|${at.getTime()}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = onCallAt(agencyId, level, at, deps.duty.rota).then((s) => s?.userId ?? null);
      cache.set(key, hit);
    }
    return hit;
  };
  let moved = 0;
  let noIncoming = 0;
  const pairs = new Map<string, { from: string; to: string; ids: string[] }>();
  for (const alert of alerts) {
    const holder = alert.routedTo?.userIds?.length === 1 ? String(alert.routedTo.userIds[0]) : null;
    const level = levels.find((l) => l.rank === alert.routedTo?.level);
    const agencyId = alert.routedTo?.agencyId ? String(alert.routedTo.agencyId) : null;
    const since = heldSince(alert);
    if (!holder || !level || !agencyId || !since) continue;
    const current = await onCall(agencyId, level.id, now);
    if (current === holder) continue;
    if ((await onCall(agencyId, level.id, since)) !== holder) continue;
    if (!current) {
      noIncoming++;
      continue;
    }
    const key = `${holder}|${current}`;
    const pair = pairs.get(key) ?? { from: holder, to: current, ids: [] };
    pair.ids.push(String(alert._id));
    pairs.set(key, pair);
  }
  for (const pair of pairs.values()) moved += (await handOver(deps, { fromUserId: pair.from, toUserId: pair.to, alertIds: pair.ids })).length;
  return { moved, noIncoming };
}
