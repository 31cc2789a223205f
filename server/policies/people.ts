/**
 * Who may act on a person's record at all. Pure predicates; routes answer 404 when these fail so
 * that another agency's ids reveal nothing.
 */
import type { UserDoc } from '../models/User';
import type { PersonDoc } from '../models/Person';

/** Small named helpers. */
export const isSameAgency = (user: UserDoc, agencyId: unknown) => String(user.agencyId) === String(agencyId);
export const hasAnyRole = (user: UserDoc, roles: readonly string[]) => user.roles.some((r) => roles.includes(r));

/** Roles that work directly with people (record contacts, consent, view people). */
export const PRACTICE_ROLES = ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager'] as const;

/** The user's agency holds at least one record about the person. */
export function agencyKnowsPerson(user: UserDoc, person: PersonDoc): boolean {
  return person.agencyIds.some((id) => isSameAgency(user, id));
}

/** May record a consent decision: a practitioner-type role in an agency that knows the person. */
export function canRecordConsent(user: UserDoc, person: PersonDoc): boolean {
  return hasAnyRole(user, PRACTICE_ROLES) && agencyKnowsPerson(user, person);
}

/** May read the consent history: as above, or an IG lead of an agency that knows the person. */
export function canReadConsents(user: UserDoc, person: PersonDoc): boolean {
  return (hasAnyRole(user, PRACTICE_ROLES) || hasAnyRole(user, ['ig_lead'])) && agencyKnowsPerson(user, person);
}
