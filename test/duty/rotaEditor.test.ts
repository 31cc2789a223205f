/** What the rota editor page needs from `/api/rota`: reading it whole, candidates, safe edits and deleting a pattern. */
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { AuditEvent } from '../../server/models/AuditEvent';
import { RotaPattern } from '../../server/models/RotaPattern';
import { User } from '../../server/models/User';
import { onCallAllWeek } from './helpers';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('duty_rota_editor');
});
afterAll(async () => {
  await app?.close();
});

type Level = { level: string; label: string; onCall: { userId: string; userName: string; source: string } | null; gaps: { from: string; to: string }[]; pattern: unknown[]; patternUpdatedAt: string | null };
const levelOf = (body: { levels: Level[] }, id: string) => body.levels.find((l) => l.level === id) as Level;
const nights = (userId: string) => [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '09:00', userId }];

describe('GET /api/rota', () => {
  it('tells an agency admin who is on call now at each level, the gaps in the next 14 days, each pattern\'s version and the time zone', async () => {
    const agency = await buildAgency();
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    await User.updateOne({ _id: dm.user._id }, { $set: { name: 'Dana Duty' } });
    await onCallAllWeek(agency, 'duty_manager', dm);
    const res = await (await app.as(admin)).get('/api/rota').expect(200);
    expect(res.body).toMatchObject({ shared: false, timezone: 'Europe/London', canManage: true });
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(14 * 86_400_000);
    const dmLevel = levelOf(res.body, 'duty_manager');
    expect(dmLevel).toMatchObject({ label: 'Duty manager', onCall: { userId: dm.user.id, userName: 'Dana Duty', source: 'weekly' }, gaps: [] });
    expect(typeof dmLevel.patternUpdatedAt).toBe('string');
    const senior = levelOf(res.body, 'senior_on_call');
    expect(senior).toMatchObject({ onCall: null, pattern: [], patternUpdatedAt: null });
    expect(senior.gaps).toEqual([{ from: res.body.from, to: res.body.to }]);
    expect(await AuditEvent.countDocuments({ action: 'rota.read', 'actor.userId': admin.user._id })).toBe(1);
  });

  it('refuses staff without a duty or admin role with 403', async () => {
    const practitioner = await buildUser({ roles: ['practitioner'] });
    expect((await (await app.as(practitioner)).get('/api/rota').expect(403)).body.error.code).toBe('forbidden');
  });
});

describe('GET /api/rota/candidates', () => {
  it('lists the active duty managers of my agency by name, and no one else', async () => {
    const agency = await buildAgency();
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    const zed = await buildUser({ roles: ['duty_manager', 'panel_member'], agency });
    const gone = await buildUser({ roles: ['duty_manager'], agency, disabled: true });
    const practitioner = await buildUser({ roles: ['practitioner'], agency });
    const stranger = await buildUser({ roles: ['duty_manager'] });
    await User.updateOne({ _id: dm.user._id }, { $set: { name: 'Alex Able' } });
    await User.updateOne({ _id: zed.user._id }, { $set: { name: 'Zed Zebra' } });
    const res = await (await app.as(dm)).get('/api/rota/candidates').expect(200);
    expect(res.body.people).toEqual([{ id: dm.user.id, name: 'Alex Able' }, { id: zed.user.id, name: 'Zed Zebra' }]);
    const ids = JSON.stringify(res.body);
    for (const other of [gone, practitioner, stranger]) expect(ids).not.toContain(other.user.id);
  });

  it('lists every agency\'s duty managers to a system admin for the shared rota, and refuses the shared list to an agency admin and the list to a practitioner', async () => {
    const dmA = await buildUser({ roles: ['duty_manager'] });
    const dmB = await buildUser({ roles: ['duty_manager'] });
    const system = await buildUser({ roles: ['system_admin'], mfa: true });
    const shared = await (await app.as(system)).get('/api/rota/candidates?shared=true').expect(200);
    const ids = shared.body.people.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([dmA.user.id, dmB.user.id]));
    const admin = await buildUser({ roles: ['agency_admin'], mfa: true });
    await (await app.as(admin)).get('/api/rota/candidates?shared=true').expect(403);
    await (await app.as(await buildUser({ roles: ['practitioner'] }))).get('/api/rota/candidates').expect(403);
    await (await app.as(dmA)).get('/api/rota/candidates?agencyId=x').expect(400);
  });
});

