/**
 * GET /api/people/:id/consents/fhir — the person's consent history as a FHIR R4 Bundle of
 * `Consent` resources (mapping in presenters/fhirConsent.ts). Same access as the history itself:
 * a practitioner-type role or IG lead of an agency holding a record of the person; anyone else
 * gets 404. Audited as an export.
 */
import { Router } from 'express';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Person } from '../../models/Person';
import { Consent } from '../../models/Consent';
import { canReadConsents } from '../../policies/people';
import { toFhirConsentBundle } from '../../presenters/fhirConsent';
import { IdParams } from '../common';
import { auditDenied, userActor } from '../../commands/auditTrail';
import { appendAudit } from '../../audit';

/** The consents FHIR export router (expects `:id` from its parents). */
export function consentsFhirRouter(): Router {
  const router = Router({ mergeParams: true });

  router.get('/', authenticate(), validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const person = await Person.findById((req.params as { id: string }).id);
    if (!person || !canReadConsents(user, person)) {
      await auditDenied(req, userActor(user), { type: 'consent', personId: person?._id }, person ? 'agency_holds_no_record' : 'not_found');
      throw new NotFoundError('No such person.');
    }
    const history = await Consent.find({ personId: person._id });
    await appendAudit({
      actor: userActor(user), action: 'export', subject: { type: 'consent', personId: person._id },
      outcome: 'allowed', reason: `fhir_consent_bundle entries=${history.length}`, requestId: req.id,
    });
    res.type('application/fhir+json').json(toFhirConsentBundle(history));
  });

  return router;
}
