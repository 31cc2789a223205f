/**
 * Conference rooms over real sockets, on two server processes of one deployment (same database,
 * Redis prefix and sessions; rooms span them through the Redis adapter).
 */
import { trusted } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildConferenceScene, connected, liveConference, openSocket, request, RoomClient, until, type RoomMessage } from './helpers';
import { ConferenceMessage } from '../../server/models/ConferenceMessage';
import { SharingAgreement } from '../../server/models/SharingAgreement';
import { AuditEvent } from '../../server/models/AuditEvent';

let a: TestApp;
let b: TestApp;
const clients: RoomClient[] = [];

beforeAll(async () => {
  a = await startTestApp('conf_rooms');
  b = await startTestApp('conf_rooms_b', { peer: a });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await b.close();
  await a.close();
});

async function client(app: TestApp, cookie: string, conferenceId: string): Promise<RoomClient> {
  const c = new RoomClient(app, cookie, conferenceId);
  clients.push(c);
  const ack = await c.connect();
  if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  return c;
}

async function storedSeqs(conferenceId: string): Promise<number[]> {
  return (await ConferenceMessage.find({ conferenceId }).sort({ seq: 1 })).map((m) => m.seq);
}

const summary = (list: RoomMessage[]) => list.map((m) => `${m.seq}:${m.id}:${m.body ?? ''}`);

