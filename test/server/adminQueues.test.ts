import { Queue, Worker } from 'bullmq';
import { closeRedis } from '../../server/redis';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { bullPrefix, QUEUE_NAMES } from '../../workers/queues';
import { TEST_REDIS_URL } from '../helpers/redis';
import { heartbeatKey } from '../../workers/processors/heartbeat';

let app: TestApp;
let queue: Queue;
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

beforeAll(async () => {
  app = await startTestApp('adminq');
  queue = new Queue(QUEUE_NAMES.system, { connection, prefix: bullPrefix(app.config.redisPrefix) });
});
afterAll(async () => {
  await queue.close();
  await closeRedis(connection);
  await app.close();
});

/** A job that fails its only attempt on a real worker, as when retries run out. */
async function failedJob(): Promise<string> {
  const worker = new Worker(QUEUE_NAMES.system, async () => {
    throw new Error('downstream unavailable');
  }, { connection, prefix: bullPrefix(app.config.redisPrefix) });
  const job = await queue.add('heartbeat', { ref: 'id-only' }, { attempts: 1 });
  for (let i = 0; i < 100 && !(await job.isFailed()); i++) await new Promise((r) => setTimeout(r, 50));
  await worker.close();
  return job.id!;
}

describe('/api/admin/queues (system admins)', () => {
  it('lists queue counts and worker heartbeats', async () => {
    await connection.hset(heartbeatKey(app.config.redisPrefix), 'pid:42', String(Date.now()));
    const admin = await app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
    const res = await admin.get('/api/admin/queues');
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name)).toContain('system');
    expect(res.body.workers).toEqual([{ id: 'pid:42', lastSeenAt: expect.any(String) }]);
  });

  it('shows a failed job and retries it', async () => {
    const id = await failedJob();
    const admin = await app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
    const list = await admin.get('/api/admin/queues/system/failed');
    expect(list.status).toBe(200);
    const entry = list.body.jobs.find((j: { id: string }) => j.id === id);
    expect(entry).toMatchObject({ name: 'heartbeat', data: { ref: 'id-only' }, failedReason: 'downstream unavailable' });
    const retry = await admin.post(`/api/admin/queues/system/jobs/${id}/retry`);
    expect(retry.status).toBe(202);
    expect(await (await queue.getJob(id))!.isFailed()).toBe(false);
    const again = await admin.post(`/api/admin/queues/system/jobs/${id}/retry`);
    expect(again.status).toBe(404);
  });

  it('refuses other roles with 403 and unknown queues with 400', async () => {
    const duty = await app.as(await buildUser({ roles: ['duty_manager'] }));
    expect((await duty.get('/api/admin/queues')).status).toBe(403);
    const admin = await app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
    const bad = await admin.get('/api/admin/queues/nope/failed');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^queue:/);
    const inj = await admin.post('/api/admin/queues/system/jobs/$gt/retry');
    expect(inj.status).toBe(400);
  });

  it('refuses anonymous callers with 401', async () => {
    expect((await app.anon().get('/api/admin/queues')).status).toBe(401);
  });
});
