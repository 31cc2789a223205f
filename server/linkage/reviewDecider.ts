/**
 * A reviewer's decision on a match review:
 * - link: the record (and anything else on its provisional person) moves to the chosen
 *   candidate, and the provisional person is merged into them;
 * - not a match: the record stays with its own person, now confirmed;
 * - unsure: nothing moves; the review stays in the queue.
 * Every decision is kept, and the latest one is stored as labelled record pairs for training the
 * matching model. The review is claimed with a state guard first, so two reviewers deciding at
 * once cannot both act.
 */
import { trusted, Types } from 'mongoose';
import type { Queue } from 'bullmq';
import { Encounter } from '../models/Encounter';
import { MatchReview, UNDECIDED_STATUSES, type MatchReviewDoc } from '../models/MatchReview';
import type { UserDoc } from '../models/User';
import { ConflictError, ValidationError } from '../errors';
import { mergePeople, resolvePerson } from './personMerge';

export type ReviewDecision = 'link' | 'not_a_match' | 'unsure';

export interface ReviewDeciderProps {
  /** The review, loaded and authorised by the caller. */
  review: MatchReviewDoc;
  /** The reviewer. */
  user: UserDoc;
  decision: ReviewDecision;
  /** For `link`: the candidate person (the best-scoring one when omitted). */
  personId?: string;
  /** The reviewer's note (kept on the review; never logged). */
  note?: string;
  /** Queues detection for the people whose records changed. */
  queue?: (name: string) => Queue;
}

const STATUS_OF: Record<ReviewDecision, 'linked' | 'not_a_match' | 'unsure'> = { link: 'linked', not_a_match: 'not_a_match', unsure: 'unsure' };

/** Applies the decision; returns the updated review. */
export async function decideReview(props: ReviewDeciderProps): Promise<MatchReviewDoc> {
  const { review, user, decision } = props;
  if (!UNDECIDED_STATUSES.includes(review.status as never)) throw new ConflictError('review_decided', 'This review has already been decided.');
  const enc = await Encounter.findById(review.encounterId);
  if (!enc || String(enc.personId) !== String(review.provisionalPersonId) || enc.link?.status !== 'review') {
    throw new ConflictError('record_moved', 'The record under review has moved; reload and try again.');
  }

  let chosen = review.candidates[0];
  if (decision === 'link' && props.personId) {
    const found = review.candidates.find((c) => String(c.personId) === props.personId);
    if (!found) throw new ValidationError('personId: is not one of the candidates', { field: 'personId' });
    chosen = found;
  }
  if (decision === 'link' && !chosen) throw new ConflictError('no_candidates', 'This review has no candidate to link to.');
  const target = decision === 'link' ? await resolvePerson(chosen.personId) : null;
  if (decision === 'link' && (!target || target._id.equals(review.provisionalPersonId))) {
    throw new ConflictError('candidate_gone', 'That candidate person is no longer available; reload and try again.');
  }

  const at = new Date();
  const labels = review.candidates.map((c) => ({
    encounterId: review.encounterId,
    otherEncounterId: c.matchedEncounterId,
    outcome: decision === 'unsure' ? 'unsure' : decision === 'link' && c === chosen ? 'match' : 'non_match',
  }));
  const claimed = await MatchReview.findOneAndUpdate(
    { _id: review._id, status: trusted({ $in: [...UNDECIDED_STATUSES] }) },
    {
      $set: { status: STATUS_OF[decision], decidedBy: user._id, decidedAt: at, note: props.note ?? null, labels },
      $push: { decisions: { decision, personId: target?._id ?? null, by: user._id, at, note: props.note ?? null } },
    },
    { returnDocument: 'after' },
  );
  if (!claimed) throw new ConflictError('review_decided', 'This review has already been decided.');

  if (decision === 'link' && target) {
    await mergePeople({ sourceId: review.provisionalPersonId, targetId: target._id as Types.ObjectId, method: 'review_link', queue: props.queue });
  } else if (decision === 'not_a_match') {
    await Encounter.updateOne(
      { _id: enc._id, personId: review.provisionalPersonId, 'link.status': 'review' },
      { $set: { 'link.status': 'confirmed', 'link.method': 'review_not_a_match' } },
    );
  }
  return claimed;
}

/** The candidate person ids of reviews, for page-level checks. */
export function candidatePersonIds(reviews: MatchReviewDoc[]): Types.ObjectId[] {
  return reviews.flatMap((r) => r.candidates.map((c) => c.personId as Types.ObjectId));
}
