import type { Types } from 'mongoose';
import { authenticator } from 'otplib';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { BreakGlass } from '../../server/models/BreakGlass';
import { Task } from '../../server/models/Task';
import { AuditEvent } from '../../server/models/AuditEvent';

let app: TestApp;
const sockets: Socket[] = [];
beforeAll(async () => {
  app = await startTestApp('break-glass');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app.close();
});

const REASON = 'Found unresponsive at the bus station; need crisis history now.';

/** Police, trust and A&E under one agreement, housing outside it; the trust's record holds a safe address. */
async function scenePerson(family: string) {
  const scene = await buildScene();
  const s = { givenName: 'Alex', familyName: family, dateOfBirth: '1979-11-20' };
  const own = await buildEncounter(scene.police, s, { categories: ['demographics', 'criminal_justice', 'risk'], kind: 'police_report' });
  const trustRec = await buildEncounter(scene.trust, s, { sensitive: { safeAddress: '3 Hidden Lane' } });
  const aeRec = await buildEncounter(scene.ae, s, { kind: 'ae_attendance' });
  return { ...scene, personId: String(own.personId), own, trustRec, aeRec };
}

/**
 * A code for the next TOTP step: signing in used the current one, and a step is accepted once
 * (the server accepts one step either side).
 */
const nextCode = (built: BuiltUser) => authenticator.clone({ epoch: Date.now() + 30_000 }).generate(built.totpSecret as string);

describe('POST /api/people/:id/break-glass', () => {
  it('needs a fresh second-factor code (401 step_up_failed) and a second factor at all (403 mfa_required)', async () => {
    const scene = await scenePerson('StepUp');
    const built = await buildUser({ roles: ['practitioner'], agency: scene.housing, mfa: true });
    const user = await app.as(built);
    const none = await user.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('step_up_failed');
    const wrong = await user.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON, code: '000000' });
    expect(wrong.status).toBe(401);

    const noMfa = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.housing }));
    const refused = await noMfa.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON, code: '123456' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('mfa_required');
    expect(await BreakGlass.countDocuments({ personId: scene.personId })).toBe(0);
  });

  it('opens every agency’s records for a limited time, flagged, sensitive fields withheld, and tells the IG leads at once', async () => {
    const scene = await scenePerson('Opened');
    const built = await buildUser({ roles: ['duty_manager'], agency: scene.housing, mfa: true });
    const user = await app.as(built);
    expect((await user.get(`/api/people/${scene.personId}`)).status).toBe(404);

    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.housing, mfa: true }));
    const socket = connect(app.baseUrl, { transports: ['websocket'], extraHeaders: { Cookie: ig.cookie, Origin: app.baseUrl }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const hint = new Promise<{ id: string }>((resolve) => socket.once('task:created', resolve));

    const res = await user.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON, code: nextCode(built) });
    expect(res.status).toBe(201);
    const grant = res.body.grant;
    const minutes = (Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)) / 60_000;
    expect(minutes).toBe(60);
    expect(JSON.stringify(res.body)).not.toContain(REASON);

    const task = await Task.findOne({ dedupeKey: `review_break_glass:${grant.id}` });
    expect(task).toMatchObject({ kind: 'review_break_glass', assigneeRole: 'ig_lead', status: 'open' });
    expect(String(task?.agencyId)).toBe(String(scene.housing._id));
    expect(await hint).toEqual({ id: task?.id });

    const page = await user.get(`/api/people/${scene.personId}`);
    expect(page.status).toBe(200);
    const timeline = page.body.person.timeline as { id: string; basis: string; flagged: boolean; withheldFields: string[] }[];
    expect(timeline.map((t) => t.id).sort()).toEqual([scene.own.id, scene.trustRec.id, scene.aeRec.id].sort());
    expect(timeline.every((t) => t.basis === 'break_glass' && t.flagged)).toBe(true);
    expect(timeline.find((t) => t.id === scene.trustRec.id)?.withheldFields).toEqual(['safe_address']);
    expect(JSON.stringify(page.body)).not.toContain('Hidden Lane');

    const audit = await AuditEvent.findOne({ action: 'break_glass', 'basis.ref': grant.id }).lean();
    expect(audit).toMatchObject({ outcome: 'allowed', basis: { kind: 'break_glass', ref: grant.id } });
    expect(String(audit?.subject?.personId)).toBe(scene.personId);
    const reads = await AuditEvent.find({ action: 'encounter.read', 'basis.ref': grant.id }).lean();
    expect(reads).toHaveLength(3);
    // The reason is for the IG review only: never in the audit log or the logs.
    expect(JSON.stringify(await AuditEvent.find({}).lean())).not.toContain('bus station');
    expect(app.logText()).not.toContain('bus station');
  });

  it('redacts the records again once the grant has expired', async () => {
    const scene = await scenePerson('Expired');
    const built = await buildUser({ roles: ['practitioner'], agency: scene.police });
    const user = await app.as(built);
    const grant = { personId: scene.own.personId as Types.ObjectId, userId: built.user._id, agencyId: scene.police._id, reason: REASON };
    const live = await BreakGlass.create({ ...grant, grantedAt: new Date(Date.now() - 10 * 60_000), expiresAt: new Date(Date.now() + 50 * 60_000) });
    const opened = await user.get(`/api/people/${scene.personId}`);
    expect(opened.body.person.timeline).toHaveLength(3);

    await BreakGlass.updateOne({ _id: live._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const closed = await user.get(`/api/people/${scene.personId}`);
    expect(closed.body.person.timeline.map((t: { id: string }) => t.id)).toEqual([scene.own.id]);
    expect(closed.body.person.withheld.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown person and 400 for malformed ids, operators and extra fields', async () => {
    const scene = await scenePerson('BadBreak');
    const built = await buildUser({ roles: ['key_worker'], agency: scene.housing, mfa: true });
    const user = await app.as(built);
    expect((await user.post('/api/people/not-an-id/break-glass', { reason: REASON, code: '123456' })).status).toBe(400);
    expect((await user.post(`/api/people/${scene.personId}/break-glass`, { reason: { $ne: '' }, code: '123456' })).status).toBe(400);
    expect((await user.post(`/api/people/${scene.personId}/break-glass`, { reason: 'too short', code: '123456' })).status).toBe(400);
    const extra = await user.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON, code: '123456', expiresAt: '2099-01-01T00:00:00Z' });
    expect(extra.status).toBe(400);
    const unknown = await user.post('/api/people/0123456789abcdef01234567/break-glass', { reason: REASON, code: nextCode(built) });
    expect(unknown.status).toBe(404);
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.housing, mfa: true }));
    expect((await ig.post(`/api/people/${scene.personId}/break-glass`, { reason: REASON })).status).toBe(403);
  });
});

