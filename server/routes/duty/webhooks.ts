/**
 * `/api/duty/webhooks`: an agency admin registers the pager or SMS gateway endpoints of their
 * agency. The signing secret is shown once, at creation, and kept encrypted.
 */
import { Router } from 'express';
import type { AppContext } from '../../context';
import { currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { WebhookEndpoint, type WebhookEndpointDoc } from '../../models/WebhookEndpoint';
import { encryptField } from '../../auth/secrets';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { newWebhookSecret } from '../../notify/signature';
import { IdParams } from '../common';
import { WebhookInput } from './schema';

function presentEndpoint(e: WebhookEndpointDoc) {
  return { id: e.id as string, name: e.name, url: e.url, secretHint: e.secretHint, active: e.active, createdAt: (e as unknown as { createdAt: Date }).createdAt.toISOString() };
}

export function webhooksRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(requireRole('agency_admin'));

  router.get('/', async (req, res) => {
    const list = await WebhookEndpoint.find({ agencyId: currentUser(req).agencyId, active: true }).sort({ createdAt: 1 });
    res.json({ webhooks: list.map(presentEndpoint) });
  });

  router.post('/', validate(WebhookInput), async (req, res) => {
    const user = currentUser(req);
    const { name, url } = req.body as { name: string; url: string };
    const secret = newWebhookSecret();
    const endpoint = await WebhookEndpoint.create({
      agencyId: user.agencyId, name, url, secretEnc: encryptField(ctx.config.sessionSecret, secret), secretHint: secret.slice(0, 10), createdBy: user._id,
    });
    await auditWrite(req, userActor(user), 'webhook.create', { type: 'webhook', id: endpoint._id });
    res.status(201).json({ webhook: presentEndpoint(endpoint), secret });
  });

  router.delete('/:id', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const endpoint = await WebhookEndpoint.findOneAndUpdate({ _id: (req.params as { id: string }).id, agencyId: user.agencyId, active: true }, { $set: { active: false } }, { returnDocument: 'after' });
    if (!endpoint) throw new NotFoundError('No such webhook.');
    await auditWrite(req, userActor(user), 'webhook.delete', { type: 'webhook', id: endpoint._id });
    res.status(204).end();
  });

  return router;
}
