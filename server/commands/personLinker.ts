/**
 * What a person record keeps from the subject of each linked encounter: search terms and the
 * best demographics. Linking itself (normalise, block, score, decide) is the probabilistic linker
 * in workers/linkage, run per encounter by server/linkage/linkEncounter.ts.
 */
import { normaliseName, normalisePostcode, validNhsNumber } from '../../workers/linkage/normalise';

// The normalisers are shared with the probabilistic linker (workers/linkage); re-exported for callers.
export { normaliseName, normalisePostcode, validNhsNumber } from '../../workers/linkage/normalise';

export interface SubjectFacts {
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  postcode?: string | null;
}

/** Search terms for a subject (see Person.searchTerms). */
export function searchTerms(s: SubjectFacts): string[] {
  const terms: string[] = [];
  const family = normaliseName(s.familyName);
  const given = normaliseName(s.givenName);
  if (family) terms.push(`f:${family}`);
  if (given) terms.push(`g:${given}`);
  if (s.dateOfBirth) terms.push(`d:${s.dateOfBirth}`);
  const pc = normalisePostcode(s.postcode);
  if (pc) terms.push(`p:${pc}`);
  if (s.nhsNumber && validNhsNumber(s.nhsNumber)) terms.push(`n:${s.nhsNumber}`);
  return terms;
}

/** The demographics fields of Person, as a subject gives them (an invalid NHS number is dropped). */
export function demographicsOf(s: SubjectFacts) {
  return {
    givenName: s.givenName ?? null,
    familyName: s.familyName ?? null,
    dateOfBirth: s.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(s.dateOfBirth) ? s.dateOfBirth : null,
    nhsNumber: s.nhsNumber && validNhsNumber(s.nhsNumber) ? s.nhsNumber : null,
    postcode: normalisePostcode(s.postcode),
  };
}

/** Demographics field names. */
export const DEMOGRAPHIC_FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'postcode'] as const;
