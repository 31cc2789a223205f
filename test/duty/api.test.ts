import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { AuditEvent } from '../../server/models/AuditEvent';
import { OnCallShift } from '../../server/models/OnCallShift';
import { WebhookEndpoint } from '../../server/models/WebhookEndpoint';
import { buildDutyAlert, dutyScene, onCallAllWeek } from './helpers';
import type { AgencyDoc } from '../../server/models/Agency';
import type { BuiltUser } from '../helpers/factories';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('duty_api');
});
afterAll(async () => {
  await app?.close();
});

/** An alert already with the duty manager out of hours, as routing leaves it. */
async function routedAlert(agency: AgencyDoc, holder: BuiltUser, deadlineInMs = 15 * 60_000) {
  const alert = await buildDutyAlert(agency);
  await Alert.updateOne(
    { _id: alert._id },
    {
      $set: { routedTo: { mode: 'out_of_hours', agencyId: agency._id, userIds: [holder.user._id], level: 1 }, ackDeadline: new Date(Date.now() + deadlineInMs) },
      $push: { timeline: { at: new Date(), kind: 'routed', detail: { mode: 'out_of_hours', level: 1 } } },
    },
  );
  return alert;
}

describe('GET /api/duty/queue', () => {
  it('refuses anonymous callers with 401 and staff without a duty role with 403', async () => {
    await app.anon().get('/api/duty/queue').expect(401);
    const practitioner = await buildUser({ roles: ['practitioner'] });
    const res = await (await app.as(practitioner)).get('/api/duty/queue').expect(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it("lists my agency's out-of-hours alerts with their deadlines, not another agency's, and audits the read", async () => {
    const { agency, dm } = await dutyScene();
    const other = await dutyScene();
    const mine = await routedAlert(agency, dm);
    const theirs = await routedAlert(other.agency, other.dm);
    const res = await (await app.as(dm)).get('/api/duty/queue').expect(200);
    const ids = res.body.alerts.map((a: { id: string }) => a.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const item = res.body.alerts.find((a: { id: string }) => a.id === mine.id);
    expect(item).toMatchObject({ severity: 'high', status: 'open', level: 1, heldByMe: true, path: `/alerts/${mine.id}` });
    expect(typeof item.ackDeadline).toBe('string');
    expect(Object.keys(item)).not.toContain('personId');
    expect(await AuditEvent.countDocuments({ action: 'duty.queue.read', 'actor.userId': dm.user._id })).toBe(1);
  });
});

describe('POST /api/duty/alerts/:id/take and /escalate', () => {
  it('lets a duty manager of the agency take an alert, and answers 404 to another agency', async () => {
    const { agency, dm } = await dutyScene();
    const colleague = await buildUser({ roles: ['duty_manager'], agency });
    const outsider = await buildUser({ roles: ['duty_manager'] });
    const alert = await routedAlert(agency, dm);
    const denied = await (await app.as(outsider)).post(`/api/duty/alerts/${alert.id}/take`).expect(404);
    expect(denied.body.error.code).toBe('not_found');
    expect(await AuditEvent.countDocuments({ action: 'access.denied', 'actor.userId': outsider.user._id, 'subject.id': alert.id })).toBe(1);
    const res = await (await app.as(colleague)).post(`/api/duty/alerts/${alert.id}/take`).expect(200);
    expect(res.body.alert).toMatchObject({ heldByMe: true, holders: [{ id: colleague.user.id, name: 'Test User' }] });
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, recipient: dm.user.id, channel: 'in_app', reason: /^taken:/ })).toBe(1);
  });

  it('escalates by hand to the senior on call, and refuses an agency admin (watch only) with 404', async () => {
    const { agency, dm, senior } = await dutyScene();
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const alert = await routedAlert(agency, dm);
    await (await app.as(admin)).post(`/api/duty/alerts/${alert.id}/escalate`).expect(404);
    const res = await (await app.as(dm)).post(`/api/duty/alerts/${alert.id}/escalate`).expect(200);
    expect(res.body.alert).toMatchObject({ level: 2, holders: [{ id: senior.user.id }], escalations: 1 });
    expect(await AuditEvent.countDocuments({ action: 'alert.escalate_manual', 'subject.id': alert.id })).toBeGreaterThanOrEqual(1);
  });

  it('answers 400 with a stable code for a malformed id', async () => {
    const { dm } = await dutyScene();
    const res = await (await app.as(dm)).post('/api/duty/alerts/not-an-id/take').expect(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: 'id: must be an id' });
  });
});

