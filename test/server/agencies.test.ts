import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { Agency } from '../../server/models/Agency';
import { AuditEvent } from '../../server/models/AuditEvent';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('agencies');
});
afterAll(async () => app.close());

let n = 0;
const code = () => `T${Date.now().toString(36).toUpperCase()}${n++}`;

async function systemAdmin() {
  return app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
}

describe('GET /api/agencies', () => {
  it('lists active agencies with only id, code, name and kind to any signed-in user', async () => {
    const active = await buildAgency({ kind: 'housing', name: 'Canary Housing Trust' });
    const inactive = await buildAgency();
    await Agency.updateOne({ _id: inactive._id }, { $set: { active: false } });
    const practitioner = await app.as(await buildUser());
    const res = await practitioner.get('/api/agencies');
    expect(res.status).toBe(200);
    const ids = res.body.agencies.map((a: { id: string }) => a.id);
    expect(ids).toContain(active.id);
    expect(ids).not.toContain(inactive.id);
    const shown = res.body.agencies.find((a: { id: string }) => a.id === active.id);
    expect(shown).toEqual({ id: active.id, code: active.code, name: 'Canary Housing Trust', kind: 'housing' });
  });

  it('shows inactive agencies to a system admin who asks, and refuses anyone else with 403', async () => {
    const inactive = await buildAgency();
    await Agency.updateOne({ _id: inactive._id }, { $set: { active: false } });
    const admin = await systemAdmin();
    const res = await admin.get('/api/agencies?includeInactive=true');
    expect(res.status).toBe(200);
    expect(res.body.agencies.find((a: { id: string }) => a.id === inactive.id)).toMatchObject({ active: false });
    const practitioner = await app.as(await buildUser());
    expect((await practitioner.get('/api/agencies?includeInactive=true')).status).toBe(403);
  });

  it('refuses an anonymous caller with 401 and an injected query with 400', async () => {
    expect((await app.anon().get('/api/agencies')).status).toBe(401);
    const practitioner = await app.as(await buildUser());
    expect((await practitioner.get('/api/agencies?active[$ne]=x')).status).toBe(400);
  });
});

describe('POST /api/agencies', () => {
  it('lets a system admin create an agency and audits it without its name', async () => {
    const admin = await systemAdmin();
    const c = code();
    const res = await admin.post('/api/agencies', { code: c, name: 'Canary Safe Haven', kind: 'voluntary' });
    expect(res.status).toBe(201);
    expect(res.body.agency).toMatchObject({ code: c, name: 'Canary Safe Haven', kind: 'voluntary', active: true });
    expect(await Agency.exists({ code: c })).toBeTruthy();
    const events = await AuditEvent.find({ action: 'agency.create', 'subject.id': res.body.agency.id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'succeeded', subject: { type: 'agency' } });
    expect(JSON.stringify(events)).not.toContain('Canary');
  });

  it('refuses a duplicate code with 409 duplicate_code', async () => {
    const admin = await systemAdmin();
    const existing = await buildAgency();
    const res = await admin.post('/api/agencies', { code: existing.code, name: 'Another', kind: 'gp' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_code');
    expect(await Agency.countDocuments({ code: existing.code })).toBe(1);
  });

  it.each([
    ['an agency admin', ['agency_admin'] as const, true],
    ['an IG lead', ['ig_lead'] as const, true],
    ['a practitioner', ['practitioner'] as const, false],
  ])('refuses %s with 403', async (_n, roles, mfa) => {
    const session = await app.as(await buildUser({ roles: [...roles], mfa }));
    const c = code();
    expect((await session.post('/api/agencies', { code: c, name: 'Nope', kind: 'gp' })).status).toBe(403);
    expect(await Agency.exists({ code: c })).toBeNull();
  });

  it.each([
    ['an operator for the code', { code: { $gt: '' }, name: 'X agency', kind: 'gp' }, /^code:/],
    ['an unknown kind', { code: 'OKCODE', name: 'X agency', kind: 'bank' }, /^kind:/],
    ['a malformed code', { code: 'no spaces allowed', name: 'X agency', kind: 'gp' }, /^code:/],
    ['an _id (mass assignment)', { code: 'OKCODE2', name: 'X agency', kind: 'gp', _id: '0123456789abcdef01234567' }, /Unrecognized|_id/],
    ['a createdAt (mass assignment)', { code: 'OKCODE3', name: 'X agency', kind: 'gp', createdAt: '2020-01-01' }, /Unrecognized|createdAt/],
  ])('refuses %s with 400', async (_n, body, message) => {
    const admin = await systemAdmin();
    const res = await admin.post('/api/agencies', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });
});

describe('PATCH /api/agencies/:id', () => {
  it('lets a system admin rename and deactivate an agency, which leaves the picker list, and audits it', async () => {
    const admin = await systemAdmin();
    const agency = await buildAgency();
    const res = await admin.patch(`/api/agencies/${agency.id}`, { name: 'Canary Renamed', active: false });
    expect(res.status).toBe(200);
    expect(res.body.agency).toMatchObject({ id: agency.id, name: 'Canary Renamed', active: false });
    const list = await (await app.as(await buildUser())).get('/api/agencies');
    expect(list.body.agencies.map((a: { id: string }) => a.id)).not.toContain(agency.id);
    const events = await AuditEvent.find({ action: 'agency.update', 'subject.id': agency.id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0].reason).toBe('changed=active+name');
    expect(JSON.stringify(events)).not.toContain('Canary');
  });

  it('refuses a code another agency uses with 409 duplicate_code', async () => {
    const admin = await systemAdmin();
    const [a, b] = [await buildAgency(), await buildAgency()];
    const res = await admin.patch(`/api/agencies/${a.id}`, { code: b.code });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_code');
    expect((await Agency.findById(a._id))!.code).toBe(a.code);
  });

  it('answers 400 for a malformed id or an empty change, 404 for an unknown id, 403 for an agency admin', async () => {
    const admin = await systemAdmin();
    expect((await admin.patch('/api/agencies/not-an-id', { name: 'Xx' })).status).toBe(400);
    expect((await admin.patch('/api/agencies/0123456789abcdef01234567', { name: 'Xx' })).status).toBe(404);
    const agency = await buildAgency();
    expect((await admin.patch(`/api/agencies/${agency.id}`, {})).status).toBe(400);
    expect((await admin.patch(`/api/agencies/${agency.id}`, { updatedAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const agencyAdmin = await app.as(await buildUser({ roles: ['agency_admin'], agency, mfa: true }));
    expect((await agencyAdmin.patch(`/api/agencies/${agency.id}`, { active: false })).status).toBe(403);
    expect((await Agency.findById(agency._id))!.active).toBe(true);
  });
});
