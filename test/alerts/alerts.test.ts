/**
 * Review alerts: raised once per person and rule, routed by consent, worked through their
 * lifecycle, and withdrawn when the evidence is unlinked.
 */
import { Types } from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { directContext } from '../helpers/workerContext';
import { detectForPerson } from '../../server/alerts/detector';
import { notifyInApp } from '../../server/alerts/notifier';
import { sweepOutbox, sweepUnrouted } from '../../server/alerts/outbox';
import { detectAlerts } from '../../workers/processors/detectAlerts';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { Consent } from '../../server/models/Consent';
import { Encounter } from '../../server/models/Encounter';
import { Task } from '../../server/models/Task';
import { AuditEvent } from '../../server/models/AuditEvent';
import { createLogger } from '../../server/logger';
import { QUEUE_NAMES } from '../../workers/queues';
import type { Job } from 'bullmq';
import type { AgencyDoc } from '../../server/models/Agency';
import type { UserDoc } from '../../server/models/User';

let app: TestApp;
const sockets: Socket[] = [];
let ctx: ReturnType<typeof directContext>;

beforeAll(async () => {
  app = await startTestApp('alerts');
  const { Redis } = await import('ioredis');
  ctx = directContext({ redis: new Redis(app.config.redisUrl), logger: createLogger('silent'), redisPrefix: app.config.redisPrefix });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx.closeQueues();
  await ctx.redis.quit();
  await app.close();
});

let n = 0;
/** A person known to police, the trust and A&E within the last few days (no high risk, not crisis). */
async function knownToThree(scene: Awaited<ReturnType<typeof buildScene>>) {
  n += 1;
  const subject = { givenName: 'Alex', familyName: `Alerton${'abcdefghijklmnop'[n % 16]}${n}`, dateOfBirth: `1980-0${(n % 9) + 1}-1${n % 10}` };
  const quiet = { kind: 'assessment' as const, riskIndicators: [] };
  const a = await buildEncounter(scene.police, subject, { ...quiet, kind: 'police_report', occurredAt: new Date(Date.now() - 3 * 86_400_000) });
  const b = await buildEncounter(scene.trust, subject, { ...quiet, occurredAt: new Date(Date.now() - 2 * 86_400_000) });
  const c = await buildEncounter(scene.ae, subject, { ...quiet, kind: 'ae_attendance', occurredAt: new Date(Date.now() - 86_400_000) });
  expect(String(b.personId)).toBe(String(a.personId));
  expect(String(c.personId)).toBe(String(a.personId));
  return { personId: a.personId as Types.ObjectId, encounters: [a, b, c], subject };
}

async function consent(personId: Types.ObjectId, by: UserDoc, status: 'given' | 'refused', purposes = ['risk_panel', 'direct_care']) {
  await Consent.create({
    personId,
    status,
    scope: { allPanel: true, purposes, categories: ['demographics', 'risk', 'mental_health', 'criminal_justice', 'physical_health'] },
    evidence: 'Recorded at assessment',
    recordedBy: by._id,
    recordedByAgency: by.agencyId,
    recordedAt: new Date(Date.now() - 60_000),
  });
}

function panel(agency: AgencyDoc, roles: BuiltUser['user']['roles'] = ['panel_member']) {
  return buildUser({ roles, agency });
}

describe('raising alerts', () => {
  it('raises one alert per person and rule, however often detection runs', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const first = await detectForPerson(personId);
    expect(first.map((c) => [c.alert.ruleId, c.change])).toEqual([['multi_agency_30d', 'raised']]);
    expect(await detectForPerson(personId)).toEqual([]);
    await Promise.all([detectForPerson(personId), detectForPerson(personId)]);
    expect(await Alert.countDocuments({ personId, ruleId: 'multi_agency_30d' })).toBe(1);
  });

  it('does not raise for two agencies (the rule needs three)', async () => {
    const scene = await buildScene();
    const subject = { givenName: 'Two', familyName: 'Agencies', dateOfBirth: '1970-02-02' };
    const a = await buildEncounter(scene.police, subject, { kind: 'police_report', riskIndicators: [] });
    await buildEncounter(scene.trust, subject, { kind: 'assessment', riskIndicators: [] });
    expect(await detectForPerson(a.personId as Types.ObjectId)).toEqual([]);
  });

  it('updates the open alert with new evidence instead of raising another', async () => {
    const scene = await buildScene();
    const { personId, subject } = await knownToThree(scene);
    const [raised] = await detectForPerson(personId);
    await buildEncounter(scene.housing, subject, { kind: 'housing_contact', riskIndicators: [] });
    const [updated] = await detectForPerson(personId);
    expect(updated.change).toBe('updated');
    expect(String(updated.alert._id)).toBe(String(raised.alert._id));
    expect(updated.alert.summary.agencyCount).toBe(4);
    expect(updated.alert.timeline.map((t) => t.kind)).toContain('evidence_updated');
  });
});

