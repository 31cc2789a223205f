/**
 * Subject access request: an IG lead of an agency holding a record of the person exports
 * everything the workspace holds about them (JSON, or a printable HTML page with ?format=html).
 * A bulk export, so it needs a fresh second factor. Mounted under /api/people/:id/sar; other
 * roles get 403, IG leads of agencies that do not know the person 404. Audited as `sar.export`.
 */
import { Router } from 'express';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { AppError, NotFoundError } from '../../errors';
import { requireStepUp } from '../../auth/stepUp';
import { Person } from '../../models/Person';
import { agencyKnowsPerson } from '../../policies/people';
import { collectSubjectAccess } from '../../commands/subjectAccess';
import { auditDenied, userActor } from '../../commands/auditTrail';
import { appendAudit } from '../../audit';
import { presentSubjectAccess } from '../../presenters/sar';
import { renderSubjectAccessHtml } from '../../presenters/sarHtml';
import { IdParams } from '../common';
import { SarInput, SarQuery, type SarInputType, type SarQueryType } from './schema';

/** The SAR router (expects `:id` from its parent). */
export function sarRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.post('/', authenticate(), requireRole('ig_lead'), validate(IdParams, 'params'), validate(SarQuery, 'query'), validate(SarInput), async (req, res) => {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const { format } = req.query as unknown as SarQueryType;
    const person = await Person.findById(id);
    const subject = { type: 'person', id, personId: person?._id };
    if (!person || !agencyKnowsPerson(user, person)) {
      await auditDenied(req, userActor(user), subject, person ? 'agency_holds_no_record' : 'not_found');
      throw new NotFoundError('No such person.');
    }
    try {
      await requireStepUp(ctx, user, (req.body as SarInputType).code);
    } catch (err) {
      if (err instanceof AppError) await auditDenied(req, userActor(user), subject, err.code);
      throw err;
    }
    const generatedAt = new Date();
    const data = await collectSubjectAccess(person);
    const report = presentSubjectAccess(data, user, generatedAt);
    await appendAudit({
      actor: userActor(user), action: 'sar.export', subject, purpose: 'sar', outcome: 'succeeded', requestId: req.id,
      reason: `format=${format} encounters=${report.encounters.length} consents=${report.consents.length} decisions=${report.sharingDecisions.length} audit=${report.auditEvents.length}`,
    });
    if (format === 'html') {
      res.type('html').attachment(`subject-access-${person.id as string}-${generatedAt.toISOString().slice(0, 10)}.html`);
      res.send(renderSubjectAccessHtml(report));
      return;
    }
    res.json(report);
  });

  return router;
}
