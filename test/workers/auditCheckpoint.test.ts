/**
 * The scheduled audit checkpoint: signs the verified tail into AUDIT_DIR, does nothing when there
 * is nothing new, refuses to sign a broken chain, and runs through a real worker. A tail deleted
 * after a checkpoint is then caught by verifyChain.
 */
import fs from 'node:fs';
import { closeRedis } from '../../server/redis';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { appendAudit, CHECKPOINT_FILE, PUBLIC_KEY_FILE, readCheckpoints, verifyChain } from '../../server/audit';
import { createLogger } from '../../server/logger';
import { parseConfig } from '../../config/env';
import { auditCheckpoint } from '../../workers/processors/auditCheckpoint';
import { REGISTRY, SCHEDULES } from '../../workers/registry';
import { startWorkers } from '../../workers/runtime';
import { bullPrefix, QUEUE_NAMES } from '../../workers/queues';
import type { WorkerContext } from '../../workers/context';
import { directContext } from '../helpers/workerContext';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { clearLog, rawEvents, readEvent, useAuditDb } from '../audit/helpers';

useAuditDb('audit_checkpoint_job');

const prefix = uniquePrefix('auditcp');
const redis = new Redis(TEST_REDIS_URL);
const logger = createLogger('silent');
let dir: string;
const ctx = (over: Partial<WorkerContext> = {}): WorkerContext => ({ ...directContext({ redis, logger, redisPrefix: prefix, auditDir: dir }), ...over });
const job = {} as Job;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cp-job-'));
  await clearLog();
  for (let i = 1; i <= 12; i++) await appendAudit(readEvent(i));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(async () => {
  await closeRedis(redis);
  await cleanupPrefix(prefix);
});

const verifyWithCheckpoints = async () =>
  verifyChain({ checkpoints: await readCheckpoints(dir), publicKeyPem: fs.readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8') });

describe('auditCheckpoint processor', () => {
  it('writes a verifiable checkpoint, after which a deleted tail is detected', async () => {
    expect(await auditCheckpoint(job, ctx())).toMatchObject({ seq: 12 });
    const cps = await readCheckpoints(dir);
    expect(cps).toHaveLength(1);
    expect(cps[0]).toMatchObject({ seq: 12, alg: 'Ed25519' });
    expect(await verifyWithCheckpoints()).toMatchObject({ ok: true, checkpoints: 1, lastSeq: 12 });

    await rawEvents().deleteMany({ seq: { $gte: 11 } });
    expect((await verifyChain()).ok).toBe(true); // the chain alone cannot see a clean truncation
    const r = await verifyWithCheckpoints();
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq: 11, problem: 'truncated' });
  });

  it('is idempotent: nothing new, nothing written; new events, a new line', async () => {
    await auditCheckpoint(job, ctx());
    expect(await auditCheckpoint(job, ctx())).toEqual({ seq: null });
    expect(fs.readFileSync(path.join(dir, CHECKPOINT_FILE), 'utf8').trim().split('\n')).toHaveLength(1);
    await appendAudit(readEvent(13));
    expect(await auditCheckpoint(job, ctx())).toMatchObject({ seq: 13 });
    expect((await readCheckpoints(dir)).map((c) => c.seq)).toEqual([12, 13]);
  });

  it('refuses to sign over a broken chain, permanently', async () => {
    await rawEvents().updateOne({ seq: 5 }, { $set: { reason: 'edited' } });
    await expect(auditCheckpoint(job, ctx())).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await readCheckpoints(dir)).toEqual([]);
  });

  it('skips without an audit folder', async () => {
    expect(await auditCheckpoint(job, ctx({ auditDir: undefined }))).toEqual({ skipped: 'no_audit_dir' });
  });
});

describe('auditCheckpoint on the system queue', () => {
  it('is registered, scheduled every 5 minutes, and runs through a real worker', async () => {
    expect(REGISTRY.find((r) => r.queue === QUEUE_NAMES.system)!.processors.auditCheckpoint).toBe(auditCheckpoint);
    const schedule = SCHEDULES.filter((s) => s.name === 'auditCheckpoint');
    expect(schedule).toEqual([{ queue: QUEUE_NAMES.system, id: 'auditCheckpoint', everyMs: 300_000, name: 'auditCheckpoint' }]);

    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const running = await startWorkers({ registry: REGISTRY.filter((r) => r.queue === QUEUE_NAMES.system), schedules: schedule, connection, ctx: ctx() });
    const queue = new Queue(QUEUE_NAMES.system, { connection, prefix: bullPrefix(prefix) });
    const eventsConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const events = new QueueEvents(QUEUE_NAMES.system, { connection: eventsConnection, prefix: bullPrefix(prefix) });
    try {
      expect(await queue.getJobScheduler('auditCheckpoint')).toMatchObject({ every: 300_000, name: 'auditCheckpoint' });
      await events.waitUntilReady();
      const added = await queue.add('auditCheckpoint', {});
      await added.waitUntilFinished(events, 15_000);
      expect((await readCheckpoints(dir)).at(-1)).toMatchObject({ seq: 12 });
      expect(await verifyWithCheckpoints()).toMatchObject({ ok: true });
    } finally {
      await running.close(5000);
      await queue.close();
      await events.close();
      await closeRedis(eventsConnection);
      await closeRedis(connection);
    }
  });
});

describe('AUDIT_DIR', () => {
  it('defaults to <DATA_DIR>/audit and can be set', () => {
    expect(parseConfig({ DATA_DIR: '/srv/ccw' }).auditDir).toBe('/srv/ccw/audit');
    expect(parseConfig({ DATA_DIR: '/srv/ccw', AUDIT_DIR: '/mnt/worm/audit' }).auditDir).toBe('/mnt/worm/audit');
  });
});
