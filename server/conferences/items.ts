/**
 * Structured items recorded in a live conference: risk entries in the common taxonomy,
 * decisions, and actions with an owner, a due date and a status. Each is stored on the
 * conference and announced in the discussion as a message of its kind (so it has a place in the
 * sequence and reaches each agency as its basis allows). An action goes on its owner's task list.
 */
import { Types, trusted } from 'mongoose';
import { domainConfig } from '../../config/domain';
import { Conference, type ActionStatus, type ConferenceDoc } from '../models/Conference';
import type { MessageKind } from '../models/ConferenceMessage';
import { Task } from '../models/Task';
import type { UserDoc } from '../models/User';
import type { RealtimeControl } from '../context';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { raiseTask } from '../commands/taskRaiser';
import { postMessage } from './messages';
import type { ConferenceSequence } from './sequence';
import type { ConferenceBasis } from './basis';
import type { ConferenceRealtime } from './realtime';
import { lookupNames } from './names';

export interface RecordProps {
  conference: ConferenceDoc;
  user: UserDoc;
  basis: ConferenceBasis;
  realtime: ConferenceRealtime;
  sequence: ConferenceSequence;
}

/** The task keys of an action (its owner's task, and the chair's overdue task). */
export const actionTaskKeys = (actionId: string) => [`conference_action:${actionId}`, `conference_action_overdue:${actionId}`];

const label = (list: readonly { id: string; label: string }[], id: string) => list.find((x) => x.id === id)?.label ?? id;

/** Pushes an item onto a live conference and announces it; returns the updated conference. */
async function record(props: RecordProps, field: 'risks' | 'decisions' | 'actions', item: Record<string, unknown>, kind: MessageKind, body: string) {
  const _id = new Types.ObjectId();
  const updated = await Conference.findOneAndUpdate(
    { _id: props.conference._id, status: 'live' },
    { $push: { [field]: { _id, ...item, agencyId: props.user.agencyId, authorId: props.user._id, createdAt: new Date() } } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('conference_not_live', 'Items can only be recorded while the conference is live.');
  const { message } = await postMessage({ conference: updated, user: props.user, kind, body, itemId: _id, sequence: props.sequence });
  await props.realtime.sendMessage(updated, message, props.basis);
  props.realtime.changed(updated);
  return { conference: updated, itemId: _id };
}

/** A risk assessment entry (category and level from config/domain/taxonomy.json). */
export function recordRisk(props: RecordProps & { category: string; level: string; rationale: string }) {
  const t = domainConfig().taxonomy;
  const body = `Risk: ${label(t.categories, props.category)} — ${label(t.levels, props.level)}. ${props.rationale}`;
  return record(props, 'risks', { category: props.category, level: props.level, rationale: props.rationale }, 'risk', body);
}

/** A decision of the panel. */
export function recordDecision(props: RecordProps & { text: string }) {
  return record(props, 'decisions', { text: props.text }, 'decision', `Decision: ${props.text}`);
}

/**
 * An action for one participant, due on a date. The owner must take part and be able to see what
 * the recording agency contributes (else 400 `owner_not_participant` / `owner_no_basis`).
 */
export async function recordAction(props: RecordProps & { text: string; ownerUserId: string; dueAt: Date; taskRealtime?: Pick<RealtimeControl, 'emit'> }) {
  const owner = props.conference.participants.find((p) => String(p.userId) === props.ownerUserId && !p.removedAt);
  if (!owner) throw new BadRequestError('owner_not_participant', 'ownerUserId: the owner must be a participant.');
  if (!props.basis.allows(String(owner.agencyId), String(props.user.agencyId))) {
    throw new BadRequestError('owner_no_basis', "ownerUserId: the owner's agency cannot see what your agency shares here.");
  }
  const names = await lookupNames([owner.userId], []);
  const due = props.dueAt.toISOString().slice(0, 10);
  const result = await record(
    props,
    'actions',
    { text: props.text, ownerUserId: owner.userId, ownerAgencyId: owner.agencyId, dueAt: props.dueAt, status: 'open' },
    'action',
    `Action for ${names.user(owner.userId)}, due ${due}: ${props.text}`,
  );
  await raiseTask({
    kind: 'conference_action',
    agencyId: owner.agencyId as Types.ObjectId,
    assigneeUserId: owner.userId as Types.ObjectId,
    assigneeRole: null,
    subject: { type: 'conference', id: props.conference._id as Types.ObjectId, personId: props.conference.personId as Types.ObjectId },
    dedupeKey: actionTaskKeys(result.itemId.toHexString())[0],
    dueAt: props.dueAt,
    realtime: props.taskRealtime,
  });
  return result;
}

export interface UpdateActionProps {
  conference: ConferenceDoc;
  user: UserDoc;
  actionId: string;
  status: Exclude<ActionStatus, 'open'>;
  realtime: ConferenceRealtime;
}

/** Marks an open action done or cancelled (its owner or the chair) and closes its tasks. */
export async function updateActionStatus(props: UpdateActionProps): Promise<ConferenceDoc> {
  const actionId = new Types.ObjectId(props.actionId);
  const now = new Date();
  const updated = await Conference.findOneAndUpdate(
    { _id: props.conference._id, actions: trusted({ $elemMatch: { _id: actionId, status: 'open' } }) },
    { $set: { 'actions.$[a].status': props.status, 'actions.$[a].completedAt': now } },
    { arrayFilters: [{ 'a._id': actionId, 'a.status': 'open' }], returnDocument: 'after' },
  );
  if (!updated) {
    const exists = props.conference.actions.some((a) => String(a._id) === props.actionId);
    if (!exists) throw new NotFoundError('No such action.');
    throw new ConflictError('action_not_open', 'This action is already done or cancelled.');
  }
  await Task.updateMany(
    { dedupeKey: trusted({ $in: actionTaskKeys(props.actionId) }), status: 'open' },
    { $set: { status: 'done', completedBy: props.user._id, completedAt: now } },
  );
  props.realtime.changed(updated);
  return updated;
}
