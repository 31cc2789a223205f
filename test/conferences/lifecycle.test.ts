import { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { buildEncounter } from '../helpers/people';
import { buildConferenceScene, giveConsent, liveConference } from './helpers';
import { Alert } from '../../server/models/Alert';
import { AuditEvent } from '../../server/models/AuditEvent';
import { SharingAgreement } from '../../server/models/SharingAgreement';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp('conf_lifecycle');
});
afterAll(async () => {
  await app.close();
});

const future = () => new Date(Date.now() + 3_600_000).toISOString();

describe('POST /api/conferences', () => {
  it('lets a panel chair create one about a person their agency knows, as its chair', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const res = await chair.post('/api/conferences', { title: 'Risk panel', scheduledFor: future(), personId: String(s.personId), agenda: ['Risks'] }).expect(201);
    const c = res.body.conference;
    expect(c.status).toBe('scheduled');
    expect(c.you.isChair).toBe(true);
    expect(c.participants).toEqual([expect.objectContaining({ userId: s.chair.user.id, role: 'chair', agencyName: 'Police' })]);
    expect(c.agenda).toEqual([expect.objectContaining({ text: 'Risks', done: false })]);
    expect(c.person.name).toMatch(/^Robin Hale/);
  });

  it('refuses a user who is not a panel chair with 403', async () => {
    const s = await buildConferenceScene();
    const member = await app.as(s.trustMember);
    await member.post('/api/conferences', { title: 'Risk panel', scheduledFor: future(), personId: String(s.personId) }).expect(403);
  });

  it('answers 404 for a person the chair cannot see', async () => {
    const s = await buildConferenceScene();
    const stranger = await buildEncounter(s.housing, { givenName: 'Ash', familyName: 'Unseen', dateOfBirth: '1970-01-01' });
    const chair = await app.as(s.chair);
    const res = await chair.post('/api/conferences', { title: 'Risk panel', scheduledFor: future(), personId: String(stranger.personId) }).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('creates from an alert and moves the alert to conference with a timeline entry', async () => {
    const s = await buildConferenceScene();
    const alert = await Alert.create({
      personId: s.personId,
      ruleId: 'multi_agency_30d',
      severity: 'high',
      sharingState: 'consented',
      audience: { mode: 'panel', agencyIds: [s.police._id, s.trust._id], roles: ['panel_chair', 'panel_member'] },
    });
    const chair = await app.as(s.chair);
    const res = await chair.post('/api/conferences', { title: 'From alert', scheduledFor: future(), alertId: alert.id }).expect(201);
    const after = await Alert.findById(alert._id);
    expect(after?.status).toBe('conference');
    expect(String(after?.conferenceId)).toBe(res.body.conference.id);
    expect(after?.timeline.at(-1)).toEqual(expect.objectContaining({ kind: 'conference_scheduled' }));
    expect(String(after?.timeline.at(-1)?.actorUserId)).toBe(s.chair.user.id);
    expect(res.body.conference.alertId).toBe(alert.id);
  });

  it('refuses a closed alert with 409 and an alert outside the chair’s audience with 404', async () => {
    const s = await buildConferenceScene();
    const base = { personId: s.personId, ruleId: 'r', severity: 'high' as const, sharingState: 'consented' as const };
    const closed = await Alert.create({ ...base, status: 'closed', audience: { mode: 'panel', agencyIds: [s.police._id], roles: [] } });
    const foreign = await Alert.create({ ...base, ruleId: 'r2', audience: { mode: 'panel', agencyIds: [s.trust._id], roles: [] } });
    const chair = await app.as(s.chair);
    expect((await chair.post('/api/conferences', { title: 'Closed', scheduledFor: future(), alertId: closed.id }).expect(409)).body.error.code).toBe('alert_closed');
    await chair.post('/api/conferences', { title: 'Foreign', scheduledFor: future(), alertId: foreign.id }).expect(404);
    expect((await Alert.findById(foreign._id))?.status).toBe('open');
  });

  it('refuses bad input and operator injection with 400', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const bad = [
      { title: 'No subject', scheduledFor: future() },
      { title: 'Both', scheduledFor: future(), personId: String(s.personId), alertId: String(s.personId) },
      { title: 'Injected', scheduledFor: future(), personId: { $gt: '' } },
      { title: 'Extra', scheduledFor: future(), personId: String(s.personId), chairId: s.trustMember.user.id },
      { title: 'Bad date', scheduledFor: 'tomorrow', personId: String(s.personId) },
    ];
    for (const body of bad) {
      const res = await chair.post('/api/conferences', body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    await chair.get('/api/conferences?status[$ne]=closed').expect(400);
  });
});

describe('inviting participants', () => {
  it('lists candidates by agency and says why housing cannot be invited', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [], { start: false });
    const res = await chair.get(`/api/conferences/${id}/candidates`).expect(200);
    const byName = new Map(res.body.agencies.map((a: { name: string }) => [a.name, a]));
    expect(byName.get('Mental Health Trust')).toEqual(expect.objectContaining({ eligible: true, reason: null }));
    expect((byName.get('Mental Health Trust') as { users: { id: string }[] }).users.map((u) => u.id)).toContain(s.trustMember.user.id);
    expect(byName.get('Housing')).toEqual(
      expect.objectContaining({ eligible: false, reason: 'Housing is not party to an active sharing agreement covering risk panels.', users: [] }),
    );
    const refused = await chair.post(`/api/conferences/${id}/participants`, { userId: s.housingMember.user.id }).expect(400);
    expect(refused.body.error).toEqual(expect.objectContaining({ code: 'no_sharing_basis', message: 'Housing is not party to an active sharing agreement covering risk panels.' }));
  });

  it('says no consent covers an agency the consent leaves out', async () => {
    const s = await buildConferenceScene();
    const other = await buildEncounter(s.police, { givenName: 'Kit', familyName: 'Narrow', dateOfBirth: '1991-05-06' });
    await giveConsent(other.personId as Types.ObjectId, s.chair, s.police._id as Types.ObjectId, { agencies: [s.police._id as Types.ObjectId, s.trust._id as Types.ObjectId] });
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, other.personId, [s.trustMember], { start: false });
    const refused = await chair.post(`/api/conferences/${id}/participants`, { userId: s.aeMember.user.id }).expect(400);
    expect(refused.body.error.code).toBe('no_sharing_basis');
    expect(refused.body.error.message).toMatch(/^No consent covers this agency/);
  });

  it('refuses staff without a practice role, unknown users and a non-chair', async () => {
    const s = await buildConferenceScene();
    const noRole = await buildUser({ roles: [], agency: s.trust });
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember], { start: false });
    expect((await chair.post(`/api/conferences/${id}/participants`, { userId: noRole.user.id }).expect(400)).body.error.code).toBe('not_invitable');
    await chair.post(`/api/conferences/${id}/participants`, { userId: new Types.ObjectId().toHexString() }).expect(404);
    const member = await app.as(s.trustMember);
    expect((await member.post(`/api/conferences/${id}/participants`, { userId: s.aeMember.user.id }).expect(403)).body.error.code).toBe('not_chair');
    // Inviting a current participant again changes nothing.
    const again = await chair.post(`/api/conferences/${id}/participants`, { userId: s.trustMember.user.id }).expect(200);
    expect(again.body.conference.participants).toHaveLength(2);
  });
});