describe('PUT /api/rota/patterns/:level with expectedUpdatedAt', () => {
  it('creates a pattern once, saves an edit made on the latest version, and refuses a stale one with 409 rota_changed', async () => {
    const agency = await buildAgency();
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const [a, b] = await Promise.all([0, 1].map(() => buildUser({ roles: ['duty_manager'], agency })));
    const signedIn = await app.as(admin);

    const created = await signedIn.put('/api/rota/patterns/senior_on_call', { expectedUpdatedAt: null, slots: nights(a.user.id) }).expect(200);
    expect(created.body.pattern.slots).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '09:00', userId: a.user.id, userName: 'Test User' }]);
    const v1 = created.body.patternUpdatedAt as string;
    const again = await signedIn.put('/api/rota/patterns/senior_on_call', { expectedUpdatedAt: null, slots: nights(b.user.id) }).expect(409);
    expect(again.body.error.code).toBe('rota_changed');

    const edited = await signedIn.put('/api/rota/patterns/senior_on_call', { expectedUpdatedAt: v1, slots: nights(b.user.id) }).expect(200);
    expect(edited.body.patternUpdatedAt).not.toBe(v1);
    const stale = await signedIn.put('/api/rota/patterns/senior_on_call', { expectedUpdatedAt: v1, slots: [] }).expect(409);
    expect(stale.body.error).toMatchObject({ code: 'rota_changed', message: expect.stringContaining('Someone else changed') });

    const stored = await RotaPattern.findOne({ agencyId: agency._id, level: 'senior_on_call' }).orFail();
    expect(stored.slots.map((s) => String(s.userId))).toEqual([b.user.id]);
    expect(await AuditEvent.countDocuments({ action: 'rota.pattern_update', 'actor.userId': admin.user._id })).toBe(2);
    const bad = await signedIn.put('/api/rota/patterns/senior_on_call', { expectedUpdatedAt: 'yesterday', slots: [] }).expect(400);
    expect(bad.body.error.message).toMatch(/^expectedUpdatedAt: /);
  });
});

describe('DELETE /api/rota/patterns/:level', () => {
  it('deletes my agency\'s pattern for a level, audits it, and the level shows as a gap; a second delete is 404', async () => {
    const agency = await buildAgency();
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    await onCallAllWeek(agency, 'director_on_call', dm);
    const signedIn = await app.as(dm);
    await signedIn.delete('/api/rota/patterns/director_on_call').expect(204);
    expect(await RotaPattern.countDocuments({ agencyId: agency._id, level: 'director_on_call' })).toBe(0);
    expect(await AuditEvent.countDocuments({ action: 'rota.pattern_delete', 'actor.userId': dm.user._id, reason: 'level=director_on_call slots=1' })).toBe(1);
    const rota = await signedIn.get('/api/rota').expect(200);
    expect(levelOf(rota.body, 'director_on_call')).toMatchObject({ onCall: null, pattern: [], patternUpdatedAt: null });
    expect((await signedIn.delete('/api/rota/patterns/director_on_call').expect(404)).body.error.code).toBe('not_found');
  });

  it('never touches another agency\'s pattern, and refuses a practitioner, the shared rota to an agency admin, and an unknown level', async () => {
    const agency = await buildAgency();
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    await onCallAllWeek(agency, 'duty_manager', dm);
    const stranger = await buildUser({ roles: ['duty_manager'] });
    await (await app.as(stranger)).delete('/api/rota/patterns/duty_manager').expect(404);
    expect(await RotaPattern.countDocuments({ agencyId: agency._id, level: 'duty_manager' })).toBe(1);
    await (await app.as(await buildUser({ roles: ['practitioner'], agency }))).delete('/api/rota/patterns/duty_manager').expect(403);
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const signedIn = await app.as(admin);
    await signedIn.delete('/api/rota/patterns/duty_manager?shared=true').expect(403);
    expect((await signedIn.delete('/api/rota/patterns/janitor').expect(400)).body.error.message).toMatch(/^level: must be one of/);
    expect(await RotaPattern.countDocuments({ agencyId: agency._id, level: 'duty_manager' })).toBe(1);
  });
});
