/**
 * Decisions to share without consent. Proposed on a person (`/api/people/:id/decisions`) by a
 * deciding role of an agency holding a record of them; signed off, rejected or revoked by an IG
 * lead of the deciding agency (`/api/decisions`). Foreign people and decisions answer 404.
 */
import { Router, type Request, type Response } from 'express';
import type { Types } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Person, type PersonDoc } from '../../models/Person';
import { DECISION_STATUSES, SharingDecision } from '../../models/SharingDecision';
import { decisionOptions, recordDecision, settleDecision, type SettleAction } from '../../commands/decisionRecorder';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { appendAudit } from '../../audit';
import { presentDecision } from '../../presenters/decision';
import { IdParams } from '../common';
import { canDecide } from './policy';
import { DecisionInput, DecisionQuery, RejectInput, RevokeInput, SignOffInput, type DecisionInputType } from './schema';

/** Most decisions one queue page lists. */
const QUEUE_LIMIT = 200;

async function loadPerson(req: Request): Promise<PersonDoc> {
  const user = currentUser(req);
  const id = (req.params as { id: string }).id;
  const person = await Person.findOne({ _id: id, mergedInto: null });
  if (!person || !canDecide(user, person)) {
    await auditDenied(req, userActor(user), { type: 'decision', personId: person?._id }, person ? 'agency_holds_no_record' : 'not_found');
    throw new NotFoundError('No such person.');
  }
  return person;
}

/** The person-scoped router, mounted at /api/people/:id/decisions. */
export function personDecisionsRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/options', authenticate(), validate(IdParams, 'params'), async (req, res) => {
    const person = await loadPerson(req);
    const options = await decisionOptions(person._id as Types.ObjectId);
    await appendAudit({ actor: userActor(currentUser(req)), action: 'decision.options', subject: { type: 'person', id: person._id, personId: person._id }, outcome: 'allowed', requestId: req.id });
    res.json(options);
  });

  router.post('/', authenticate(), validate(IdParams, 'params'), validate(DecisionInput), async (req, res) => {
    const person = await loadPerson(req);
    const user = currentUser(req);
    const decision = await recordDecision({ person, user, input: req.body as DecisionInputType, realtime: ctx.realtime });
    await auditWrite(req, userActor(user), 'decision.create', { type: 'decision', id: decision._id, personId: person._id }, {
      reason: decision.emergency ? 'emergency' : 'pending_signoff',
      basis: { kind: decision.basis, ref: decision._id },
    });
    res.status(201).json({ decision: presentDecision(decision) });
  });

  return router;
}

/** The IG lead's router, mounted at /api/decisions. */
export function decisionsRouter(): Router {
  const router = Router();
  router.use(authenticate(), requireRole('ig_lead'));

  router.get('/', validate(DecisionQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { status } = req.query as { status?: (typeof DECISION_STATUSES)[number] };
    const list = await SharingDecision.find({ decidedByAgency: user.agencyId, ...(status ? { status } : {}) })
      .sort({ decidedAt: -1 })
      .limit(QUEUE_LIMIT);
    res.json({ decisions: list.map(presentDecision) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const decision = await SharingDecision.findOne({ _id: (req.params as { id: string }).id, decidedByAgency: currentUser(req).agencyId });
    if (!decision) throw new NotFoundError('No such decision.');
    res.json({ decision: presentDecision(decision) });
  });

  const settle = (action: SettleAction) => async (req: Request, res: Response) => {
    const user = currentUser(req);
    const { note } = req.body as { note?: string };
    const decision = await settleDecision({ decisionId: (req.params as { id: string }).id, user, action, note });
    await auditWrite(req, userActor(user), `decision.${action}`, { type: 'decision', id: decision._id, personId: decision.personId }, {
      reason: decision.status,
      basis: { kind: decision.basis, ref: decision._id },
    });
    res.json({ decision: presentDecision(decision) });
  };
  router.post('/:id/sign-off', validate(IdParams, 'params'), validate(SignOffInput), settle('sign_off'));
  router.post('/:id/reject', validate(IdParams, 'params'), validate(RejectInput), settle('reject'));
  router.post('/:id/revoke', validate(IdParams, 'params'), validate(RevokeInput), settle('revoke'));

  return router;
}
