/**
 * Who may review matches and correct links. Pure predicates; routes answer 404 when the record
 * belongs to another agency, so ids reveal nothing.
 */
import type { UserDoc } from '../models/User';
import type { PersonDoc } from '../models/Person';
import type { MatchReviewDoc } from '../models/MatchReview';
import { agencyKnowsPerson, hasAnyRole, isSameAgency } from './people';

/** Roles that decide match reviews, unlink records and merge people. */
export const REVIEW_ROLES = ['panel_chair', 'ig_lead', 'agency_admin'] as const;

/** May see and decide a review: a reviewing role in the agency that holds the record under review. */
export function canReviewMatch(user: UserDoc, review: Pick<MatchReviewDoc, 'agencyId'>): boolean {
  return hasAnyRole(user, REVIEW_ROLES) && isSameAgency(user, review.agencyId);
}

/** May take one of their agency's records off a person: a reviewing role in that agency. */
export function canUnlinkRecord(user: UserDoc, record: { agencyId: unknown }): boolean {
  return hasAnyRole(user, REVIEW_ROLES) && isSameAgency(user, record.agencyId);
}

/** May merge two people: a reviewing role in an agency holding records of both. */
export function canMergePeople(user: UserDoc, into: PersonDoc, from: PersonDoc): boolean {
  return hasAnyRole(user, REVIEW_ROLES) && agencyKnowsPerson(user, into) && agencyKnowsPerson(user, from);
}
