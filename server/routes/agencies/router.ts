/**
 * Agencies: every signed-in user lists the active ones (pickers need them); system admins create
 * and change them. Codes are unique: a clash is a 409 `duplicate_code`.
 */
import { Router } from 'express';
import { trusted } from 'mongoose';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { Agency } from '../../models/Agency';
import { hasRole } from '../../models/User';
import { presentAgency, presentAgencyForAdmin } from '../../presenters/agency';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';
import { AgencyInput, AgencyListQuery, AgencyPatch, type AgencyInputType, type AgencyPatchType } from './schema';
import { forgetAgencyFacts } from '../../commands/agencyFacts';

const duplicateCode = () => new ConflictError('duplicate_code', 'Another agency already uses that code.');

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** The /api/agencies router. */
export function agenciesRouter(): Router {
  const router = Router();
  router.use(authenticate());

  router.get('/', validate(AgencyListQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const all = (req.query as { includeInactive?: string }).includeInactive === 'true';
    if (all && !hasRole(user, 'system_admin')) throw new ForbiddenError();
    const list = await Agency.find(all ? {} : { active: true }).sort({ name: 1 });
    const admin = hasRole(user, 'system_admin');
    res.json({ agencies: list.map((a) => (admin ? presentAgencyForAdmin(a) : presentAgency(a))) });
  });

  router.post('/', requireRole('system_admin'), validate(AgencyInput), async (req, res) => {
    const user = currentUser(req);
    const body = req.body as AgencyInputType;
    if (await Agency.exists({ code: body.code })) throw duplicateCode();
    const agency = await Agency.create({ ...body, active: body.active ?? true }).catch((err: unknown) => {
      throw isDuplicateKey(err) ? duplicateCode() : err;
    });
    await auditWrite(req, userActor(user), 'agency.create', { type: 'agency', id: agency._id });
    res.status(201).json({ agency: presentAgencyForAdmin(agency) });
  });

  router.patch('/:id', requireRole('system_admin'), validate(IdParams, 'params'), validate(AgencyPatch), async (req, res) => {
    const user = currentUser(req);
    const { id } = req.params as { id: string };
    const patch = req.body as AgencyPatchType;
    if (patch.code && (await Agency.exists({ code: patch.code, _id: trusted({ $ne: id }) }))) throw duplicateCode();
    const agency = await Agency.findOneAndUpdate({ _id: id }, { $set: patch }, { returnDocument: 'after', runValidators: true }).catch((err: unknown) => {
      throw isDuplicateKey(err) ? duplicateCode() : err;
    });
    if (!agency) throw new NotFoundError('No such agency.');
    forgetAgencyFacts();
    await auditWrite(req, userActor(user), 'agency.update', { type: 'agency', id: agency._id }, { reason: `changed=${Object.keys(patch).sort().join('+')}` });
    res.json({ agency: presentAgencyForAdmin(agency) });
  });

  return router;
}
