import type { Job } from 'bullmq';
import { closeRedis } from '../../server/redis';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../server/models/User';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { Consent } from '../../server/models/Consent';
import { Task } from '../../server/models/Task';
import { consentExpiry } from '../../workers/processors/consentExpiry';
import { directContext } from '../helpers/workerContext';
import { redisEmitter } from '../../server/realtime/emitter';
import { createLogger } from '../../server/logger';
import { TEST_REDIS_URL } from '../helpers/redis';

let app: TestApp;
const redis = new Redis(TEST_REDIS_URL);
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp('tasks');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await closeRedis(redis);
  await app.close();
});

const DAY = 86_400_000;

async function consentFor(personId: Types.ObjectId | null | undefined, recordedBy: UserDoc, expiresInDays: number, recordedDaysAgo = 100) {
  if (!personId) throw new Error('encounter was not linked');
  return Consent.create({
    personId,
    status: 'given',
    scope: { allPanel: true, purposes: ['direct_care'], categories: ['risk'] },
    evidence: 'Signed form',
    recordedBy: recordedBy._id,
    recordedByAgency: recordedBy.agencyId,
    recordedAt: new Date(Date.now() - recordedDaysAgo * DAY),
    expiresAt: new Date(Date.now() + expiresInDays * DAY),
  });
}

function runExpiry() {
  return consentExpiry({} as Job, directContext({ redis, logger: createLogger('silent'), redisPrefix: app.config.redisPrefix, realtime: redisEmitter(redis, app.config.redisPrefix) }));
}

describe('consent expiry reminders', () => {
  it('raises one task for the key worker before consent expires, tells their socket, and not twice', async () => {
    const scene = await buildScene();
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    const enc = await buildEncounter(scene.trust, { givenName: 'Ellis', familyName: 'Expiring', dateOfBirth: '1980-05-05' });
    const soon = await consentFor(enc.personId, kw.user, 10);
    const session = await app.as(kw);
    const socket = connect(app.baseUrl, { transports: ['websocket'], extraHeaders: { Cookie: session.cookie, Origin: app.baseUrl }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const hint = new Promise<{ id: string }>((resolve) => socket.once('task:created', resolve));

    const first = (await runExpiry()) as { raised: number };
    expect(first.raised).toBeGreaterThanOrEqual(1);
    const task = await Task.findOne({ dedupeKey: `consent_expiring:${soon.id}` });
    expect(task).not.toBeNull();
    expect(String(task!.assigneeUserId)).toBe(kw.user.id);
    await expect(hint).resolves.toEqual({ id: task!.id });

    await runExpiry();
    expect(await Task.countDocuments({ dedupeKey: `consent_expiring:${soon.id}` })).toBe(1);

    const list = await session.get('/api/tasks');
    expect(list.body.tasks.map((t: { id: string }) => t.id)).toContain(task!.id);
    const closed = await session.post(`/api/tasks/${task!.id}/close`, { outcome: 'done' });
    expect(closed.status).toBe(200);
    expect(closed.body.task.status).toBe('done');
    expect((await session.post(`/api/tasks/${task!.id}/close`, {})).status).toBe(404);
  });

  it('ignores consents far from expiry and consents superseded by a later entry', async () => {
    const scene = await buildScene();
    const kw = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    const a = await buildEncounter(scene.trust, { givenName: 'Far', familyName: 'Away', dateOfBirth: '1981-01-01' });
    const b = await buildEncounter(scene.trust, { givenName: 'Super', familyName: 'Seded', dateOfBirth: '1982-02-02' });
    const far = await consentFor(a.personId, kw.user, 60);
    const old = await consentFor(b.personId, kw.user, 5, 200);
    await Consent.create({ personId: b.personId!, status: 'withdrawn', evidence: 'Phoned', recordedBy: kw.user._id, recordedByAgency: kw.user.agencyId, recordedAt: new Date(Date.now() - DAY) });
    await runExpiry();
    expect(await Task.countDocuments({ dedupeKey: `consent_expiring:${far.id}` })).toBe(0);
    expect(await Task.countDocuments({ dedupeKey: `consent_expiring:${old.id}` })).toBe(0);
  });

  it('gives the task to the agency\'s key workers when the recorder is no longer one', async () => {
    const scene = await buildScene();
    const recorder = await buildUser({ roles: ['practitioner'], agency: scene.trust });
    const enc = await buildEncounter(scene.trust, { givenName: 'Role', familyName: 'Task', dateOfBirth: '1983-03-03' });
    const c = await consentFor(enc.personId, recorder.user, 3);
    await runExpiry();
    const task = await Task.findOne({ dedupeKey: `consent_expiring:${c.id}` });
    expect(task!.assigneeUserId).toBeNull();
    expect(task!.assigneeRole).toBe('key_worker');
    const otherKw = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    expect((await otherKw.get('/api/tasks')).body.tasks.map((t: { id: string }) => t.id)).toContain(task!.id);
    const foreign = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.police }));
    expect((await foreign.get('/api/tasks')).body.tasks.map((t: { id: string }) => t.id)).not.toContain(task!.id);
    expect((await foreign.post(`/api/tasks/${task!.id}/close`, {})).status).toBe(404);
  });
});
