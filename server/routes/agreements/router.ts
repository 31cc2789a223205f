/**
 * Data-sharing agreements, managed by IG leads of the party agencies. An agreement another
 * agency's IG lead is not party to answers 404.
 */
import { Router } from 'express';
import { trusted, Types } from 'mongoose';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { Agency } from '../../models/Agency';
import { SharingAgreement } from '../../models/SharingAgreement';
import { presentAgreement } from '../../presenters/agreement';
import { IdParams } from '../common';
import { AGREEMENT_TRANSITIONS, AgreementInput, StatusInput, type AgreementInputType } from './schema';
import { auditWrite, userActor } from '../../commands/auditTrail';

/** The /api/agreements router. */
export function agreementsRouter(): Router {
  const router = Router();
  router.use(authenticate(), requireRole('ig_lead'));

  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const list = await SharingAgreement.find({ parties: user.agencyId }).sort({ createdAt: -1 });
    res.json({ agreements: list.map((a) => presentAgreement(a)) });
  });

  router.post('/', validate(AgreementInput), async (req, res) => {
    const user = currentUser(req);
    const body = req.body as AgreementInputType;
    if (!body.parties.includes(String(user.agencyId))) throw new ValidationError('parties: must include your own agency', { field: 'parties' });
    const found = await Agency.countDocuments({ _id: trusted({ $in: body.parties }) });
    if (found !== body.parties.length) throw new ValidationError('parties: includes an unknown agency', { field: 'parties' });
    const agreement = await SharingAgreement.create({
      ...body,
      parties: body.parties.map((id) => new Types.ObjectId(id)),
      validTo: body.validTo ?? null,
      status: 'draft',
      createdBy: user._id,
    });
    await auditWrite(req, userActor(user), 'agreement.create', { type: 'agreement', id: agreement._id });
    res.status(201).json({ agreement: presentAgreement(agreement) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const agreement = await SharingAgreement.findOne({ _id: (req.params as { id: string }).id, parties: user.agencyId });
    if (!agreement) throw new NotFoundError('No such agreement.');
    res.json({ agreement: presentAgreement(agreement) });
  });

  router.post('/:id/status', validate(IdParams, 'params'), validate(StatusInput), async (req, res) => {
    const user = currentUser(req);
    const { status } = req.body as { status: string };
    const agreement = await SharingAgreement.findOne({ _id: (req.params as { id: string }).id, parties: user.agencyId });
    if (!agreement) throw new NotFoundError('No such agreement.');
    if (!AGREEMENT_TRANSITIONS[agreement.status]?.includes(status)) {
      throw new ConflictError('invalid_transition', `An agreement that is ${agreement.status} cannot become ${status}.`);
    }
    // State-guarded: a concurrent change makes this a no-op and a 409.
    const updated = await SharingAgreement.findOneAndUpdate({ _id: agreement._id, status: agreement.status }, { $set: { status } }, { returnDocument: 'after' });
    if (!updated) throw new ConflictError();
    await auditWrite(req, userActor(user), 'agreement.status', { type: 'agreement', id: updated._id }, { reason: status });
    res.json({ agreement: presentAgreement(updated) });
  });

  return router;
}