describe('audience by consent', () => {
  it('with consent for risk panels, the panel sees the evidence its basis allows', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given');
    const [c] = await detectForPerson(personId);
    expect([c.alert.sharingState, c.alert.audience.mode]).toEqual(['consented', 'panel']);

    const member = await app.as(await panel(scene.police));
    const list = await member.get('/api/alerts').expect(200);
    expect(list.body.alerts.map((a: { id: string }) => a.id)).toContain(String(c.alert._id));
    const detail = await member.get(`/api/alerts/${String(c.alert._id)}`).expect(200);
    expect(detail.body.alert.person.name).toMatch(/^Alex /);
    expect(detail.body.alert.evidence.map((e: { agencyName: string }) => e.agencyName).sort()).toEqual(['A&E', 'Mental Health Trust', 'Police']);
    expect(detail.body.alert.evidence[0]).not.toHaveProperty('summary');
  });

  it('with no consent on file, the panel sees a pseudonymous alert and a key worker is asked to seek consent', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const job = { data: { personId: String(personId) } } as Job;
    await detectAlerts(job, ctx);
    const alert = (await Alert.findOne({ personId }))!;
    expect([alert.sharingState, alert.audience.mode]).toEqual(['no_consent', 'pseudonymous']);
    const task = await Task.findOne({ dedupeKey: `seek_consent:alert:${alert.id as string}` });
    expect(task?.kind).toBe('seek_consent');
    // The most recent contact was A&E's.
    expect(String(task?.agencyId)).toBe(scene.ae.id);
    expect(task?.assigneeRole).toBe('key_worker');

    const member = await app.as(await panel(scene.trust));
    const detail = await member.get(`/api/alerts/${alert.id as string}`).expect(200);
    expect(detail.body.alert.person).toBeNull();
    expect(detail.body.alert.evidence).toEqual([]);
    expect(detail.body.alert.summary.agencyCount).toBe(3);
    expect(JSON.stringify(detail.body)).not.toContain('Alerton');
    // The detection run sent the notification round itself: recorded, nothing left for the outbox.
    expect([alert.outbox.sentVersion, alert.outbox.pendingSince]).toEqual([1, null]);
    expect(await ctx.queue(QUEUE_NAMES.alerts).getJob(`notify-${alert.id as string}-1`)).toBeUndefined();
  });

  it('with consent refused, only IG leads and duty managers are told', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'refused');
    const [c] = await detectForPerson(personId);
    expect([c.alert.sharingState, c.alert.audience.mode]).toEqual(['refused', 'restricted']);
    const member = await app.as(await panel(scene.police, ['panel_member', 'panel_chair']));
    await member.get(`/api/alerts/${String(c.alert._id)}`).expect(404);
    expect((await member.get('/api/alerts').expect(200)).body.alerts.map((a: { id: string }) => a.id)).not.toContain(String(c.alert._id));
    const duty = await app.as(await buildUser({ roles: ['duty_manager'], agency: scene.police }));
    const seen = await duty.get(`/api/alerts/${String(c.alert._id)}`).expect(200);
    expect(seen.body.alert.mode).toBe('restricted');
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    await ig.get(`/api/alerts/${String(c.alert._id)}`).expect(200);
  });

  it('consent given only for direct care counts as no consent for the panel', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given', ['direct_care']);
    const [c] = await detectForPerson(personId);
    expect(c.alert.audience.mode).toBe('pseudonymous');
  });

  it('a change of consent moves an open alert to its new audience', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const [raised] = await detectForPerson(personId);
    expect(raised.alert.audience.mode).toBe('pseudonymous');
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given');
    const [moved] = await detectForPerson(personId);
    expect([moved.change, moved.alert.audience.mode, moved.notify]).toEqual(['updated', 'panel', true]);
  });

  it('housing (outside the agreement, no record of the person) never sees the alert', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given');
    const [c] = await detectForPerson(personId);
    const outsider = await app.as(await panel(scene.housing, ['panel_member', 'panel_chair', 'duty_manager']));
    await outsider.get(`/api/alerts/${String(c.alert._id)}`).expect(404);
    const denied = await AuditEvent.findOne({ action: 'access.denied', 'subject.id': String(c.alert._id) });
    expect(denied?.reason).toBe('not_in_audience');
  });
});

