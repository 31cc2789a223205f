/**
 * A person's consent history: append an entry, read the history and the effective consent.
 * Mounted under /api/people/:id/consents. Unknown people and people the caller's agency has no
 * record of both answer 404.
 */
import { Router, type Request } from 'express';
import { Types } from 'mongoose';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Person, type PersonDoc } from '../../models/Person';
import { Consent } from '../../models/Consent';
import { canReadConsents, canRecordConsent } from '../../policies/people';
import { effectiveConsent } from '../../sharing';
import { consentFacts } from '../../commands/sharingFacts';
import { presentConsent, presentEffective } from '../../presenters/consent';
import { IdParams } from '../common';
import { ConsentInput, type ConsentInputType } from './schema';
import { consentsFhirRouter } from './fhir';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { appendAudit } from '../../audit';
import type { AppContext } from '../../context';
import { requestDetection } from '../../alerts/requestDetection';

/** Without an expiry, a consent is reviewed after a year. */
const DEFAULT_CONSENT_MS = 365 * 24 * 3_600_000;

async function loadPerson(req: Request, allowed: (u: ReturnType<typeof currentUser>, p: PersonDoc) => boolean): Promise<PersonDoc> {
  const id = (req.params as { id: string }).id;
  const person = await Person.findById(id);
  if (!person || !allowed(currentUser(req), person)) {
    await auditDenied(req, userActor(currentUser(req)), { type: 'consent', personId: person?._id }, person ? 'agency_holds_no_record' : 'not_found');
    throw new NotFoundError('No such person.');
  }
  return person;
}

/** The consents router (expects `:id` from its parent). */
export function consentsRouter(ctx?: Pick<AppContext, 'queue'>): Router {
  const router = Router({ mergeParams: true });
  router.use('/fhir', consentsFhirRouter());

  router.get('/', authenticate(), validate(IdParams, 'params'), async (req, res) => {
    const person = await loadPerson(req, canReadConsents);
    const history = await Consent.find({ personId: person._id }).sort({ recordedAt: -1 });
    await appendAudit({ actor: userActor(currentUser(req)), action: 'consent.read', subject: { type: 'consent', personId: person._id }, outcome: 'allowed', requestId: req.id });
    res.json({
      effective: presentEffective(effectiveConsent(history.map(consentFacts), new Date())),
      history: history.map(presentConsent),
    });
  });

  router.post('/', authenticate(), validate(IdParams, 'params'), validate(ConsentInput), async (req, res) => {
    const person = await loadPerson(req, canRecordConsent);
    const user = currentUser(req);
    const body = req.body as ConsentInputType;
    const now = new Date();
    const consent = await Consent.create({
      personId: person._id,
      status: body.status,
      scope: { ...body.scope, agencies: body.scope.agencies.map((id) => new Types.ObjectId(id)) },
      evidence: body.evidence ?? null,
      recordedBy: user._id,
      recordedByAgency: user.agencyId,
      recordedAt: now,
      expiresAt: body.status === 'given' ? (body.expiresAt ?? new Date(now.getTime() + DEFAULT_CONSENT_MS)) : (body.expiresAt ?? null),
    });
    await auditWrite(req, userActor(user), 'consent.create', { type: 'consent', id: consent._id, personId: person._id }, { reason: body.status });
    // Consent decides who hears about the person's alerts: re-evaluate them.
    if (ctx) await requestDetection(ctx.queue, [String(person._id)]);
    res.status(201).json({ consent: presentConsent(consent) });
  });

  return router;
}