describe('POST /api/duty/handover', () => {
  it('hands my alerts to a named colleague with my note, and tells both', async () => {
    const { agency, dm } = await dutyScene();
    const next = await buildUser({ roles: ['duty_manager'], agency });
    const a = await routedAlert(agency, dm);
    const b = await routedAlert(agency, dm);
    const res = await (await app.as(dm)).post('/api/duty/handover', { toUserId: next.user.id, note: 'Both waiting on a callback.' }).expect(200);
    expect(res.body.moved.sort()).toEqual([a.id, b.id].sort());
    const after = await Alert.findById(a._id).orFail();
    expect(after.routedTo?.userIds.map(String)).toEqual([next.user.id]);
    expect(after.timeline.find((e) => e.kind === 'handed_over')?.text).toBe('Both waiting on a callback.');
    expect(await AlertDelivery.countDocuments({ alertId: a._id, recipient: next.user.id, reason: /^handover:/ })).toBe(1);
    expect(await AlertDelivery.countDocuments({ alertId: a._id, recipient: dm.user.id, reason: /^handed_over:/ })).toBe(1);
  });

  it('refuses unknown fields and a recipient from another agency with 400', async () => {
    const { dm } = await dutyScene();
    const stranger = await buildUser({ roles: ['duty_manager'] });
    const signedIn = await app.as(dm);
    expect((await signedIn.post('/api/duty/handover', { toUserId: stranger.user.id }).expect(400)).body.error.code).toBe('invalid_recipient');
    expect((await signedIn.post('/api/duty/handover', { agencyId: 'x' }).expect(400)).body.error.code).toBe('validation_failed');
  });
});

describe('GET /api/duty/alerts/:id/deliveries and /api/duty/deliveries', () => {
  it('shows the delivery log of my agency\'s alert and 404s another agency\'s', async () => {
    const { agency, dm } = await dutyScene();
    const other = await dutyScene();
    const alert = await routedAlert(agency, dm);
    await AlertDelivery.create({ alertId: alert._id, recipient: dm.user.id, channel: 'email', reason: 'routed', status: 'failed', attempts: 5, lastError: 'smtp_451' });
    const signedIn = await app.as(dm);
    const res = await signedIn.get(`/api/duty/alerts/${alert.id}/deliveries`).expect(200);
    expect(res.body.deliveries).toEqual([expect.objectContaining({ channel: 'email', status: 'failed', attempts: 5, lastError: 'smtp_451', reason: 'routed', recipient: { id: dm.user.id, name: 'Test User' } })]);
    const recent = await signedIn.get('/api/duty/deliveries?limit=10').expect(200);
    expect(recent.body.deliveries.map((d: { alertId: string }) => d.alertId)).toContain(alert.id);
    await (await app.as(other.dm)).get(`/api/duty/alerts/${alert.id}/deliveries`).expect(404);
    await signedIn.get('/api/duty/deliveries?limit=1000').expect(400);
  });
});

describe('GET /api/duty/on-call and /api/duty/gaps', () => {
  it('names who is on call now at each level, and warns of the levels with nobody', async () => {
    const agency = await buildAgency();
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    await onCallAllWeek(agency, 'duty_manager', dm);
    const signedIn = await app.as(dm);
    const res = await signedIn.get('/api/duty/on-call').expect(200);
    expect(res.body.levels[0]).toMatchObject({ level: 'duty_manager', rank: 1, onCall: { userId: dm.user.id, userName: 'Test User', source: 'weekly' } });
    const gaps = await signedIn.get('/api/duty/gaps').expect(200);
    expect(gaps.body.levels.find((l: { level: string }) => l.level === 'duty_manager').gaps).toEqual([]);
    expect(gaps.body.levels.find((l: { level: string }) => l.level === 'senior_on_call').gaps).toHaveLength(1);
  });
});

