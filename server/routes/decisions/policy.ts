/**
 * Who may make a decision to share without consent. Pure predicates; routes answer 404 when it
 * fails so another agency's ids reveal nothing.
 */
import type { UserDoc } from '../../models/User';
import type { PersonDoc } from '../../models/Person';
import { agencyKnowsPerson, hasAnyRole } from '../../policies/people';

/** Roles that may propose a decision (an IG lead must still sign it off). */
export const DECIDER_ROLES = ['duty_manager', 'panel_chair', 'key_worker', 'ig_lead'] as const;

/** May propose a decision about the person: a deciding role in an agency holding a record of them. */
export function canDecide(user: UserDoc, person: PersonDoc): boolean {
  return hasAnyRole(user, DECIDER_ROLES) && agencyKnowsPerson(user, person);
}
