/**
 * Message sequence numbers come from a counter in Redis, seeded from the database. Whatever
 * happens to the counter (lost in a Redis restart, or left behind the stored messages), the room
 * keeps one gap-free, duplicate-free sequence.
 */
import { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildConferenceScene, liveConference, RoomClient } from './helpers';
import { ConferenceMessage } from '../../server/models/ConferenceMessage';

let app: TestApp;
const clients: RoomClient[] = [];

beforeAll(async () => {
  app = await startTestApp('conf_sequence');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await app.close();
});

async function room() {
  const s = await buildConferenceScene();
  const id = await liveConference(await app.as(s.chair), s.personId, [s.trustMember]);
  const member = new RoomClient(app, (await app.as(s.trustMember)).cookie, id);
  clients.push(member);
  expect(await member.connect()).toEqual(expect.objectContaining({ ok: true }));
  return { id, member, key: `${app.config.redisPrefix}:conference:${id}:seq` };
}

const storedSeqs = async (id: string) => (await ConferenceMessage.find({ conferenceId: new Types.ObjectId(id) }).sort({ seq: 1 })).map((m) => m.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('conference sequence numbers', () => {
  it('numbers the start announcement and each message 1, 2, 3… with the counter in Redis', async () => {
    const { id, member, key } = await room();
    const acks = [];
    for (let i = 0; i < 4; i++) acks.push(await member.send(`m${i}`));
    expect(acks.map((a) => a.seq)).toEqual([2, 3, 4, 5]);
    expect(await storedSeqs(id)).toEqual(range(5));
    expect(await app.runtime.ctx.redis.get(key)).toBe('5');
    expect(await app.runtime.ctx.redis.ttl(key)).toBeGreaterThan(0);
  });

  it('carries on after the stored messages when Redis has lost the counter', async () => {
    const { id, member, key } = await room();
    for (let i = 0; i < 3; i++) await member.send(`before ${i}`);
    await app.runtime.ctx.redis.del(key);
    const ack = await member.send('after the loss');
    expect(ack).toEqual(expect.objectContaining({ ok: true, seq: 5 }));
    expect(await storedSeqs(id)).toEqual(range(5));
  });

  it('skips past numbers already stored when the counter is behind the database', async () => {
    const { id, member, key } = await room();
    for (let i = 0; i < 5; i++) await member.send(`before ${i}`);
    await app.runtime.ctx.redis.set(key, '2'); // as if re-seeded while messages 3–6 were being stored
    const ack = await member.send('after the rewind');
    expect(ack).toEqual(expect.objectContaining({ ok: true, seq: 7 }));
    await expect(member.send('and the next')).resolves.toEqual(expect.objectContaining({ ok: true, seq: 8 }));
    expect(await storedSeqs(id)).toEqual(range(8));
    const log = member.log.list().map((m) => m.seq);
    expect(log).toEqual(range(8));
  });

  it('hands out each number once to many senders at the same time', async () => {
    const { id, member } = await room();
    const acks = await Promise.all(Array.from({ length: 15 }, (_, i) => member.send(`burst ${i}`)));
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(new Set(acks.map((a) => a.seq)).size).toBe(15);
    expect(await storedSeqs(id)).toEqual(range(16));
  });
});
