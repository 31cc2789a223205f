/**
 * Socket events re-check the sharing basis and the conference's participants every time, against
 * facts reused until any consent, decision to share, agreement or conference changes. These tests warm the reuse, change the facts through
 * the app's models on one process, and expect the very next event on the other process to be
 * decided on the new facts: no waiting, no window.
 */
import type { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildConferenceScene, liveConference, RoomClient } from './helpers';
import { Consent } from '../../server/models/Consent';
import { SharingAgreement } from '../../server/models/SharingAgreement';
import { CONFERENCE_OUTCOMES } from '../../server/models/Conference';
import { sharingVersion, versionedCache } from '../../server/commands/sharingVersion';

let a: TestApp;
let b: TestApp;
const clients: RoomClient[] = [];

beforeAll(async () => {
  a = await startTestApp('conf_basis_cache');
  b = await startTestApp('conf_basis_cache_b', { peer: a });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await b.close();
  await a.close();
});

async function member(app: TestApp, cookie: string, conferenceId: string): Promise<RoomClient> {
  const c = new RoomClient(app, cookie, conferenceId);
  clients.push(c);
  const ack = await c.connect();
  if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  return c;
}

async function warmRoom() {
  const s = await buildConferenceScene();
  const chairSession = await a.as(s.chair);
  const id = await liveConference(chairSession, s.personId, [s.trustMember]);
  const trust = await member(b, (await b.as(s.trustMember)).cookie, id);
  for (let i = 0; i < 3; i++) expect(await trust.send(`before ${i}`)).toEqual(expect.objectContaining({ ok: true }));
  return { s, id, trust };
}

describe('the sharing basis behind socket events', () => {
  it('refuses the next message once the person withdraws consent', async () => {
    const { s, trust } = await warmRoom();
    await Consent.create({
      personId: s.personId,
      status: 'withdrawn',
      scope: { allPanel: true, agencies: [], purposes: [], categories: [] },
      evidence: 'Phoned the trust to withdraw',
      recordedBy: s.trustMember.user._id,
      recordedByAgency: s.trust._id as Types.ObjectId,
      recordedAt: new Date(),
    });
    expect(await trust.send('after withdrawal')).toEqual(expect.objectContaining({ ok: false, code: 'no_sharing_basis' }));
    expect(trust.socket.connected).toBe(true);
  });

  it('refuses the next message once the agreement is suspended, and allows it again when reactivated', async () => {
    const { s, trust } = await warmRoom();
    await SharingAgreement.findOneAndUpdate({ _id: s.agreement._id }, { $set: { status: 'suspended' } });
    expect(await trust.send('while suspended')).toEqual(expect.objectContaining({ ok: false, code: 'no_sharing_basis' }));
    await SharingAgreement.updateOne({ _id: s.agreement._id }, { $set: { status: 'active' } });
    expect(await trust.send('reactivated')).toEqual(expect.objectContaining({ ok: true }));
  });

  it('refuses the next message of a participant removed on the other process', async () => {
    const { s, id, trust } = await warmRoom();
    const chair = await a.as(s.chair);
    await chair.delete(`/api/conferences/${id}/participants/${s.trustMember.user.id as string}`).expect(200);
    expect(await trust.send('after removal')).toEqual(expect.objectContaining({ ok: false, code: 'not_found' }));
  });

  it('refuses the next message once the chair closes the conference', async () => {
    const { s, id, trust } = await warmRoom();
    const chair = await a.as(s.chair);
    await chair.post(`/api/conferences/${id}/close`, { outcome: CONFERENCE_OUTCOMES[0], summary: 'Plan agreed.' }).expect(200);
    expect(await trust.send('after close')).toEqual(expect.objectContaining({ ok: false, code: 'conference_not_live' }));
  });

  it('does not move the version for messages: their sequence numbers change nothing about access', async () => {
    const { trust } = await warmRoom();
    const before = await sharingVersion();
    for (let i = 0; i < 3; i++) expect(await trust.send(`more ${i}`)).toEqual(expect.objectContaining({ ok: true }));
    expect(await sharingVersion()).toBe(before);
  });

  it('moves the shared version on every write to the three models, and only then', async () => {
    const { s } = await warmRoom();
    const before = await sharingVersion();
    expect(before).not.toBeNull();
    await SharingAgreement.updateOne({ _id: s.agreement._id }, { $set: { status: 'active' } });
    const afterUpdate = await sharingVersion();
    expect(Number(afterUpdate)).toBeGreaterThan(Number(before));
    // Reading does not move it.
    await Consent.find({ personId: s.personId });
    await SharingAgreement.findById(s.agreement._id);
    expect(await sharingVersion()).toBe(afterUpdate);
    // The version lives in Redis under the deployment's prefix, so every process reads the same one.
    expect(await a.runtime.ctx.redis.get(`${a.config.redisPrefix}:sharing:version`)).toBe(afterUpdate);
  });

  it('reuses loaded facts while nothing changed, and loads again after a change', async () => {
    const { s } = await warmRoom();
    const cache = versionedCache<number>();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache('k', load)).toBe(1);
    expect(await cache('k', load)).toBe(1);
    expect(await cache('other', load)).toBe(2);
    await giveAnotherConsent(s);
    expect(await cache('k', load)).toBe(3);
    expect(loads).toBe(3);
  });
});

function giveAnotherConsent(s: Awaited<ReturnType<typeof buildConferenceScene>>) {
  return Consent.create({
    personId: s.personId,
    status: 'given',
    scope: { allPanel: true, agencies: [], purposes: ['risk_panel'], categories: ['risk'] },
    evidence: 'Renewed',
    recordedBy: s.chair.user._id,
    recordedByAgency: s.police._id as Types.ObjectId,
    recordedAt: new Date(),
  });
}