describe('/api/rota', () => {
  it('lets a duty manager set the weekly pattern, add an override and a swap, and cancel a shift', async () => {
    const agency = await buildAgency();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => buildUser({ roles: ['duty_manager'], agency })));
    const signedIn = await app.as(a);
    await signedIn.put('/api/rota/patterns/duty_manager', { slots: [{ days: ['sat', 'sun'], start: '00:00', end: '00:00', userId: a.user.id }] }).expect(200);
    const override = await signedIn.post('/api/rota/overrides', { level: 'duty_manager', userId: b.user.id, from: '2030-06-15T08:00:00Z', to: '2030-06-15T12:00:00Z' }).expect(201);
    expect(override.body.shift).toMatchObject({ source: 'override', userId: b.user.id });
    const swap = await signedIn.post('/api/rota/swaps', { level: 'duty_manager', fromUserId: a.user.id, toUserId: c.user.id, from: '2030-06-16T08:00:00Z', to: '2030-06-16T12:00:00Z' }).expect(201);
    expect(swap.body.shift).toMatchObject({ source: 'swap', userId: c.user.id, replacesUserId: a.user.id });
    const rota = await signedIn.get('/api/rota?from=2030-06-15T00:00:00Z&days=2').expect(200);
    const dm = rota.body.levels.find((l: { level: string }) => l.level === 'duty_manager');
    expect(dm.timeline.map((s: { userId: string }) => s.userId)).toEqual([a.user.id, b.user.id, a.user.id, c.user.id, a.user.id]);
    await signedIn.delete(`/api/rota/shifts/${override.body.shift.id}`).expect(204);
    expect((await OnCallShift.findById(override.body.shift.id))?.cancelledAt).toBeInstanceOf(Date);
  });

  it('refuses bad input with 400s, a swap of someone not on call with 409, another agency\'s shift with 404, and the shared rota to non-system admins with 403', async () => {
    const agency = await buildAgency();
    const a = await buildUser({ roles: ['duty_manager'], agency });
    const b = await buildUser({ roles: ['duty_manager'], agency });
    const stranger = await buildUser({ roles: ['duty_manager'] });
    const signedIn = await app.as(a);
    const unknownLevel = await signedIn.put('/api/rota/patterns/janitor', { slots: [] }).expect(400);
    expect(unknownLevel.body.error.message).toMatch(/^level: must be one of/);
    const foreign = await signedIn.put('/api/rota/patterns/duty_manager', { slots: [{ days: ['mon'], start: '18:00', end: '09:00', userId: stranger.user.id }] }).expect(400);
    expect(foreign.body.error.code).toBe('not_on_call_eligible');
    expect((await signedIn.put('/api/rota/patterns/duty_manager', { slots: [{ days: ['mon'], start: '25:00', end: '09:00', userId: a.user.id }] }).expect(400)).body.error.message).toBe('slots.0.start: must be a time HH:MM');
    expect((await signedIn.post('/api/rota/overrides', { level: 'duty_manager', userId: b.user.id, from: '2030-06-15T12:00:00Z', to: '2030-06-15T08:00:00Z' }).expect(400)).body.error.message).toBe('to: must be after from');
    const notOnCall = await signedIn.post('/api/rota/swaps', { level: 'duty_manager', fromUserId: a.user.id, toUserId: b.user.id, from: '2030-06-16T08:00:00Z', to: '2030-06-16T12:00:00Z' }).expect(409);
    expect(notOnCall.body.error.code).toBe('not_on_call');
    await signedIn.post('/api/rota/overrides', { shared: true, level: 'duty_manager', userId: a.user.id, from: '2030-06-15T08:00:00Z', to: '2030-06-15T12:00:00Z' }).expect(403);
    const theirs = await OnCallShift.create({ agencyId: stranger.user.agencyId, level: 'duty_manager', userId: stranger.user._id, from: new Date(), to: new Date(Date.now() + 3_600_000), source: 'override', createdBy: stranger.user._id });
    await signedIn.delete(`/api/rota/shifts/${theirs.id}`).expect(404);
    const practitioner = await buildUser({ roles: ['practitioner'], agency });
    await (await app.as(practitioner)).post('/api/rota/overrides', { level: 'duty_manager', userId: a.user.id, from: '2030-06-15T08:00:00Z', to: '2030-06-15T12:00:00Z' }).expect(403);
  });
});

describe('/api/duty/webhooks', () => {
  it('shows the signing secret once, to an agency admin only, and keeps it encrypted', async () => {
    const agency = await buildAgency();
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const dm = await buildUser({ roles: ['duty_manager'], agency });
    const signedIn = await app.as(admin);
    const created = await signedIn.post('/api/duty/webhooks', { name: 'Pager gateway', url: 'https://pager.example.test/hook' }).expect(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const stored = await WebhookEndpoint.findById(created.body.webhook.id).orFail();
    expect(stored.secretEnc).not.toContain(created.body.secret);
    const list = await signedIn.get('/api/duty/webhooks').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    await (await app.as(dm)).get('/api/duty/webhooks').expect(403);
    expect((await signedIn.post('/api/duty/webhooks', { name: 'x', url: 'ftp://pager.example.test' }).expect(400)).body.error.message).toBe('url: must be http or https');
  });
});
