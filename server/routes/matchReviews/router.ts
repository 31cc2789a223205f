/**
 * Match reviews: records the linker could not place with confidence, for the reviewers of the
 * record's agency (panel chairs, IG leads, agency admins). Another agency's review is a 404;
 * every list, view and decision is audited (ids and codes only, never the note).
 */
import { Router, type Request } from 'express';
import { trusted } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { MatchReview, UNDECIDED_STATUSES, type MatchReviewDoc } from '../../models/MatchReview';
import { canReviewMatch, REVIEW_ROLES } from '../../policies/matchReviews';
import { buildReviewView, REVIEW_PURPOSE } from '../../linkage/reviewView';
import { decideReview } from '../../linkage/reviewDecider';
import { presentReviewDetail, presentReviewSummary } from '../../presenters/matchReview';
import { appendAudit, appendAuditMany, type AuditInput } from '../../audit';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';
import { ReviewDecisionInput, ReviewListQuery, type ReviewDecisionInputType, type ReviewListQueryType } from './schema';

/** Most reviews one page lists. */
const LIST_LIMIT = 200;

async function loadReview(req: Request): Promise<MatchReviewDoc> {
  const user = currentUser(req);
  const id = (req.params as { id: string }).id;
  const review = await MatchReview.findById(id);
  if (!review || !canReviewMatch(user, review)) {
    await auditDenied(req, userActor(user), { type: 'match_review', id, personId: review?.provisionalPersonId }, review ? 'other_agency' : 'not_found');
    throw new NotFoundError('No such match review.');
  }
  return review;
}

/** The /api/match-reviews router. */
export function matchReviewsRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate(), requireRole(...REVIEW_ROLES));

  router.get('/', validate(ReviewListQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { status } = req.query as ReviewListQueryType;
    const statuses = !status || status === 'undecided' ? [...UNDECIDED_STATUSES] : [status];
    const reviews = await MatchReview.find({ agencyId: user.agencyId, status: trusted({ $in: statuses }) })
      .sort({ createdAt: -1 })
      .limit(LIST_LIMIT);
    await appendAudit({ actor: userActor(user), action: 'match_review.list', subject: { type: 'match_review' }, outcome: 'allowed', reason: `status=${status ?? 'undecided'} results=${reviews.length}`, requestId: req.id });
    res.json({ reviews: reviews.map(presentReviewSummary) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const review = await loadReview(req);
    const user = currentUser(req);
    const view = await buildReviewView(user, review);
    const actor = userActor(user);
    const events: AuditInput[] = [
      { actor, action: 'match_review.read', subject: { type: 'match_review', id: review._id, personId: review.provisionalPersonId }, purpose: REVIEW_PURPOSE, outcome: 'allowed', requestId: req.id },
      ...view.candidates.map(({ candidate, outcome }): AuditInput => ({
        actor,
        action: 'encounter.read',
        subject: { type: 'encounter', id: candidate.matchedEncounterId, personId: candidate.personId },
        purpose: REVIEW_PURPOSE,
        outcome: outcome?.effect === 'allow' ? 'allowed' : outcome?.effect === 'redact' ? 'redacted' : 'denied',
        reason: `match_review:${outcome?.code ?? 'not_found'}`,
        requestId: req.id,
      })),
    ];
    await appendAuditMany(events);
    res.json({ review: presentReviewDetail(view) });
  });

  router.post('/:id/decision', validate(IdParams, 'params'), validate(ReviewDecisionInput), async (req, res) => {
    const review = await loadReview(req);
    const user = currentUser(req);
    const input = req.body as ReviewDecisionInputType;
    const decided = await decideReview({ review, user, decision: input.decision, personId: input.personId, note: input.note, queue: (name) => ctx.queue(name) });
    await auditWrite(req, userActor(user), 'match_review.decide', { type: 'match_review', id: decided._id, personId: decided.provisionalPersonId }, { reason: input.decision });
    res.json({ review: presentReviewSummary(decided) });
  });

  return router;
}
