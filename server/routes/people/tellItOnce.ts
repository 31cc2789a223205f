/**
 * The "tell it once" summary: a short account the person agreed to share, so they need not
 * repeat their story at every hand-off. Written by a practitioner of an agency that knows the
 * person, and only while the person's effective consent is "given".
 */
import { Router } from 'express';
import { z } from 'zod';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError, NotFoundError } from '../../errors';
import { Person } from '../../models/Person';
import { Consent } from '../../models/Consent';
import { canRecordConsent } from '../../policies/people';
import { effectiveConsent } from '../../sharing';
import { consentFacts } from '../../commands/sharingFacts';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';

const Input = z.object({ text: z.string().trim().min(10, 'must be at least 10 characters').max(2000) }).strict();

/** PUT /api/people/:id/tell-it-once (expects `:id` from its parent). */
export function tellItOnceRouter(): Router {
  const router = Router({ mergeParams: true });
  router.put('/', authenticate(), validate(IdParams, 'params'), validate(Input), async (req, res) => {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const person = await Person.findById(id);
    if (!person || !canRecordConsent(user, person)) {
      await auditDenied(req, userActor(user), { type: 'person', id, personId: person?._id }, person ? 'agency_holds_no_record' : 'not_found');
      throw new NotFoundError('No such person.');
    }
    const history = await Consent.find({ personId: person._id });
    if (effectiveConsent(history.map(consentFacts), new Date()).state !== 'given') {
      throw new ConflictError('consent_needed', 'Record the person\'s consent before writing a summary to share.');
    }
    const { text } = req.body as { text: string };
    await Person.updateOne({ _id: person._id }, { $set: { tellItOnce: { text, updatedAt: new Date(), updatedBy: user._id } } });
    await auditWrite(req, userActor(user), 'person.tell_it_once', { type: 'person', id: person._id, personId: person._id });
    res.json({ tellItOnce: { text } });
  });
  return router;
}