describe('GET /api/conferences/:id access', () => {
  it('answers 404 to a colleague who is not a participant, another agency and a made-up id', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember]);
    const colleague = await app.as(await buildUser({ roles: ['panel_member'], agency: s.police }));
    const outsider = await app.as(await buildUser({ roles: ['panel_chair'], agency: await buildAgency() }));
    for (const viewer of [colleague, outsider]) {
      expect((await viewer.get(`/api/conferences/${id}`).expect(404)).body.error.code).toBe('not_found');
      await viewer.get(`/api/conferences/${id}/minutes`).expect(404);
      await viewer.post(`/api/conferences/${id}/decisions`, { text: 'Sneaky' }).expect(404);
    }
    await chair.get(`/api/conferences/${new Types.ObjectId().toHexString()}`).expect(404);
    await chair.get('/api/conferences/not-an-id').expect(400);
    const denied = await AuditEvent.countDocuments({ action: 'access.denied', 'subject.type': 'conference', 'subject.id': id, reason: 'not_participant' });
    expect(denied).toBeGreaterThanOrEqual(6);
  });

  it('refuses a participant whose agency lost its sharing basis with 403 no_sharing_basis', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember]);
    const member = await app.as(s.trustMember);
    await member.get(`/api/conferences/${id}`).expect(200);
    await SharingAgreement.updateOne({ _id: s.agreement._id }, { $set: { status: 'suspended' } });
    const res = await member.get(`/api/conferences/${id}`).expect(403);
    expect(res.body.error.code).toBe('no_sharing_basis');
    await chair.get(`/api/conferences/${id}`).expect(200);
  });

  it('lists a participant’s conferences by status', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const live = await liveConference(chair, s.personId, [s.trustMember]);
    const upcoming = await liveConference(chair, s.personId, [s.trustMember], { start: false });
    const member = await app.as(s.trustMember);
    const ids = async (q: string) => ((await member.get(`/api/conferences${q}`).expect(200)).body.conferences as { id: string }[]).map((c) => c.id);
    expect(await ids('?status=live')).toEqual([live]);
    expect(await ids('?status=upcoming')).toEqual([upcoming]);
    expect(await ids('?status=closed')).toEqual([]);
    // Someone who takes part in none sees an empty list, not others' conferences.
    const ae = await app.as(s.aeMember);
    expect((await ae.get('/api/conferences').expect(200)).body.conferences).toEqual([]);
  });
});

