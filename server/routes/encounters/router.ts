/**
 * Encounters recorded by signed-in users of an agency. (Agency systems send the same body to
 * /api/ingest/encounters with an API key.) The agency is always the caller's own. The record is
 * stored first and linked to a person by the link job (its link status shows `pending` until then).
 */
import { Router } from 'express';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { recordEncounter } from '../../commands/encounterRecorder';
import { presentEncounter } from '../../presenters/encounter';
import { EncounterInput, type EncounterInputType } from './schema';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { requestLink } from '../../linkage/requestLink';
import type { AppContext } from '../../context';

/** Roles that record contacts with people. */
export const RECORDING_ROLES = ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager'] as const;

/** The /api/encounters router. */
export function encountersRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/', authenticate(), requireRole(...RECORDING_ROLES), validate(EncounterInput), async (req, res) => {
    const user = currentUser(req);
    const { encounter, created } = await recordEncounter({
      agencyId: user.agencyId,
      input: req.body as EncounterInputType,
      source: 'user',
      createdBy: { userId: user._id },
    });
    // A re-send of a record still waiting to be linked queues it again (same job id: no duplicate).
    if (encounter.link?.status === 'pending') await requestLink((name) => ctx.queue(name), [encounter.id as string]);
    await auditWrite(req, userActor(user), 'encounter.create', { type: 'encounter', id: encounter._id, personId: encounter.personId ?? undefined }, { outcome: created ? 'succeeded' : 'allowed', reason: created ? 'created' : 'already_stored' });
    res.status(created ? 201 : 200).json({ encounter: presentEncounter(encounter), created });
  });
  return router;
}