describe('the outbox and delivery ledger', () => {
  it('tells each audience member once, however often the round is sent', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const members = await Promise.all([panel(scene.police), panel(scene.trust), panel(scene.ae, ['panel_chair'])]);
    await buildUser({ roles: ['panel_member'], agency: scene.police, disabled: true });
    await buildUser({ roles: ['practitioner'], agency: scene.police });
    const [c] = await detectForPerson(personId);
    const emitted: string[] = [];
    const realtime = { emit: (room: string, event: string) => void (event === 'alert:new' && emitted.push(room)) };
    const first = await notifyInApp(String(c.alert._id), 1, realtime);
    await Alert.updateOne({ _id: c.alert._id }, { $set: { 'outbox.sentVersion': 0 } }); // as if the job died before recording it
    const again = await notifyInApp(String(c.alert._id), 1, realtime);
    expect(first.told).toBe(3);
    expect(again.told).toBe(0);
    expect(emitted.sort()).toEqual(members.map((m) => `user:${m.user.id as string}`).sort());
    expect(await AlertDelivery.countDocuments({ alertId: c.alert._id, channel: 'in_app' })).toBe(3);
    expect((await Alert.findById(c.alert._id))!.outbox.sentVersion).toBe(1);
  });

  it('the detection run tells the audience at once, and queues the round through the outbox when it cannot send it', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given');
    const member = await panel(scene.police);
    const chair = await panel(scene.trust, ['panel_chair']);
    await buildUser({ roles: ['panel_member'], agency: scene.ae, disabled: true });
    const told: string[] = [];
    const working = { ...ctx, realtime: { emit: (room: string | string[], event: string) => void (event === 'alert:new' && told.push(String(room))) } };
    await detectAlerts({ data: { personId: String(personId) } } as Job, working);
    const sent = (await Alert.findOne({ personId, status: 'open' }))!;
    expect(told.sort()).toEqual([`user:${member.user.id as string}`, `user:${chair.user.id as string}`].sort());
    expect(await AlertDelivery.countDocuments({ alertId: (await Alert.findOne({ personId }))!._id, channel: 'in_app' })).toBe(2);
    expect([sent.outbox.sentVersion, sent.outbox.pendingSince]).toEqual([1, null]);
    // Routed by the same run (in or out of hours, whichever it is now): no routing job queued.
    expect(sent.timeline.map((t) => t.kind).sort()).toEqual(['notified', 'raised', 'routed']);
    expect(sent.routedTo.mode).not.toBeNull();
    expect(await ctx.queue(QUEUE_NAMES.escalation).getJob(`route-${sent.id as string}-${sent.severity}`)).toBeUndefined();

    // Another person, and a socket layer that fails: the round stays pending and goes to a notify job.
    const other = await knownToThree(scene);
    await consent(other.personId, kw.user, 'given');
    const failing = { ...ctx, realtime: { emit: () => { throw new Error('adapter down'); } } };
    await detectAlerts({ data: { personId: String(other.personId) } } as Job, failing);
    const pending = (await Alert.findOne({ personId: other.personId, status: 'open' }))!;
    expect(pending.outbox.sentVersion).toBe(0);
    expect(pending.outbox.pendingSince).toBeInstanceOf(Date);
    const job = await ctx.queue(QUEUE_NAMES.alerts).getJob(`notify-${pending.id as string}-1`);
    expect(job?.name).toBe('notifyAlert');
    expect(await ctx.queue(QUEUE_NAMES.alerts).getJob(`notify-${sent.id as string}-1`)).toBeUndefined();
  });

  it('the sweeper queues routing for a recent alert that was never routed, once', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const [c] = await detectForPerson(personId); // raised, but (as if the process died) neither notified nor routed
    const older = await knownToThree(scene);
    const [old] = await detectForPerson(older.personId);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await Alert.collection.updateOne({ _id: c.alert._id }, { $set: { createdAt: minutesAgo(2) } });
    await Alert.collection.updateOne({ _id: old.alert._id }, { $set: { createdAt: minutesAgo(20) } }); // past the window
    const routeJob = (id: string, severity: string) => ctx.queue(QUEUE_NAMES.escalation).getJob(`route-${id}-${severity}`);

    expect(await sweepUnrouted(ctx.queue)).toBeGreaterThanOrEqual(1);
    const job = await routeJob(String(c.alert._id), c.alert.severity);
    expect(job?.data).toEqual({ alertId: String(c.alert._id) });
    expect(await routeJob(String(old.alert._id), old.alert.severity)).toBeUndefined();
    // Routed meanwhile: no longer swept.
    await job!.remove();
    await Alert.updateOne({ _id: c.alert._id }, { $set: { 'routedTo.mode': 'in_hours' } });
    await sweepUnrouted(ctx.queue);
    expect(await routeJob(String(c.alert._id), c.alert.severity)).toBeUndefined();
  });

  it('the sweeper re-queues a round that was never sent', async () => {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const [c] = await detectForPerson(personId);
    await Alert.updateOne({ _id: c.alert._id }, { $set: { 'outbox.pendingSince': new Date(Date.now() - 120_000) } });
    expect(await sweepOutbox(ctx.queue)).toBeGreaterThanOrEqual(1);
    const jobs = await ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.some((j) => j.name === 'notifyAlert' && j.data.alertId === String(c.alert._id))).toBe(true);
    // Swept once: not swept again until the round is overdue again.
    const before = jobs.length;
    await sweepOutbox(ctx.queue);
    const after = await ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'delayed', 'prioritized']);
    expect(after.filter((j) => j.data.alertId === String(c.alert._id)).length).toBe(jobs.filter((j) => j.data.alertId === String(c.alert._id)).length);
    expect(after.length).toBeGreaterThanOrEqual(before);
  });
});

