import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildApiClient, buildUser } from '../helpers/factories';
import { ApiClient } from '../../server/models/ApiClient';
import { AuditEvent } from '../../server/models/AuditEvent';
import { sha256 } from '../../server/auth/secrets';
import type { Role } from '../../server/models/roles';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('apiclients');
});
afterAll(async () => app.close());

async function agencyAdmin() {
  const own = await buildAgency();
  return { own, session: await app.as(await buildUser({ roles: ['agency_admin'], agency: own, mfa: true })) };
}

const whoami = (key: string) => app.anon().get('/api/ingest/whoami').set('Authorization', `ApiKey ${key}`);

describe('POST /api/api-clients', () => {
  it('creates a client for the admin\'s agency and shows the working key once, storing only its hash', async () => {
    const { own, session } = await agencyAdmin();
    const res = await session.post('/api/api-clients', { name: 'Canary RMS feed', scopes: ['ingest'] });
    expect(res.status).toBe(201);
    const { key, apiClient } = res.body as { key: string; apiClient: { id: string; keyId: string } };
    expect(key).toMatch(/^ccw_[a-f0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(apiClient).toMatchObject({ name: 'Canary RMS feed', scopes: ['ingest'], active: true, revokedAt: null, keyId: key.slice(4, 20) });
    expect(JSON.stringify(apiClient)).not.toMatch(/keyHash/);

    const secret = key.split('.')[1];
    const stored = await ApiClient.findById(apiClient.id).lean();
    expect(String(stored!.agencyId)).toBe(own.id);
    expect(stored!.keyHash).toBe(sha256(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const who = await whoami(key);
    expect(who.status).toBe(200);
    expect(who.body.client).toEqual({ id: apiClient.id, agencyId: own.id, scopes: ['ingest'] });

    // Never again: the list carries neither the key, its secret nor the hash.
    const list = await session.get('/api/api-clients');
    expect(list.status).toBe(200);
    expect(list.body.apiClients.map((c: { id: string }) => c.id)).toEqual([apiClient.id]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(stored!.keyHash);
    expect(JSON.stringify(list.body)).not.toMatch(/keyHash|"key"/);

    const events = await AuditEvent.find({ action: 'api_client.create', 'subject.id': apiClient.id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0].reason).toBe('scopes=ingest');
    expect(JSON.stringify(events)).not.toMatch(/Canary|ccw_/);
  });

  it.each([
    ['an unknown scope', { name: 'Feed', scopes: ['admin'] }, /^scopes\.0:/],
    ['no scope', { name: 'Feed', scopes: [] }, /^scopes:/],
    ['an agencyId (mass assignment)', { name: 'Feed', scopes: ['ingest'], agencyId: '0123456789abcdef01234567' }, /Unrecognized|agencyId/],
    ['a keyHash (mass assignment)', { name: 'Feed', scopes: ['ingest'], keyHash: 'ab'.repeat(32) }, /Unrecognized|keyHash/],
    ['a revokedAt (mass assignment)', { name: 'Feed', scopes: ['ingest'], revokedAt: null }, /Unrecognized|revokedAt/],
    ['an operator as the name', { name: { $gt: '' }, scopes: ['ingest'] }, /^name:/],
  ])('refuses %s with 400', async (_n, body, message) => {
    const { own, session } = await agencyAdmin();
    const res = await session.post('/api/api-clients', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await ApiClient.countDocuments({ agencyId: own._id })).toBe(0);
  });
});

describe('POST /api/api-clients/:id/revoke', () => {
  it('revokes a key so it stops working at once, and audits it', async () => {
    const { own, session } = await agencyAdmin();
    const { client, key } = await buildApiClient({ agency: own });
    expect((await whoami(key)).status).toBe(200);
    const res = await session.post(`/api/api-clients/${client.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.apiClient).toMatchObject({ id: client.id, active: false });
    expect(res.body.apiClient.revokedAt).toEqual(expect.any(String));
    const after = await whoami(key);
    expect([after.status, after.body.error.code]).toEqual([401, 'invalid_api_key']);
    const again = await session.post(`/api/api-clients/${client.id}/revoke`);
    expect([again.status, again.body.error.code]).toEqual([409, 'already_revoked']);
    expect(await AuditEvent.countDocuments({ action: 'api_client.revoke', 'subject.id': client.id })).toBe(1);
  });

  it('hides another agency\'s client (404 on revoke, absent from the list) and leaves its key working', async () => {
    const { session } = await agencyAdmin();
    const foreign = await buildApiClient();
    const res = await session.post(`/api/api-clients/${foreign.client.id}/revoke`);
    expect(res.status).toBe(404);
    expect((await session.get('/api/api-clients')).body.apiClients).toEqual([]);
    expect((await whoami(foreign.key)).status).toBe(200);
  });

  it('answers 400 for a malformed id', async () => {
    const { session } = await agencyAdmin();
    expect((await session.post('/api/api-clients/abc/revoke')).status).toBe(400);
    expect((await session.post('/api/api-clients/%7B%22%24ne%22%3Anull%7D/revoke')).status).toBe(400);
  });
});

describe('who may manage API clients', () => {
  it('refuses other roles (even a system admin of the agency) with 403', async () => {
    const own = await buildAgency();
    const { client, key } = await buildApiClient({ agency: own });
    for (const roles of [['practitioner'], ['ig_lead'], ['system_admin']] as Role[][]) {
      const session = await app.as(await buildUser({ roles, agency: own, mfa: roles[0] !== 'practitioner' }));
      expect([roles, (await session.get('/api/api-clients')).status]).toEqual([roles, 403]);
      expect([roles, (await session.post('/api/api-clients', { name: 'Feed', scopes: ['ingest'] })).status]).toEqual([roles, 403]);
      expect([roles, (await session.post(`/api/api-clients/${client.id}/revoke`)).status]).toEqual([roles, 403]);
    }
    expect((await whoami(key)).status).toBe(200);
    expect(await ApiClient.countDocuments({ agencyId: own._id })).toBe(1);
  });

  it('refuses an anonymous caller with 401', async () => {
    expect((await app.anon().get('/api/api-clients')).status).toBe(401);
  });
});
