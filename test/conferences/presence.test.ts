/**
 * Presence in a conference room, shared across server processes through Redis: who a joiner is
 * told is here, and how people leave that list (drop, leave, removal, a process that dies).
 */
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../helpers/server';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { closeRedis } from '../../server/redis';
import { redisPresence, type PresenceEntry } from '../../server/conferences/presence';
import { buildConferenceScene, liveConference, request, RoomClient, until } from './helpers';
import { buildUser } from '../helpers/factories';

let a: TestApp;
let b: TestApp;
const clients: RoomClient[] = [];

beforeAll(async () => {
  a = await startTestApp('conf_presence');
  b = await startTestApp('conf_presence_b', { peer: a });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await b.close();
  await a.close();
});

async function joinAs(app: TestApp, cookie: string, conferenceId: string): Promise<{ client: RoomClient; present: string[] }> {
  const client = new RoomClient(app, cookie, conferenceId);
  clients.push(client);
  const ack = await client.connect();
  if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  return { client, present: (ack.presence as PresenceEntry[]).map((p) => p.userId).sort() };
}

describe('conference presence across two server processes', () => {
  it('lists everyone connected on either process, and forgets a socket that dropped or left', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const id = await liveConference(chairSession, s.personId, [s.trustMember, s.aeMember]);
    const chair = await joinAs(a, chairSession.cookie, id);
    expect(chair.present).toEqual([s.chair.user.id]);

    const member = await joinAs(b, (await b.as(s.trustMember)).cookie, id);
    expect(member.present).toEqual([s.chair.user.id, s.trustMember.user.id].sort());

    // Dropped on process b: gone from the list the next joiner (on a) gets.
    member.client.drop();
    await until(() => chair.client.events.some((e) => e.event === 'conference:presence' && (e.payload as { online: boolean }).online === false), 5000, 'offline');
    const ae = await joinAs(a, (await a.as(s.aeMember)).cookie, id);
    expect(ae.present).toEqual([s.chair.user.id, s.aeMember.user.id].sort());

    // Left the room without disconnecting: gone too.
    expect(await request(ae.client.socket, 'conference:leave', { conferenceId: id })).toEqual({ ok: true });
    const back = await joinAs(b, (await b.as(s.trustMember)).cookie, id);
    expect(back.present).toEqual([s.chair.user.id, s.trustMember.user.id].sort());
  });

  it('does not list a removed participant to later joiners', async () => {
    const s = await buildConferenceScene();
    const chairSession = await a.as(s.chair);
    const colleague = await buildUser({ roles: ['panel_member'], agency: s.trust });
    const id = await liveConference(chairSession, s.personId, [s.trustMember, colleague]);
    await joinAs(a, chairSession.cookie, id);
    await joinAs(b, (await b.as(s.trustMember)).cookie, id);
    await chairSession.delete(`/api/conferences/${id}/participants/${s.trustMember.user.id}`).expect(200);
    const later = await joinAs(a, (await a.as(colleague)).cookie, id);
    expect(later.present).toEqual([s.chair.user.id, colleague.user.id].sort());
  });
});

describe('presence entries of a process', () => {
  let redis: Redis;
  const prefix = uniquePrefix('presence');
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await cleanupPrefix(prefix);
    await closeRedis(redis);
  });
  const entry = (n: number): PresenceEntry => ({ socketId: `s${n}`, userId: `u${n}`, name: `Person ${n}`, agencyName: 'Trust' });
  const conferenceId = 'a'.repeat(24);

  it('stop counting once their process closes, and expire when it dies without closing', async () => {
    const steady = redisPresence(redis, prefix);
    const closing = redisPresence(redis, prefix);
    // A process with its own connection, which it loses (as a crash would): no goodbye, no beats.
    const crashingRedis = new Redis(TEST_REDIS_URL);
    const crashing = redisPresence(crashingRedis, prefix, { ttlMs: 400 });
    await closing.enter(conferenceId, entry(1));
    await crashing.enter(conferenceId, entry(2));
    const present = async () => (await steady.enter(conferenceId, entry(3))).map((e) => e.userId).sort();
    expect(await present()).toEqual(['u1', 'u2', 'u3']);

    await closing.close();
    expect(await present()).toEqual(['u2', 'u3']);

    crashingRedis.disconnect();
    // Still counted while its liveness key lasts, then dropped (and deleted from the hash).
    expect(await present()).toEqual(['u2', 'u3']);
    await new Promise((r) => setTimeout(r, 600));
    expect(await present()).toEqual(['u3']);
    expect(await redis.hkeys(`${prefix}:conference:${conferenceId}:presence`)).toHaveLength(1);

    await steady.leave(conferenceId, 's3');
    expect(await redis.hlen(`${prefix}:conference:${conferenceId}:presence`)).toBe(0);
    await steady.close();
    await crashing.close().catch(() => undefined);
  });
});
