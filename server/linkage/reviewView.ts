/**
 * What one reviewer may see of a match review: the record under review (always their own
 * agency's) and, for each candidate, the record that scored best — its field values only when
 * the sharing module allows this viewer to see that record; otherwise only the comparison
 * levels and weights. Loads per review, not per field.
 */
import { trusted, type Types } from 'mongoose';
import { Agency } from '../models/Agency';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import type { MatchReviewDoc } from '../models/MatchReview';
import type { UserDoc } from '../models/User';
import type { PurposeId, SharingOutcome } from '../sharing';
import { decideEncounter, loadSharingContext } from '../commands/sharingFacts';

/** The purpose of looking at another agency's record to tell whether it is the same person. */
export const REVIEW_PURPOSE: PurposeId = 'direct_care';

export interface CandidateView {
  candidate: MatchReviewDoc['candidates'][number];
  /** The candidate's best-scoring record (null if it has since been deleted). */
  record: EncounterDoc | null;
  /** The sharing outcome for that record and this viewer. */
  outcome: SharingOutcome | null;
}

export interface ReviewView {
  review: MatchReviewDoc;
  record: EncounterDoc | null;
  candidates: CandidateView[];
  agencyNames: Map<string, string>;
}

/** Builds the view of one review for a reviewer of its agency. */
export async function buildReviewView(user: UserDoc, review: MatchReviewDoc, now = new Date()): Promise<ReviewView> {
  const ids = [review.encounterId, ...review.candidates.map((c) => c.matchedEncounterId)];
  const records = await Encounter.find({ _id: trusted({ $in: ids }) });
  const byId = new Map(records.map((e) => [e.id as string, e]));
  const contexts = await Promise.all(review.candidates.map((c) => loadSharingContext(user, c.personId as Types.ObjectId, REVIEW_PURPOSE, now)));
  const candidates = review.candidates.map((candidate, i) => {
    const record = byId.get(String(candidate.matchedEncounterId)) ?? null;
    return { candidate, record, outcome: record ? decideEncounter(contexts[i], record) : null };
  });
  const agencies = await Agency.find({ _id: trusted({ $in: [...new Set(records.map((e) => String(e.agencyId)))] }) });
  return { review, record: byId.get(String(review.encounterId)) ?? null, candidates, agencyNames: new Map(agencies.map((a) => [a.id as string, a.name])) };
}