describe('/api/break-glass (IG review)', () => {
  it('lists unreviewed grants of the agency with their reason, records the review once, and ends an inappropriate access', async () => {
    const scene = await scenePerson('Review');
    const built = await buildUser({ roles: ['panel_member'], agency: scene.housing });
    const user = await app.as(built);
    const grant = await BreakGlass.create({
      personId: scene.own.personId as Types.ObjectId, userId: built.user._id, agencyId: scene.housing._id, reason: REASON,
      grantedAt: new Date(), expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    expect((await user.get(`/api/people/${scene.personId}`)).status).toBe(200);

    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.housing, mfa: true }));
    const queue = await ig.get('/api/break-glass?reviewed=false');
    expect(queue.status).toBe(200);
    expect(queue.body.grants).toEqual([expect.objectContaining({ id: grant.id, reason: REASON, userId: String(built.user._id), review: null })]);

    const otherIg = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.police, mfa: true }));
    expect((await otherIg.post(`/api/break-glass/${grant.id}/review`, { outcome: 'appropriate' })).status).toBe(404);
    expect((await otherIg.get('/api/break-glass')).body.grants).toEqual([]);
    expect((await ig.post(`/api/break-glass/${grant.id}/review`, { outcome: 'fine' })).status).toBe(400);
    expect((await ig.post('/api/break-glass/not-an-id/review', { outcome: 'appropriate' })).status).toBe(400);
    expect((await ig.get('/api/break-glass?reviewed[$ne]=x')).status).toBe(400);

    const reviewed = await ig.post(`/api/break-glass/${grant.id}/review`, { outcome: 'inappropriate', note: 'No clinical need; raised with line manager.' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.grant.review).toMatchObject({ outcome: 'inappropriate', note: 'No clinical need; raised with line manager.' });
    expect((await ig.post(`/api/break-glass/${grant.id}/review`, { outcome: 'appropriate' })).status).toBe(409);
    expect((await user.get(`/api/people/${scene.personId}`)).status).toBe(404);

    expect((await ig.get('/api/break-glass?reviewed=false')).body.grants).toEqual([]);
    expect((await ig.get('/api/break-glass?reviewed=true')).body.grants.map((g: { id: string }) => g.id)).toEqual([grant.id]);
    const event = await AuditEvent.findOne({ action: 'break_glass.review', 'subject.id': grant.id }).lean();
    expect(event?.reason).toBe('inappropriate');
    expect(JSON.stringify(event)).not.toContain('line manager');
  });

  it('refuses roles other than IG lead', async () => {
    const scene = await buildScene();
    const user = await app.as(await buildUser({ roles: ['duty_manager'], agency: scene.police }));
    expect((await user.get('/api/break-glass')).status).toBe(403);
  });
});
