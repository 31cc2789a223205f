/**
 * System-to-system entry point for agency systems, authenticated by API key (no session, no
 * cookie, no CSRF). Encounter ingestion builds on this; stored records are linked by the link job.
 */
import { Router } from 'express';
import { Types } from 'mongoose';
import type { PassportInstance as Passport } from '../../auth/passport';
import { authenticateApiClient } from '../../middlewares/authenticate';
import type { ApiPrincipal } from '../../auth/apiKeys';
import { validate } from '../../middlewares/validate';
import { recordEncounter } from '../../commands/encounterRecorder';
import { presentEncounter } from '../../presenters/encounter';
import { EncounterInput, type EncounterInputType } from '../encounters/schema';
import { apiActor, auditWrite } from '../../commands/auditTrail';
import { requestLink } from '../../linkage/requestLink';
import type { AppContext } from '../../context';

/** The /api/ingest router. */
export function ingestRouter(passport: Passport, ctx: AppContext): Router {
  const router = Router();
  router.get('/whoami', authenticateApiClient(passport, 'ingest'), (_req, res) => {
    const client = res.locals.apiClient as ApiPrincipal;
    res.json({ client: { id: client.id, agencyId: client.agencyId, scopes: client.scopes } });
  });
  router.post('/encounters', authenticateApiClient(passport, 'ingest'), validate(EncounterInput), async (req, res) => {
    const client = res.locals.apiClient as ApiPrincipal;
    const { encounter, created } = await recordEncounter({
      agencyId: new Types.ObjectId(client.agencyId),
      input: req.body as EncounterInputType,
      source: 'api',
      createdBy: { apiClientId: new Types.ObjectId(client.id) },
    });
    await Promise.all([
      // Linked by the link job; a re-send of a record still waiting queues it again (same job id).
      encounter.link?.status === 'pending' ? requestLink((name) => ctx.queue(name), [encounter.id as string]) : undefined,
      auditWrite(req, apiActor(client), 'encounter.create', { type: 'encounter', id: encounter._id, personId: encounter.personId ?? undefined }, { outcome: created ? 'succeeded' : 'allowed', reason: created ? 'created' : 'already_stored' }),
    ]);
    // The sending system gets its own record back (it is the owning agency).
    res.status(created ? 201 : 200).json({ encounter: presentEncounter(encounter), created });
  });
  return router;
}
