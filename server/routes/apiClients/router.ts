/**
 * API clients (agency systems that push records), managed by their agency's admins. The full key
 * is returned once, at creation; only a hash is stored. Revoking takes effect on the next request.
 * Another agency's client answers 404.
 */
import { Router } from 'express';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError, NotFoundError } from '../../errors';
import { ApiClient } from '../../models/ApiClient';
import { newApiKey } from '../../auth/apiKeys';
import { presentApiClient } from '../../presenters/apiClient';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';
import { ApiClientCreate, type ApiClientCreateType } from './schema';

/** The /api/api-clients router. */
export function apiClientsRouter(): Router {
  const router = Router();
  router.use(authenticate(), requireRole('agency_admin'));

  router.get('/', async (req, res) => {
    const admin = currentUser(req);
    const list = await ApiClient.find({ agencyId: admin.agencyId }).sort({ createdAt: -1 });
    res.json({ apiClients: list.map((c) => presentApiClient(c)) });
  });

  router.post('/', validate(ApiClientCreate), async (req, res) => {
    const admin = currentUser(req);
    const body = req.body as ApiClientCreateType;
    const { key, keyId, keyHash } = newApiKey();
    const client = await ApiClient.create({ agencyId: admin.agencyId, name: body.name, scopes: body.scopes, keyId, keyHash });
    await auditWrite(req, userActor(admin), 'api_client.create', { type: 'api_client', id: client._id }, { reason: `scopes=${body.scopes.join('+')}` });
    // The only time the key leaves the server: it cannot be shown again.
    res.status(201).json({ apiClient: presentApiClient(client), key });
  });

  router.post('/:id/revoke', validate(IdParams, 'params'), async (req, res) => {
    const admin = currentUser(req);
    const id = (req.params as { id: string }).id;
    // State-guarded: only an active key of the admin's agency is revoked, exactly once.
    const revoked = await ApiClient.findOneAndUpdate({ _id: id, agencyId: admin.agencyId, revokedAt: null }, { $set: { revokedAt: new Date() } }, { returnDocument: 'after' });
    if (!revoked) {
      if (await ApiClient.exists({ _id: id, agencyId: admin.agencyId })) throw new ConflictError('already_revoked', 'That key is already revoked.');
      throw new NotFoundError('No such API client.');
    }
    await auditWrite(req, userActor(admin), 'api_client.revoke', { type: 'api_client', id: revoked._id });
    res.json({ apiClient: presentApiClient(revoked) });
  });

  return router;
}
