/**
 * Who may do what in a conference. Pure predicates over the user and the conference document;
 * routes and socket handlers answer 404 when the user is not a participant, so ids leak nothing.
 */
import type { UserDoc } from '../models/User';
import type { ConferenceDoc } from '../models/Conference';
import { hasAnyRole, PRACTICE_ROLES } from './people';

/** Roles that may be invited to a conference. */
export const CONFERENCE_ROLES = PRACTICE_ROLES;

/** May create conferences and chair them. */
export const canChair = (user: UserDoc) => hasAnyRole(user, ['panel_chair']);

/** May be invited: an enabled account with a practice role. */
export const canBeInvited = (user: UserDoc) => !user.disabled && hasAnyRole(user, CONFERENCE_ROLES);

/** The user's current (not removed) participation, if any. */
export function participation<P extends { userId: unknown; removedAt?: Date | null }>(user: Pick<UserDoc, 'id'>, conference: { participants: readonly P[] }): P | undefined {
  return conference.participants.find((p) => String(p.userId) === user.id && !p.removedAt);
}

/** The conference's chair. */
export const isChair = (user: Pick<UserDoc, 'id'>, conference: { chairId: unknown }) => String(conference.chairId) === user.id;

/** May change the agenda, invite, remove, start or close: the chair, until it is closed. */
export const canManage = (user: UserDoc, conference: ConferenceDoc) => isChair(user, conference) && conference.status !== 'closed';

/** May record risk entries, decisions and actions: any participant while the conference is live. */
export const canRecord = (user: UserDoc, conference: ConferenceDoc) => Boolean(participation(user, conference)) && conference.status === 'live';

/** May change an action's status: its owner or the chair. */
export const canUpdateAction = (user: UserDoc, conference: ConferenceDoc, action: { ownerUserId: unknown }) =>
  isChair(user, conference) || String(action.ownerUserId) === user.id;

/** May redact a message: its author or the chair. */
export const canRedact = (user: UserDoc, conference: { chairId: unknown }, message: { authorId?: unknown }) =>
  isChair(user, conference) || String(message.authorId) === user.id;