describe('a conference room across two server processes', () => {
  it('carries messages from a participant on each process, in the same order for both', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember]);
    const chair = await client(a, chairSession.cookie, id);
    const member = await client(b, (await b.as(s.trustMember)).cookie, id);

    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      sends.push(chair.send(`chair ${i}`), member.send(`member ${i}`));
    }
    const acks = (await Promise.all(sends)) as { ok: boolean; seq: number }[];
    expect(acks.every((x) => x.ok)).toBe(true);
    const total = 1 + 30; // the start announcement and the messages
    await until(() => chair.log.size === total && member.log.size === total, 5000, 'both logs complete');

    expect(summary(member.log.list())).toEqual(summary(chair.log.list()));
    expect(chair.log.list().map((m) => m.seq)).toEqual(await storedSeqs(id));
    // Each sender's messages keep the order they were sent in.
    const mine = (who: string) => chair.bodies().filter((body) => body?.startsWith(who));
    expect(mine('chair')).toEqual(Array.from({ length: 15 }, (_, i) => `chair ${i}`));
    expect(mine('member')).toEqual(Array.from({ length: 15 }, (_, i) => `member ${i}`));
    // Messages arrived live on the other process, not only through a catch-up.
    expect(member.arrivals.filter((m) => m.body?.startsWith('chair')).length).toBe(15);
  });

  it('gives a client that drops and reconnects mid-stream the same ordered list as one that never dropped', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember, s.aeMember]);
    const sender = await client(a, chairSession.cookie, id);
    const steady = await client(a, (await a.as(s.aeMember)).cookie, id);
    const flaky = await client(b, (await b.as(s.trustMember)).cookie, id);

    const clientIds: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 15 || i === 35) flaky.drop();
      if (i === 25 || i === 45) await flaky.connect();
      const clientId = `retry-${id}-${i}`;
      clientIds.push(clientId);
      const ack = await sender.send(`message ${i}`, clientId);
      expect(ack).toEqual(expect.objectContaining({ ok: true }));
      if (i % 10 === 3) {
        // A retried send (its ack was "lost"): same client id, same seq, nothing new stored.
        const again = await sender.send(`message ${i}`, clientId);
        expect(again).toEqual(expect.objectContaining({ ok: true, duplicate: true, seq: ack.seq }));
      }
      // Within the per-socket budget of 10 messages a second.
      await new Promise((r) => setTimeout(r, 80));
    }
    await until(() => steady.log.size === 61 && flaky.log.size === 61, 5000, 'logs complete');

    expect(summary(flaky.log.list())).toEqual(summary(steady.log.list()));
    const seqs = flaky.log.list().map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 61 }, (_, i) => i + 1)); // no gaps
    expect(new Set(seqs).size).toBe(seqs.length); // no duplicates
    expect(flaky.bodies()).toEqual(Array.from({ length: 60 }, (_, i) => `message ${i}`));
    expect(await ConferenceMessage.countDocuments({ conferenceId: id, clientId: trusted({ $in: clientIds }) })).toBe(60);
  });

  it('refuses a non-participant and a participant whose agency has no basis, and stays connected', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember]);
    const outsider = openSocket(b, (await b.as(await buildUser({ roles: ['panel_member'], agency: s.trust }))).cookie);
    await connected(outsider);
    expect(await request(outsider, 'conference:join', { conferenceId: id, lastSeq: 0 })).toEqual(expect.objectContaining({ ok: false, code: 'not_found' }));
    expect(await request(outsider, 'conference:message', { conferenceId: id, clientId: 'abcdefgh1', body: 'hi' })).toEqual(
      expect.objectContaining({ ok: false, code: 'not_found' }),
    );

    const member = openSocket(b, (await b.as(s.trustMember)).cookie);
    await connected(member);
    await SharingAgreement.updateOne({ _id: s.agreement._id }, { $set: { status: 'suspended' } });
    const refused = await request(member, 'conference:join', { conferenceId: id, lastSeq: 0 });
    expect(refused).toEqual(expect.objectContaining({ ok: false, code: 'no_sharing_basis' }));
    expect(outsider.connected && member.connected).toBe(true);
    outsider.close();
    member.close();
    expect(await AuditEvent.countDocuments({ action: 'access.denied', 'subject.id': id })).toBeGreaterThanOrEqual(3);
  });

  it('stops sending to a removed participant at once, on the other process', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    // A colleague from the same agency stays, so the agency's room still gets every message.
    const colleague = await buildUser({ roles: ['panel_member'], agency: s.trust });
    const id = await liveConference(chairSession, s.personId, [s.trustMember, colleague]);
    const chair = await client(a, chairSession.cookie, id);
    const stays = await client(b, (await b.as(colleague)).cookie, id);
    const leaves = await client(b, (await b.as(s.trustMember)).cookie, id);
    await chair.send('before');
    await until(() => leaves.bodies().includes('before'), 5000, 'first message');

    await chairSession.delete(`/api/conferences/${id}/participants/${s.trustMember.user.id}`).expect(200);
    await chair.send('after removal');
    await until(() => stays.bodies().includes('after removal'), 5000, 'message to those who stay');
    await new Promise((r) => setTimeout(r, 200));
    expect(leaves.bodies()).not.toContain('after removal');
    expect(leaves.events.map((e) => e.event)).toContain('conference:removed');
    expect(await leaves.send('still here?')).toEqual(expect.objectContaining({ ok: false, code: 'not_found' }));
    expect(await leaves.join()).toEqual(expect.objectContaining({ ok: false, code: 'not_found' }));
  });

  it('refuses malformed and oversized payloads with a code, without disconnecting anyone else', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember]);
    const chair = await client(a, chairSession.cookie, id);
    const member = await client(b, (await b.as(s.trustMember)).cookie, id);
    const bad: [unknown, string][] = [
      ['not an object', 'validation_failed'],
      [{ conferenceId: { $gt: '' }, clientId: 'abcdefgh2', body: 'x' }, 'validation_failed'],
      [{ conferenceId: id, clientId: 'short', body: 'x' }, 'validation_failed'],
      [{ conferenceId: id, clientId: 'abcdefgh3', body: '   ' }, 'validation_failed'],
      [{ conferenceId: id, clientId: 'abcdefgh4', body: 'x', authorId: s.trustMember.user.id }, 'validation_failed'],
      [{ conferenceId: id, clientId: 'abcdefgh5', body: 'x'.repeat(4001) }, 'payload_too_large'],
      [{ conferenceId: id, clientId: 'abcdefgh6', body: 'x', pad: 'y'.repeat(20_000) }, 'payload_too_large'],
    ];
    for (const [payload, code] of bad) {
      expect(await request(member.socket, 'conference:message', payload)).toEqual(expect.objectContaining({ ok: false, code }));
    }
    // No ack callback: the refusal comes back as an event.
    const err = new Promise((resolve) => member.socket.once('conference:error', resolve));
    member.socket.emit('conference:message', { conferenceId: id });
    await expect(err).resolves.toEqual(expect.objectContaining({ event: 'conference:message', ok: false, code: 'validation_failed' }));

    // A frame past the transport limit closes only the socket that sent it.
    const rogue = openSocket(b, (await b.as(s.trustMember)).cookie);
    await connected(rogue);
    const gone = new Promise((resolve) => rogue.once('disconnect', resolve));
    rogue.emit('conference:message', { conferenceId: id, clientId: 'abcdefgh7', body: 'z'.repeat(100_000) });
    await gone;

    expect(member.socket.connected && chair.socket.connected).toBe(true);
    await chair.send('still working');
    await until(() => member.bodies().includes('still working'), 5000, 'delivery after bad input');
    expect(await ConferenceMessage.countDocuments({ conferenceId: id, kind: 'text' })).toBe(1);
  });

  it('rate-limits a flooding socket with rate_limited acks and keeps it connected', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, []);
    const chair = await client(a, chairSession.cookie, id);
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => chair.send(`flood ${i}`)));
    const limited = acks.filter((x) => x.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(acks.filter((x) => x.ok).length).toBe(40 - limited);
    expect(chair.socket.connected).toBe(true);
  });

  it('edits and redacts with history kept and audited; only the author edits', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember]);
    const chair = await client(a, chairSession.cookie, id);
    const member = await client(b, (await b.as(s.trustMember)).cookie, id);
    const sent = (await member.send('first version')) as unknown as { seq: number };

    expect(await request(chair.socket, 'conference:edit', { conferenceId: id, seq: sent.seq, body: 'chair rewrite' })).toEqual(
      expect.objectContaining({ ok: false, code: 'not_author' }),
    );
    expect(await request(member.socket, 'conference:edit', { conferenceId: id, seq: sent.seq, body: 'second version' })).toEqual({ ok: true, seq: sent.seq });
    await until(() => chair.log.list().some((m) => m.seq === sent.seq && m.body === 'second version'), 5000, 'edit seen');
    expect(await request(chair.socket, 'conference:redact', { conferenceId: id, seq: sent.seq })).toEqual({ ok: true, seq: sent.seq });
    await until(() => member.log.list().some((m) => m.seq === sent.seq && m.redacted && m.body === null), 5000, 'redaction seen');

    const stored = await ConferenceMessage.findOne({ conferenceId: id, seq: sent.seq });
    expect(stored?.history.map((h) => [h.action, h.body])).toEqual([
      ['edit', 'first version'],
      ['redact', 'second version'],
    ]);
    const audited = (await AuditEvent.find({ 'subject.type': 'conference_message', 'subject.id': stored?.id })).map((e) => e.action);
    expect(audited).toEqual(['conference.message.create', 'conference.message.edit', 'conference.message.redact']);
    expect(a.logText() + b.logText()).not.toContain('first version');
  });

  it('shows presence to joiners and passes typing to others only', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember]);
    const chair = await client(a, chairSession.cookie, id);
    const memberClient = new RoomClient(b, (await b.as(s.trustMember)).cookie, id);
    clients.push(memberClient);
    const ack = await memberClient.connect();
    expect((ack.presence as { userId: string }[]).map((p) => p.userId).sort()).toEqual([s.chair.user.id, s.trustMember.user.id].sort());
    await until(() => chair.events.some((e) => e.event === 'conference:presence'), 5000, 'presence');
    expect(await request(memberClient.socket, 'conference:typing', { conferenceId: id, typing: true })).toEqual({ ok: true });
    await until(() => chair.events.some((e) => e.event === 'conference:typing'), 5000, 'typing');
    expect(memberClient.events.some((e) => e.event === 'conference:typing')).toBe(false);
    memberClient.drop();
    await until(() => chair.events.some((e) => e.event === 'conference:presence' && (e.payload as { online: boolean }).online === false), 5000, 'offline');
  });
});
