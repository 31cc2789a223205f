/**
 * Break-glass: any practice role of any agency may open a person's records outside the sharing
 * rules after a fresh second-factor check (`/api/people/:id/break-glass`); IG leads of the user's
 * agency review it (`/api/break-glass`). The reason never reaches the audit log or the logs.
 */
import { Router } from 'express';
import { trusted } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { AppError, NotFoundError } from '../../errors';
import { requireStepUp } from '../../auth/stepUp';
import { Person } from '../../models/Person';
import { BreakGlass } from '../../models/BreakGlass';
import { PRACTICE_ROLES } from '../../policies/people';
import { openBreakGlass, reviewBreakGlass } from '../../commands/breakGlass';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { appendAudit } from '../../audit';
import { presentBreakGlass, presentBreakGlassForReview } from '../../presenters/breakGlass';
import { IdParams } from '../common';
import { BreakGlassInput, BreakGlassQuery, ReviewInput, type BreakGlassInputType, type ReviewInputType } from './schema';

/** Most grants one queue page lists. */
const QUEUE_LIMIT = 200;

/** The person-scoped router, mounted at /api/people/:id/break-glass. */
export function personBreakGlassRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.post('/', authenticate(), requireRole(...PRACTICE_ROLES), validate(IdParams, 'params'), validate(BreakGlassInput), async (req, res) => {
    const user = currentUser(req);
    const actor = userActor(user);
    const id = (req.params as { id: string }).id;
    const body = req.body as BreakGlassInputType;
    try {
      await requireStepUp(ctx, user, body.code);
    } catch (err) {
      if (err instanceof AppError) await auditDenied(req, actor, { type: 'person', id }, err.code);
      throw err;
    }
    const person = await Person.findOne({ _id: id, mergedInto: null });
    if (!person) {
      await auditDenied(req, actor, { type: 'person', id }, 'not_found');
      throw new NotFoundError('No such person.');
    }
    const grant = await openBreakGlass({ person, user, reason: body.reason, realtime: ctx.realtime });
    await appendAudit({
      actor,
      action: 'break_glass',
      subject: { type: 'person', id: person._id, personId: person._id },
      outcome: 'allowed',
      basis: { kind: 'break_glass', ref: grant._id },
      requestId: req.id,
    });
    res.status(201).json({ grant: presentBreakGlass(grant) });
  });

  return router;
}

/** The IG lead's review router, mounted at /api/break-glass. */
export function breakGlassRouter(): Router {
  const router = Router();
  router.use(authenticate(), requireRole('ig_lead'));

  router.get('/', validate(BreakGlassQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { reviewed } = req.query as { reviewed?: 'true' | 'false' };
    const filter = reviewed === undefined ? {} : { reviewedAt: reviewed === 'true' ? trusted({ $ne: null }) : null };
    const list = await BreakGlass.find({ agencyId: user.agencyId, ...filter }).sort({ grantedAt: -1 }).limit(QUEUE_LIMIT);
    await appendAudit({ actor: userActor(user), action: 'break_glass.list', subject: { type: 'break_glass' }, outcome: 'allowed', requestId: req.id });
    res.json({ grants: list.map(presentBreakGlassForReview) });
  });

  router.post('/:id/review', validate(IdParams, 'params'), validate(ReviewInput), async (req, res) => {
    const user = currentUser(req);
    const body = req.body as ReviewInputType;
    const grant = await reviewBreakGlass({ grantId: (req.params as { id: string }).id, user, outcome: body.outcome, note: body.note });
    await auditWrite(req, userActor(user), 'break_glass.review', { type: 'break_glass', id: grant._id, personId: grant.personId }, {
      reason: body.outcome,
      basis: { kind: 'break_glass', ref: grant._id },
    });
    res.json({ grant: presentBreakGlassForReview(grant) });
  });

  return router;
}
