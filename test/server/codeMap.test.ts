import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { AuditEvent } from '../../server/models/AuditEvent';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('codemap');
});
afterAll(async () => app.close());

describe('/api/code-map (an agency\'s local risk codes)', () => {
  it('lets an agency admin map a local code, which then translates incoming records', async () => {
    const agency = await buildAgency();
    const admin = await app.as(await buildUser({ roles: ['agency_admin'], agency, mfa: true }));
    const put = await admin.put('/api/code-map/VUL-MH-3', { category: 'mental_state', level: 'high', label: 'Vulnerable: mental health, grade 3' });
    expect(put.status).toBe(200);
    expect(put.body.mapping).toEqual({ localCode: 'VUL-MH-3', category: 'mental_state', level: 'high', label: 'Vulnerable: mental health, grade 3' });
    // Changing it replaces the mapping, never duplicates it.
    await admin.put('/api/code-map/VUL-MH-3', { category: 'mental_state', level: 'critical' }).expect(200);
    const practitioner = await app.as(await buildUser({ agency }));
    const list = await practitioner.get('/api/code-map');
    expect(list.body.mappings).toEqual([{ localCode: 'VUL-MH-3', category: 'mental_state', level: 'critical', label: null }]);
    const enc = await practitioner.post('/api/encounters', {
      externalRef: `CM-${Date.now()}`,
      occurredAt: '2026-11-01T00:00:00Z',
      kind: 'police_report',
      subject: { familyName: 'Mapped' },
      riskIndicators: [{ localCode: 'VUL-MH-3' }],
      categories: ['risk'],
    });
    expect(enc.body.encounter.riskIndicators[0]).toMatchObject({ category: 'mental_state', level: 'critical', localCode: 'VUL-MH-3' });
    expect(await AuditEvent.countDocuments({ action: 'code_map.update' })).toBeGreaterThanOrEqual(2);
    await admin.delete('/api/code-map/VUL-MH-3').expect(204);
    expect((await admin.delete('/api/code-map/VUL-MH-3')).status).toBe(404);
  });

  it('keeps each agency\'s map to itself and refuses bad input', async () => {
    const a = await app.as(await buildUser({ roles: ['agency_admin'], mfa: true }));
    const b = await app.as(await buildUser({ roles: ['agency_admin'], mfa: true }));
    await a.put('/api/code-map/A-ONLY', { category: 'self_harm', level: 'low' }).expect(200);
    expect((await b.get('/api/code-map')).body.mappings).toEqual([]);
    expect((await b.delete('/api/code-map/A-ONLY')).status).toBe(404);
    expect((await a.put('/api/code-map/X', { category: 'gossip', level: 'low' })).status).toBe(400);
    expect((await a.put('/api/code-map/X', { category: { $gt: '' }, level: 'low' })).status).toBe(400);
    expect((await a.put('/api/code-map/X', { category: 'self_harm', level: 'low', agencyId: '0123456789abcdef01234567' })).status).toBe(400);
    const practitioner = await app.as(await buildUser());
    expect((await practitioner.put('/api/code-map/X', { category: 'self_harm', level: 'low' })).status).toBe(403);
  });
});