describe('when the evidence is unlinked', () => {
  it('closes an open alert whose rule no longer fires', async () => {
    const scene = await buildScene();
    const { personId, encounters } = await knownToThree(scene);
    const [c] = await detectForPerson(personId);
    // The A&E record turns out to be someone else's.
    await Encounter.updateOne({ _id: encounters[2]._id }, { $set: { personId: new Types.ObjectId() } });
    const [after] = await detectForPerson(personId);
    expect([after.change, after.alert.status, after.alert.outcome.code]).toEqual(['closed', 'closed', 'evidence_withdrawn']);
    expect(String(after.alert._id)).toBe(String(c.alert._id));
  });

  it('downgrades instead when someone is already working on it', async () => {
    const scene = await buildScene();
    const { personId, encounters } = await knownToThree(scene);
    const [c] = await detectForPerson(personId);
    await Alert.updateOne({ _id: c.alert._id }, { $set: { status: 'in_review' } });
    await Encounter.updateOne({ _id: encounters[2]._id }, { $set: { personId: new Types.ObjectId() } });
    const [after] = await detectForPerson(personId);
    expect([after.change, after.alert.status, after.alert.severity]).toEqual(['downgraded', 'in_review', 'low']);
  });
});

describe('POST /api/alerts/:id/… (lifecycle)', () => {
  async function consentedAlert() {
    const scene = await buildScene();
    const { personId } = await knownToThree(scene);
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    await consent(personId, kw.user, 'given');
    const [c] = await detectForPerson(personId);
    return { scene, alert: c.alert };
  }

  it('acknowledges once; a second acknowledgement is a 409', async () => {
    const { scene, alert } = await consentedAlert();
    const a = await app.as(await panel(scene.police));
    const b = await app.as(await panel(scene.trust));
    const res = await a.post(`/api/alerts/${String(alert._id)}/acknowledge`, {}).expect(200);
    expect(res.body.alert.status).toBe('acknowledged');
    const again = await b.post(`/api/alerts/${String(alert._id)}/acknowledge`, {}).expect(409);
    expect(again.body.error.code).toBe('alert_not_open');
  });

  it('assigns to an audience member, notes and closes, all on the timeline and in the audit log', async () => {
    const { scene, alert } = await consentedAlert();
    const chair = await panel(scene.trust, ['panel_chair']);
    const member = await panel(scene.trust);
    const s = await app.as(chair);
    const assignees = await s.get(`/api/alerts/${String(alert._id)}/assignees`).expect(200);
    expect(assignees.body.users.map((u: { id: string }) => u.id)).toContain(member.user.id);
    const assigned = await s.post(`/api/alerts/${String(alert._id)}/assign`, { userId: member.user.id }).expect(200);
    expect([assigned.body.alert.status, assigned.body.alert.assignedTo]).toEqual(['in_review', member.user.id]);
    await s.post(`/api/alerts/${String(alert._id)}/notes`, { text: 'Spoke to the crisis team.' }).expect(201);
    await s.post(`/api/alerts/${String(alert._id)}/close`, { outcome: 'care_plan_updated', note: 'Plan shared.' }).expect(200);
    const detail = await s.get(`/api/alerts/${String(alert._id)}`).expect(200);
    expect(detail.body.alert.timeline.map((t: { kind: string }) => t.kind)).toEqual(['raised', 'assigned', 'note', 'closed']);
    expect(detail.body.alert.outcome.code).toBe('care_plan_updated');
    const actions = (await AuditEvent.find({ 'subject.id': String(alert._id) }).sort({ seq: 1 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['alert.assign', 'alert.note', 'alert.close', 'alert.read']));
    // Closed: a new detection raises a fresh alert rather than reopening this one.
    const [fresh] = await detectForPerson(alert.personId as Types.ObjectId);
    expect(fresh.change).toBe('raised');
    expect(String(fresh.alert._id)).not.toBe(String(alert._id));
  });

  it('refuses to assign to someone outside the audience', async () => {
    const { scene, alert } = await consentedAlert();
    const s = await app.as(await panel(scene.trust, ['panel_chair']));
    const practitioner = await buildUser({ roles: ['practitioner'], agency: scene.trust });
    const res = await s.post(`/api/alerts/${String(alert._id)}/assign`, { userId: practitioner.user.id }).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect((await Alert.findById(alert._id))!.status).toBe('open');
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const { scene, alert } = await consentedAlert();
    const s = await app.as(await panel(scene.trust, ['panel_chair']));
    const id = String(alert._id);
    await s.post(`/api/alerts/${id}/assign`, { userId: { $gt: '' } }).expect(400);
    await s.post(`/api/alerts/${id}/close`, { outcome: 'whatever' }).expect(400);
    await s.post(`/api/alerts/${id}/close`, { outcome: 'duplicate', extra: 1 }).expect(400);
    await s.post(`/api/alerts/${id}/notes`, { text: '   ' }).expect(400);
    await s.post(`/api/alerts/${id}/notes`, { text: 'x'.repeat(4001) }).expect(400);
    await s.post(`/api/alerts/not-an-id/acknowledge`, {}).expect(400);
    await s.get(`/api/alerts?status[$ne]=closed`).expect(400);
    await s.get(`/api/alerts?limit=1000`).expect(400);
    const raw = await s.agent.post(`/api/alerts/${id}/notes`).set('X-CSRF-Token', s.csrf).set('Content-Type', 'application/json').send('{"text":');
    expect(raw.status).toBe(400);
    const after = (await Alert.findById(alert._id))!;
    expect([after.status, after.timeline.length]).toEqual(['open', 1]);
  });

  it('answers 404 to another agency\'s panel and to unknown ids', async () => {
    const { alert } = await consentedAlert();
    const other = await buildScene();
    const s = await app.as(await panel(other.police, ['panel_chair']));
    await s.post(`/api/alerts/${String(alert._id)}/acknowledge`, {}).expect(404);
    await s.get(`/api/alerts/${new Types.ObjectId().toHexString()}`).expect(404);
  });

  it('filters the inbox by status and severity', async () => {
    const { scene, alert } = await consentedAlert();
    const s = await app.as(await panel(scene.police));
    const medium = await s.get('/api/alerts?severity=medium').expect(200);
    expect(medium.body.alerts.map((a: { id: string }) => a.id)).toContain(String(alert._id));
    const high = await s.get('/api/alerts?severity=high').expect(200);
    expect(high.body.alerts.map((a: { id: string }) => a.id)).not.toContain(String(alert._id));
    const closed = await s.get('/api/alerts?status=closed').expect(200);
    expect(closed.body.alerts.map((a: { id: string }) => a.id)).not.toContain(String(alert._id));
  });
});
