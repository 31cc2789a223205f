/**
 * The conference's lifecycle after creation: the agenda, starting it (scheduled → live) and
 * closing it with an outcome (→ closed), each a single state-guarded update. Closing records the
 * risk snapshot (the highest level per category across every agency's entries) the minutes
 * summarise from.
 */
import { trusted } from 'mongoose';
import { domainConfig, riskLevelRank } from '../../config/domain';
import { Conference, type ConferenceDoc, type ConferenceOutcome } from '../models/Conference';
import type { UserDoc } from '../models/User';
import { ConflictError } from '../errors';
import { postMessage } from './messages';
import type { ConferenceSequence } from './sequence';
import type { ConferenceBasis } from './basis';
import type { ConferenceRealtime } from './realtime';

const transition = (from: string, verb: string) =>
  new ConflictError('invalid_transition', `A ${from} conference cannot be ${verb}.`);

/** Replaces the agenda (chair, until closed). */
export async function setAgenda(conference: ConferenceDoc, items: { text: string; done: boolean }[], realtime: ConferenceRealtime): Promise<ConferenceDoc> {
  const updated = await Conference.findOneAndUpdate(
    { _id: conference._id, status: trusted({ $ne: 'closed' }) },
    { $set: { agenda: items } },
    { returnDocument: 'after' },
  );
  if (!updated) throw transition('closed', 'changed');
  realtime.changed(updated);
  return updated;
}

export interface StartProps {
  conference: ConferenceDoc;
  user: UserDoc;
  basis: ConferenceBasis;
  realtime: ConferenceRealtime;
  sequence: ConferenceSequence;
}

/** Opens the room for discussion and announces it there. */
export async function startConference(props: StartProps): Promise<ConferenceDoc> {
  const updated = await Conference.findOneAndUpdate(
    { _id: props.conference._id, status: 'scheduled' },
    { $set: { status: 'live', startedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (!updated) throw transition(props.conference.status, 'started');
  const { message } = await postMessage({ conference: updated, user: null, kind: 'system', body: 'The chair started the conference.', sequence: props.sequence });
  await props.realtime.sendMessage(updated, message, props.basis);
  props.realtime.changed(updated);
  return updated;
}

export interface CloseProps extends StartProps {
  outcome: ConferenceOutcome;
  /** The chair's closing summary. */
  summary?: string;
}

/** Highest level per risk category, most serious first. */
export function riskSnapshot(risks: readonly { category: string; level: string }[]): { category: string; level: string }[] {
  const taxonomy = domainConfig().taxonomy;
  const highest = new Map<string, string>();
  for (const r of risks) {
    const seen = highest.get(r.category);
    if (!seen || riskLevelRank(taxonomy, r.level) > riskLevelRank(taxonomy, seen)) highest.set(r.category, r.level);
  }
  return [...highest.entries()]
    .map(([category, level]) => ({ category, level }))
    .sort((a, b) => riskLevelRank(taxonomy, b.level) - riskLevelRank(taxonomy, a.level) || a.category.localeCompare(b.category));
}

/** Closes a scheduled (cancelled) or live conference with the chair's outcome. */
export async function closeConference(props: CloseProps): Promise<ConferenceDoc> {
  const { conference } = props;
  if (conference.status === 'closed') throw transition('closed', 'closed again');
  if (conference.status === 'live') {
    const { message } = await postMessage({ conference, user: null, kind: 'system', body: 'The chair closed the conference.', sequence: props.sequence });
    await props.realtime.sendMessage(conference, message, props.basis);
  }
  const now = new Date();
  const updated = await Conference.findOneAndUpdate(
    { _id: conference._id, status: conference.status },
    {
      $set: {
        status: 'closed',
        closedAt: now,
        outcome: { code: props.outcome, summary: props.summary ?? null, closedBy: props.user._id },
        riskSnapshot: riskSnapshot(conference.risks),
      },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError();
  props.realtime.changed(updated);
  return updated;
}
