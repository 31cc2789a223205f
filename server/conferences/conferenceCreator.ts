/**
 * Creates a conference about a person, from a review alert or from the person directly. The chair
 * must be able to see the person for the risk-panel purpose (or be in the alert's audience); an
 * alert it is created from moves to `conference` with one state-guarded update.
 */
import { Types, trusted } from 'mongoose';
import { Alert } from '../models/Alert';
import { Conference, type ConferenceDoc } from '../models/Conference';
import { Person } from '../models/Person';
import type { UserDoc } from '../models/User';
import { ConflictError, NotFoundError } from '../errors';
import { buildPersonView } from '../commands/personView';
import { CONFERENCE_PURPOSE } from './basis';

export interface CreateConferenceProps {
  /** The panel chair creating (and chairing) it. */
  user: UserDoc;
  title: string;
  scheduledFor: Date;
  /** Exactly one of these: the person it is about, or the alert that prompted it. */
  personId?: string;
  alertId?: string;
  /** Initial agenda items, in order. */
  agenda: string[];
}

/** Resolves the person (and alert) the chair may hold a conference about, or 404. */
async function subjectFor(props: CreateConferenceProps): Promise<{ personId: Types.ObjectId; alertId: Types.ObjectId | null }> {
  const { user } = props;
  if (props.alertId) {
    const alert = await Alert.findById(props.alertId);
    const audience = alert?.audience;
    const inAudience =
      audience &&
      audience.agencyIds.some((id) => String(id) === String(user.agencyId)) &&
      (audience.roles.length === 0 || audience.roles.some((r) => user.roles.includes(r as never)));
    if (!alert || !inAudience) throw new NotFoundError('No such alert.');
    if (alert.status === 'closed') throw new ConflictError('alert_closed', 'This alert is closed.');
    return { personId: alert.personId as Types.ObjectId, alertId: alert._id as Types.ObjectId };
  }
  const person = await Person.findOne({ _id: props.personId, mergedInto: null });
  const view = person ? await buildPersonView(user, person, CONFERENCE_PURPOSE) : null;
  if (!person || !view || view.hidden) throw new NotFoundError('No such person.');
  return { personId: person._id as Types.ObjectId, alertId: null };
}

/** Creates the conference with the chair as its first participant. */
export async function createConference(props: CreateConferenceProps): Promise<ConferenceDoc> {
  const { user } = props;
  const { personId, alertId } = await subjectFor(props);
  const now = new Date();
  const _id = new Types.ObjectId();
  if (alertId) {
    const moved = await Alert.updateOne(
      { _id: alertId, status: trusted({ $ne: 'closed' }) },
      {
        $set: { status: 'conference', conferenceId: _id },
        $push: { timeline: { at: now, kind: 'conference_scheduled', actorUserId: user._id, actorAgencyId: user.agencyId } },
      },
    );
    if (moved.matchedCount === 0) throw new ConflictError('alert_closed', 'This alert was closed in the meantime.');
  }
  return Conference.create({
    _id,
    title: props.title,
    personId,
    alertId,
    chairId: user._id,
    chairAgencyId: user.agencyId,
    scheduledFor: props.scheduledFor,
    participants: [{ userId: user._id, agencyId: user.agencyId, role: 'chair', invitedBy: user._id, invitedAt: now }],
    basisRef: { purpose: CONFERENCE_PURPOSE, agreementIds: [] },
    agenda: props.agenda.map((text) => ({ text })),
  });
}
