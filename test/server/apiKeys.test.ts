import { startTestApp, type TestApp } from '../helpers/server';
import { buildApiClient } from '../helpers/factories';
import { ApiClient } from '../../server/models/ApiClient';
import { LAST_USED_RESOLUTION_MS } from '../../server/auth/apiKeys';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('apikeys');
});
afterAll(async () => app.close());

describe('GET /api/ingest/whoami (API key)', () => {
  it('authenticates an agency system by its key, with no cookie or CSRF token', async () => {
    const { key, client, agency } = await buildApiClient();
    const res = await app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${key}`);
    expect(res.status).toBe(200);
    expect(res.body.client).toEqual({ id: client.id, agencyId: agency.id, scopes: ['ingest'] });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('stores only a hash of the key', async () => {
    const { key, client } = await buildApiClient();
    const stored = await ApiClient.findById(client._id).lean();
    expect(JSON.stringify(stored)).not.toContain(key.split('.')[1]);
  });

  it('refuses a revoked key, a wrong secret, a malformed key and no key with 401', async () => {
    const revoked = await buildApiClient({ revoked: true });
    const good = await buildApiClient();
    const wrongSecret = good.key.slice(0, -4) + 'AAAA';
    for (const header of [`ApiKey ${revoked.key}`, `ApiKey ${wrongSecret}`, 'ApiKey {"$gt":""}', undefined]) {
      const req = app.anon().get('/api/ingest/whoami');
      const res = header ? await req.set('Authorization', header) : await req;
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_api_key');
    }
  });

  it('refuses a key at once when it is revoked, though its check was cached, and a new key works at once', async () => {
    const { key, client } = await buildApiClient();
    const call = () => app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${key}`);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200); // answered from the cache
    await ApiClient.findOneAndUpdate({ _id: client._id }, { $set: { revokedAt: new Date() } });
    const refused = await call();
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_api_key');
    const fresh = await buildApiClient();
    expect((await app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${fresh.key}`)).status).toBe(200);
  });

  it('records when a key was last used, to the minute (not a write per request)', async () => {
    const { key, client } = await buildApiClient();
    expect((await ApiClient.findById(client._id).lean())?.lastUsedAt).toBeNull();
    const call = () => app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${key}`).expect(200);
    await call();
    const first = (await ApiClient.findById(client._id).lean())?.lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await call();
    expect((await ApiClient.findById(client._id).lean())?.lastUsedAt).toEqual(first);
    // Older than the resolution: the next request refreshes it.
    const stale = new Date(Date.now() - LAST_USED_RESOLUTION_MS - 1000);
    await ApiClient.updateOne({ _id: client._id }, { $set: { lastUsedAt: stale } });
    await call();
    const refreshed = (await ApiClient.findById(client._id).lean())?.lastUsedAt as Date;
    expect(refreshed.getTime()).toBeGreaterThan(stale.getTime() + LAST_USED_RESOLUTION_MS);
  });

  it('refuses a key without the scope with 403', async () => {
    const { key } = await buildApiClient({ scopes: ['read'] });
    const res = await app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${key}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('missing_scope');
  });
});
