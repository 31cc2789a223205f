/**
 * What each participant sees depends on their agency's basis for each other agency's
 * contributions: police chair, trust and A&E share under one agreement; housing shares risk
 * information with police only, and with A&E an agreement that does not cover risk (redacted);
 * with the trust it has no agreement at all (denied: not even a marker).
 */
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgreement } from '../helpers/people';
import { buildConferenceScene, liveConference, RoomClient, until } from './helpers';

let app: TestApp;
const clients: RoomClient[] = [];

beforeAll(async () => {
  app = await startTestApp('conf_minutes');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await app.close();
});

async function scene() {
  const s = await buildConferenceScene();
  await buildAgreement([s.police, s.housing], { purposes: ['risk_panel'], categories: ['risk'] });
  await buildAgreement([s.housing, s.ae], { purposes: ['risk_panel'], categories: ['demographics'] });
  return s;
}

describe('minutes and messages per viewer', () => {
  it('gives each participant only what their agency’s basis allows', async () => {
    const s = await scene();
    const chair = await app.as(s.chair);
    const id = await liveConference(chair, s.personId, [s.trustMember, s.aeMember, s.housingMember]);
    const [trust, ae, housing] = await Promise.all([app.as(s.trustMember), app.as(s.aeMember), app.as(s.housingMember)]);

    const housingRoom = new RoomClient(app, housing.cookie, id);
    const trustRoom = new RoomClient(app, trust.cookie, id);
    clients.push(housingRoom, trustRoom);
    expect((await housingRoom.connect()).ok).toBe(true);
    expect((await trustRoom.connect()).ok).toBe(true);
    const aeRoom = new RoomClient(app, ae.cookie, id);
    clients.push(aeRoom);
    expect((await aeRoom.connect()).ok).toBe(true);

    await trustRoom.send('Trust says TRUST-DETAIL');
    await aeRoom.send('A&E says AE-DETAIL');
    const chairRoom = new RoomClient(app, chair.cookie, id);
    clients.push(chairRoom);
    await chairRoom.connect();
    await chairRoom.send('Chair says hello');
    await until(() => housingRoom.log.size === 4 && trustRoom.log.size === 4, 5000, 'messages');

    const seen = housingRoom.log.list();
    const fromTrust = seen.find((m) => m.seq === 2);
    const fromAe = seen.find((m) => m.seq === 3);
    expect(fromTrust).toEqual(expect.objectContaining({ body: null, agencyName: null, withheld: expect.any(Object) }));
    expect(fromAe).toEqual(expect.objectContaining({ body: null, agencyName: 'A&E', withheld: { reason: expect.stringMatching(/does not cover risk/) } }));
    expect(seen.find((m) => m.seq === 4)?.body).toBe('Chair says hello');
    expect(JSON.stringify(housingRoom.arrivals)).not.toMatch(/TRUST-DETAIL|AE-DETAIL/);
    expect(trustRoom.bodies()).toEqual(['Trust says TRUST-DETAIL', 'A&E says AE-DETAIL', 'Chair says hello']);

    await trust.post(`/api/conferences/${id}/risks`, { category: 'self_harm', level: 'high', rationale: 'TRUST-RISK' }).expect(201);
    await ae.post(`/api/conferences/${id}/risks`, { category: 'suicide', level: 'critical', rationale: 'AE-RISK' }).expect(201);
    await ae.post(`/api/conferences/${id}/decisions`, { text: 'AE-DECISION' }).expect(201);
    await chair.post(`/api/conferences/${id}/decisions`, { text: 'Police-led plan' }).expect(201);
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await chair.post(`/api/conferences/${id}/actions`, { text: 'Check tenancy', ownerUserId: s.housingMember.user.id, dueAt: due }).expect(201);
    // Trust's content cannot reach housing, so housing cannot own a trust action.
    expect((await trust.post(`/api/conferences/${id}/actions`, { text: 'x', ownerUserId: s.housingMember.user.id, dueAt: due }).expect(400)).body.error.code).toBe(
      'owner_no_basis',
    );
    await chair.post(`/api/conferences/${id}/close`, { outcome: 'monitor', summary: 'Review in a month' }).expect(200);

    const trustMinutes = (await trust.get(`/api/conferences/${id}/minutes`).expect(200)).body.minutes;
    expect(trustMinutes.riskSummary.map((r: { category: string; level: string }) => `${r.category}:${r.level}`)).toEqual(['suicide:critical', 'self_harm:high']);
    expect(trustMinutes.decisions.map((d: { text: string }) => d.text)).toEqual(['AE-DECISION', 'Police-led plan']);
    expect(trustMinutes.withheld).toEqual([]);
    expect(trustMinutes.attendees.map((a: { agencyName: string }) => a.agencyName).sort()).toEqual(['A&E', 'Housing', 'Mental Health Trust', 'Police']);

    const housingMinutes = (await housing.get(`/api/conferences/${id}/minutes`).expect(200)).body.minutes;
    expect(housingMinutes.riskSummary).toEqual([]);
    expect(housingMinutes.risks).toEqual([]);
    expect(housingMinutes.decisions.map((d: { text: string }) => d.text)).toEqual(['Police-led plan']);
    expect(housingMinutes.actions.map((a: { text: string }) => a.text)).toEqual(['Check tenancy']);
    expect(housingMinutes.outcome.summary).toBe('Review in a month');
    expect(housingMinutes.withheld).toEqual([{ agencyName: 'A&E', count: 2, reason: expect.stringMatching(/does not cover risk/) }]);
    const housingHtml = (await housing.get(`/api/conferences/${id}/minutes.html`).expect(200)).text;
    for (const secret of ['TRUST-RISK', 'AE-RISK', 'AE-DECISION']) {
      expect(JSON.stringify(housingMinutes)).not.toContain(secret);
      expect(housingHtml).not.toContain(secret);
    }
    expect(housingHtml).toContain('2 items from A&amp;E');
    // The trust's contributions are not even counted for housing: there is no agreement at all.
    expect(JSON.stringify(housingMinutes.withheld)).not.toContain('Mental Health Trust');

    const detail = (await housing.get(`/api/conferences/${id}`).expect(200)).body.conference;
    expect(detail.person.name).toBeNull(); // housing holds no record and may not identify the person
    expect(detail.risks).toEqual([]);
  });
});