describe('a conference from start to minutes', () => {
  it('records risk, a decision and an action, puts the action on the owner’s tasks, and closes', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember]);
    const member = await app.as(s.trustMember);

    await member.post(`/api/conferences/${id}/risks`, { category: 'self_harm', level: 'high', rationale: 'Recent attempts' }).expect(201);
    await member.post(`/api/conferences/${id}/risks`, { category: 'made_up', level: 'high', rationale: 'x' }).expect(400);
    await chair.post(`/api/conferences/${id}/decisions`, { text: 'Joint crisis plan' }).expect(201);
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const act = await chair.post(`/api/conferences/${id}/actions`, { text: 'Arrange home visit', ownerUserId: s.trustMember.user.id, dueAt: due }).expect(201);
    await chair.post(`/api/conferences/${id}/actions`, { text: 'Nobody', ownerUserId: s.aeMember.user.id, dueAt: due }).expect(400);
    await chair.post(`/api/conferences/${id}/actions`, { text: 'Past', ownerUserId: s.trustMember.user.id, dueAt: '2020-01-01' }).expect(400);

    const tasks = (await member.get('/api/tasks').expect(200)).body.tasks as { kind: string; subject: { id: string }; dueAt: string }[];
    expect(tasks).toEqual([expect.objectContaining({ kind: 'conference_action', subject: expect.objectContaining({ id }) })]);

    const detail = (await member.get(`/api/conferences/${id}`).expect(200)).body.conference;
    expect(detail.risks).toEqual([expect.objectContaining({ category: 'self_harm', level: 'high', agencyName: 'Mental Health Trust' })]);
    expect(detail.decisions).toEqual([expect.objectContaining({ text: 'Joint crisis plan' })]);
    expect(detail.actions).toEqual([expect.objectContaining({ text: 'Arrange home visit', status: 'open', owner: expect.objectContaining({ id: s.trustMember.user.id }) })]);

    const messages = (await member.get(`/api/conferences/${id}/messages?after=0`).expect(200)).body.messages as { seq: number; kind: string }[];
    expect(messages.map((m) => m.kind)).toEqual(['system', 'risk', 'decision', 'action']);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    await member.patch(`/api/conferences/${id}/actions/${act.body.itemId}`, { status: 'done' }).expect(200);
    await member.patch(`/api/conferences/${id}/actions/${act.body.itemId}`, { status: 'done' }).expect(409);
    await member.patch(`/api/conferences/${id}/actions/${new Types.ObjectId().toHexString()}`, { status: 'done' }).expect(404);
    expect((await member.get('/api/tasks').expect(200)).body.tasks).toEqual([]);

    await member.get(`/api/conferences/${id}/minutes`).expect(409);
    await member.post(`/api/conferences/${id}/close`, { outcome: 'plan_agreed' }).expect(403);
    await chair.post(`/api/conferences/${id}/close`, { outcome: 'nonsense' }).expect(400);
    const closed = await chair.post(`/api/conferences/${id}/close`, { outcome: 'plan_agreed', summary: 'Plan agreed by all' }).expect(200);
    expect(closed.body.conference.status).toBe('closed');
    expect((await chair.post(`/api/conferences/${id}/close`, { outcome: 'plan_agreed' }).expect(403)).body.error.code).toBe('not_chair');
    await member.post(`/api/conferences/${id}/decisions`, { text: 'Too late' }).expect(409);

    const minutes = (await member.get(`/api/conferences/${id}/minutes`).expect(200)).body.minutes;
    expect(minutes.outcome).toEqual({ code: 'plan_agreed', label: 'Multi-agency plan agreed', summary: 'Plan agreed by all' });
    expect(minutes.riskSummary).toEqual([expect.objectContaining({ category: 'self_harm', level: 'high' })]);
    expect(minutes.decisions.map((d: { text: string }) => d.text)).toEqual(['Joint crisis plan']);
    expect(minutes.actions).toEqual([expect.objectContaining({ text: 'Arrange home visit', status: 'done' })]);

    const html = await member.get(`/api/conferences/${id}/minutes.html`).expect(200).expect('Content-Type', /html/);
    expect(html.text).toContain('Joint crisis plan');
    expect(html.text).not.toMatch(/<script/i);
    const file = await member.get(`/api/conferences/${id}/minutes/download`).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="?conference-minutes-[a-f0-9]{24}-\d{4}-\d{2}-\d{2}\.html/);

    const actions = (await AuditEvent.find({ 'subject.id': id }).sort({ seq: 1 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['conference.create', 'conference.start', 'conference.risk.create', 'conference.close', 'conference.minutes.read', 'conference.minutes.export']));
    expect(JSON.stringify(await AuditEvent.find({ 'subject.personId': s.personId }))).not.toContain('Joint crisis plan');
  });

  it('lets the chair change the agenda and remove a participant, who then gets 404', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember, s.aeMember]);
    const agenda = await chair.put(`/api/conferences/${id}/agenda`, { items: [{ text: 'Intro', done: true }, { text: 'Plan' }] }).expect(200);
    expect(agenda.body.conference.agenda.map((a: { text: string; done: boolean }) => [a.text, a.done])).toEqual([['Intro', true], ['Plan', false]]);
    await chair.put(`/api/conferences/${id}/agenda`, { items: [{ text: '' }] }).expect(400);
    const member = await app.as(s.aeMember);
    await member.get(`/api/conferences/${id}`).expect(200);
    await chair.delete(`/api/conferences/${id}/participants/${s.chair.user.id}`).expect(400);
    const removed = await chair.delete(`/api/conferences/${id}/participants/${s.aeMember.user.id}`).expect(200);
    expect(removed.body.conference.participants.map((p: { userId: string }) => p.userId)).not.toContain(s.aeMember.user.id);
    await member.get(`/api/conferences/${id}`).expect(404);
    await chair.delete(`/api/conferences/${id}/participants/${s.aeMember.user.id}`).expect(404);
  });

  it('refuses to start twice and to send messages before the start', async () => {
    const s = await buildConferenceScene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember], { start: false });
    await chair.post(`/api/conferences/${id}/decisions`, { text: 'Early' }).expect(409);
    await chair.post(`/api/conferences/${id}/start`).expect(200);
    expect((await chair.post(`/api/conferences/${id}/start`).expect(409)).body.error.code).toBe('invalid_transition');
    await chair.post(`/api/conferences/${id}/start`, { extra: 1 }).expect(400);
  });
});
