/**
 * Correcting links on a person, for the reviewers of an agency (panel chairs, IG leads, agency
 * admins): unlink one of their agency's records into a person of its own (a split), or merge
 * another person into this one. A person or record the reviewer's agency may not act on is a 404.
 * Both re-run detection for the people involved. Consents stay where they were recorded
 * (server/linkage/personMerge.ts says why).
 */
import { Router } from 'express';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Person, type PersonDoc } from '../../models/Person';
import { Encounter } from '../../models/Encounter';
import { canMergePeople, canUnlinkRecord, REVIEW_ROLES } from '../../policies/matchReviews';
import { mergePeople, splitEncounter } from '../../linkage/personMerge';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';
import { MergeInput, UnlinkInput, type MergeInputType, type UnlinkInputType } from './schema';

async function livePerson(id: string): Promise<PersonDoc | null> {
  return Person.findOne({ _id: id, mergedInto: null });
}

/** Routes mounted at /api/people/:id. */
export function personLinksRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.post('/unlink', authenticate(), requireRole(...REVIEW_ROLES), validate(IdParams, 'params'), validate(UnlinkInput), async (req, res) => {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const { encounterId } = req.body as UnlinkInputType;
    const person = await livePerson(id);
    const record = person ? await Encounter.findOne({ _id: encounterId, personId: person._id }).select('agencyId personId') : null;
    if (!person || !record || !canUnlinkRecord(user, record)) {
      await auditDenied(req, userActor(user), { type: 'encounter', id: encounterId, personId: person?._id }, !person ? 'not_found' : !record ? 'record_not_on_person' : 'other_agency');
      throw new NotFoundError('No such record on this person.');
    }
    const { personId } = await splitEncounter({ encounterId, fromPersonId: person._id, queue: (name) => ctx.queue(name) });
    await auditWrite(req, userActor(user), 'person.unlink', { type: 'encounter', id: encounterId, personId: person._id }, { reason: `new_person=${personId}` });
    res.json({ personId, fromPersonId: id, encounterId });
  });

  router.post('/merge', authenticate(), requireRole(...REVIEW_ROLES), validate(IdParams, 'params'), validate(MergeInput), async (req, res) => {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const { sourceId } = req.body as MergeInputType;
    const [into, from] = await Promise.all([livePerson(id), livePerson(sourceId)]);
    if (!into || !from || !canMergePeople(user, into, from)) {
      await auditDenied(req, userActor(user), { type: 'person', id, personId: into?._id }, into && from ? 'agency_holds_no_record' : 'not_found');
      throw new NotFoundError('No such person.');
    }
    const { moved } = await mergePeople({ sourceId: from._id, targetId: into._id, method: 'merge', queue: (name) => ctx.queue(name) });
    await auditWrite(req, userActor(user), 'person.merge', { type: 'person', id: into._id, personId: into._id }, { reason: `merged=${String(from._id)} records=${moved}` });
    res.json({ personId: id, mergedPersonId: sourceId, moved });
  });

  return router;
}
