import { z } from 'zod';
import { MATCH_REVIEW_STATUSES } from '../../models/MatchReview';
import { objectId, text } from '../common';

/** GET /api/match-reviews — `undecided` (open or unsure) by default. */
export const ReviewListQuery = z.object({ status: z.enum([...MATCH_REVIEW_STATUSES, 'undecided']).optional() }).strict();

/** POST /api/match-reviews/:id/decision */
export const ReviewDecisionInput = z
  .object({
    decision: z.enum(['link', 'not_a_match', 'unsure'], { message: 'must be link, not_a_match or unsure' }),
    /** The candidate to link to (the best-scoring one when omitted). */
    personId: objectId.optional(),
    note: text(1000),
  })
  .strict()
  .refine((d) => d.decision === 'link' || d.personId === undefined, { message: 'is only for a link decision', path: ['personId'] });

export type ReviewListQueryType = z.infer<typeof ReviewListQuery>;
export type ReviewDecisionInputType = z.infer<typeof ReviewDecisionInput>;
