/**
 * Encounters recorded by signed-in users of an agency. (Agency systems send the same body to
 * /api/ingest/encounters with an API key.) The agency is always the caller's own.
 */
import { Router } from 'express';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { recordEncounter } from '../../commands/encounterRecorder';
import { presentEncounter } from '../../presenters/encounter';
import { EncounterInput, type EncounterInputType } from './schema';
import { auditWrite, userActor } from '../../commands/auditTrail';

/** Roles that record contacts with people. */
export const RECORDING_ROLES = ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager'] as const;

/** The /api/encounters router. */
export function encountersRouter(): Router {
  const router = Router();
  router.post('/', authenticate(), requireRole(...RECORDING_ROLES), validate(EncounterInput), async (req, res) => {
    const user = currentUser(req);
    const { encounter, created } = await recordEncounter({
      agencyId: user.agencyId,
      input: req.body as EncounterInputType,
      source: 'user',
      createdBy: { userId: user._id },
    });
    await auditWrite(req, userActor(user), 'encounter.create', { type: 'encounter', id: encounter._id, personId: encounter.personId ?? undefined }, { outcome: created ? 'succeeded' : 'allowed', reason: created ? 'created' : 'already_stored' });
    res.status(created ? 201 : 200).json({ encounter: presentEncounter(encounter), created });
  });
  return router;
}
