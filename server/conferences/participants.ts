/**
 * Inviting and removing participants. Only staff of agencies the sharing basis covers for the
 * person may be invited; the candidates list says, agency by agency, why others cannot be.
 * Removing someone takes their sockets out of the room on every process at once.
 */
import { Types, trusted } from 'mongoose';
import { Agency } from '../models/Agency';
import { Conference, type ConferenceDoc } from '../models/Conference';
import { User } from '../models/User';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { canBeInvited, CONFERENCE_ROLES, participation } from '../policies/conferences';
import { loadConferenceBasis, type ConferenceBasis } from './basis';
import type { ConferenceRealtime } from './realtime';

/** Most candidate users listed per agency. */
const CANDIDATES_PER_AGENCY = 200;

/** Why a user without a practice role (or a disabled one) cannot take part. */
export const NOT_INVITABLE = 'Only active staff with a practice role (practitioner, key worker, panel member or chair, duty manager) can take part.';

export interface CandidateAgency {
  id: string;
  name: string;
  eligible: boolean;
  /** Why the agency's staff cannot be invited (null when they can). */
  reason: string | null;
  users: { id: string; name: string; roles: string[]; participant: boolean }[];
}

/** Every active agency with its eligibility, and the invitable staff of eligible ones. */
export async function inviteCandidates(conference: ConferenceDoc): Promise<CandidateAgency[]> {
  const [agencies, basis] = await Promise.all([
    Agency.find({ active: true }).sort({ name: 1 }),
    loadConferenceBasis({ personId: conference.personId as Types.ObjectId, chairAgencyId: conference.chairAgencyId as Types.ObjectId }),
  ]);
  const rows = agencies.map((a) => ({ agency: a, eligibility: basis.eligibility(a.id as string, a.name) }));
  const eligibleIds = rows.filter((r) => r.eligibility.eligible).map((r) => r.agency._id);
  const users = await User.find(
    { agencyId: trusted({ $in: eligibleIds }), disabled: false, roles: trusted({ $in: [...CONFERENCE_ROLES] }) },
    { name: 1, agencyId: 1, roles: 1 },
  ).sort({ name: 1 });
  const active = new Set(conference.participants.filter((p) => !p.removedAt).map((p) => String(p.userId)));
  return rows.map(({ agency, eligibility }) => ({
    id: agency.id as string,
    name: agency.name,
    eligible: eligibility.eligible,
    reason: eligibility.eligible ? null : eligibility.reason,
    users: users
      .filter((u) => String(u.agencyId) === agency.id)
      .slice(0, CANDIDATES_PER_AGENCY)
      .map((u) => ({ id: u.id as string, name: u.name, roles: [...u.roles], participant: active.has(u.id as string) })),
  }));
}

export interface InviteProps {
  conference: ConferenceDoc;
  /** The chair inviting. */
  chairId: Types.ObjectId;
  /** Who to invite (validated id). */
  userId: string;
}

/**
 * Adds the user as a member, when their agency has a basis (400 `no_sharing_basis` with the
 * reason otherwise). Inviting a current participant again changes nothing.
 */
export async function inviteParticipant(props: InviteProps): Promise<{ conference: ConferenceDoc; basis: ConferenceBasis; added: boolean }> {
  const { conference } = props;
  const user = await User.findById(props.userId);
  if (!user) throw new NotFoundError('No such user.');
  if (!canBeInvited(user)) throw new BadRequestError('not_invitable', NOT_INVITABLE);
  const agency = await Agency.findById(user.agencyId);
  const basis = await loadConferenceBasis({
    personId: conference.personId as Types.ObjectId,
    chairAgencyId: conference.chairAgencyId as Types.ObjectId,
    agencyIds: [String(conference.chairAgencyId), String(user.agencyId)],
  });
  const eligibility = basis.eligibility(String(user.agencyId), agency?.name ?? 'This agency');
  if (!eligibility.eligible || !agency?.active) {
    throw new BadRequestError('no_sharing_basis', eligibility.eligible ? 'This agency is no longer active.' : eligibility.reason);
  }
  if (participation(user, conference)) return { conference, basis, added: false };
  const updated = await Conference.findOneAndUpdate(
    {
      _id: conference._id,
      status: trusted({ $ne: 'closed' }),
      participants: trusted({ $not: { $elemMatch: { userId: user._id, removedAt: null } } }),
    },
    {
      $push: { participants: { userId: user._id, agencyId: user.agencyId, role: 'member', invitedBy: props.chairId, invitedAt: new Date() } },
      $addToSet: { 'basisRef.agreementIds': { $each: basis.agreementIdsFor(String(user.agencyId)).map((id) => new Types.ObjectId(id)) } },
    },
    { returnDocument: 'after' },
  );
  if (!updated) {
    const fresh = await Conference.findById(conference._id);
    if (fresh && fresh.status !== 'closed' && participation(user, fresh)) return { conference: fresh, basis, added: false };
    throw new ConflictError('conference_closed', 'This conference is closed.');
  }
  return { conference: updated, basis, added: true };
}

export interface RemoveProps {
  conference: ConferenceDoc;
  userId: string;
  realtime: ConferenceRealtime;
}

/** Marks the participant removed and takes their sockets out of the room at once. */
export async function removeParticipant(props: RemoveProps): Promise<ConferenceDoc> {
  const { conference, userId } = props;
  if (String(conference.chairId) === userId) throw new BadRequestError('cannot_remove_chair', 'The chair cannot be removed.');
  const current = conference.participants.find((p) => String(p.userId) === userId && !p.removedAt);
  if (!current) throw new NotFoundError('No such participant.');
  const updated = await Conference.findOneAndUpdate(
    { _id: conference._id, status: trusted({ $ne: 'closed' }) },
    { $set: { 'participants.$[p].removedAt': new Date() } },
    { arrayFilters: [{ 'p.userId': new Types.ObjectId(userId), 'p.removedAt': null }], returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError('conference_closed', 'This conference is closed.');
  await props.realtime.removeParticipant(updated, userId, String(current.agencyId));
  return updated;
}
