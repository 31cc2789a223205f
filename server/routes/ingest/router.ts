/**
 * System-to-system entry point for agency systems, authenticated by API key (no session, no
 * cookie, no CSRF). Encounter ingestion builds on this.
 */
import { Router } from 'express';
import type { PassportInstance as Passport } from '../../auth/passport';
import { authenticateApiClient } from '../../middlewares/authenticate';
import type { ApiPrincipal } from '../../auth/apiKeys';

/** The /api/ingest router. */
export function ingestRouter(passport: Passport): Router {
  const router = Router();
  router.get('/whoami', authenticateApiClient(passport, 'ingest'), (_req, res) => {
    const client = res.locals.apiClient as ApiPrincipal;
    res.json({ client: { id: client.id, agencyId: client.agencyId, scopes: client.scopes } });
  });
  return router;
}
