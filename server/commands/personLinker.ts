/**
 * Deterministic linking of an encounter to a person: exact NHS number (with a valid check digit),
 * or exact normalised family name + given name + date of birth. It links only when these agree
 * exactly, and otherwise creates a new person; the probabilistic linker (match weights, review
 * between thresholds) supersedes it.
 */
import { trusted, Types } from 'mongoose';
import { Person, type PersonDoc } from '../models/Person';
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

/** The exact keys a subject can be found by. */
export function exactKeys(s: SubjectFacts): string[] {
  const keys: string[] = [];
  if (s.nhsNumber && validNhsNumber(s.nhsNumber)) keys.push(`nhs:${s.nhsNumber}`);
  const family = normaliseName(s.familyName);
  const given = normaliseName(s.givenName);
  if (family && given && s.dateOfBirth) keys.push(`ndob:${family}|${given}|${s.dateOfBirth}`);
  return keys;
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

/** Finds the person for a subject, or creates one; records that the agency knows them. */
export async function linkSubject(subject: SubjectFacts, agencyId: Types.ObjectId): Promise<{ person: PersonDoc; created: boolean; method: string }> {
  const keys = exactKeys(subject);
  const demographics = {
    givenName: subject.givenName ?? null,
    familyName: subject.familyName ?? null,
    dateOfBirth: subject.dateOfBirth ?? null,
    nhsNumber: subject.nhsNumber && validNhsNumber(subject.nhsNumber) ? subject.nhsNumber : null,
    postcode: normalisePostcode(subject.postcode),
  };
  if (keys.length) {
    const existing = await Person.findOneAndUpdate(
      { blockingKeys: trusted({ $in: keys }), mergedInto: null },
      { $addToSet: { agencyIds: agencyId, blockingKeys: { $each: keys }, searchTerms: { $each: searchTerms(subject) } } },
      { returnDocument: 'after' },
    );
    if (existing) return { person: existing, created: false, method: keys[0].startsWith('nhs:') ? 'exact_nhs' : 'exact_name_dob' };
  }
  const person = await Person.create({ demographics, blockingKeys: keys, searchTerms: searchTerms(subject), agencyIds: [agencyId] });
  return { person, created: true, method: 'new_person' };
}
