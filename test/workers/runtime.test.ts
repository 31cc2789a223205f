import { directContext } from '../helpers/workerContext';
import { spawn } from 'node:child_process';
import { closeRedis } from '../../server/redis';
import path from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { bullPrefix, DEFAULT_JOB_OPTIONS } from '../../workers/queues';
import { startWorkers } from '../../workers/runtime';
import { createLogger } from '../../server/logger';
import { heartbeat, heartbeatKey } from '../../workers/processors/heartbeat';
import { until } from '../helpers/until';

const prefix = uniquePrefix('runtime');
const redis = new Redis(TEST_REDIS_URL);
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  await closeRedis(connection);
  await closeRedis(redis);
  await cleanupPrefix(prefix);
});

describe('worker process shutdown', () => {
  it('lets an in-flight job finish on SIGTERM, then exits 0', async () => {
    const queueName = 'slow-shutdown';
    const queue = new Queue(queueName, { connection, prefix: bullPrefix(prefix) });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../fixtures/slowWorker.ts')], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, QUEUE: queueName, JOB_MS: '1500', GRACE_MS: '10000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(async () => out.includes('ready'), 20_000);
    const job = await queue.add('slow', { id: 'enc-1' });
    await until(async () => (await job.getState()) === 'active', 10_000);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('closed');
    const done = (await queue.getJob(job.id!)) as Job;
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toMatchObject({ finished: job.id, pid: child.pid });
    await queue.close();
  }, 40_000);
});

describe('failed jobs', () => {
  it('retries with backoff, then keeps the job in the failed list until retried', async () => {
    const queueName = 'flaky';
    const queue = new Queue(queueName, { connection, prefix: bullPrefix(prefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
    const events = new QueueEvents(queueName, { connection, prefix: bullPrefix(prefix) });
    let calls = 0;
    let healthy = false;
    const running = await startWorkers({
      registry: [
        {
          queue: queueName,
          concurrency: 1,
          processors: {
            flaky: async () => {
              calls++;
              if (!healthy) throw new Error('downstream unavailable');
              return 'ok';
            },
          },
        },
      ],
      connection,
      ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix },
    });
    const job = await queue.add('flaky', { id: 'x' }, { attempts: 3, backoff: { type: 'exponential', delay: 20 } });
    await until(async () => (await job.getState()) === 'failed', 10_000);
    expect(calls).toBe(3);
    const failed = await queue.getFailed();
    expect(failed.map((j) => j.id)).toContain(job.id);
    healthy = true;
    await (await queue.getJob(job.id!))!.retry('failed');
    await until(async () => (await job.getState()) === 'completed', 10_000);
    expect(calls).toBe(4);
    await running.close();
    await events.close();
    await queue.close();
  });

  it('fails a job with no registered processor without retrying it', async () => {
    const queueName = 'unknown-kind';
    const queue = new Queue(queueName, { connection, prefix: bullPrefix(prefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
    const running = await startWorkers({
      registry: [{ queue: queueName, concurrency: 1, processors: {} }],
      connection,
      ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix },
    });
    const job = await queue.add('mystery', {});
    await until(async () => (await job.getState()) === 'failed', 10_000);
    const stored = (await queue.getJob(job.id!))!;
    expect(stored.attemptsMade).toBe(1);
    expect(stored.failedReason).toMatch(/no processor for job "mystery"/);
    await running.close();
    await queue.close();
  });
});

describe('heartbeat processor', () => {
  it('records this process as alive', async () => {
    const before = Date.now();
    await heartbeat({} as Job, directContext({ redis, logger: createLogger('silent'), redisPrefix: prefix }));
    const beats = await redis.hgetall(heartbeatKey(prefix));
    expect(Number(beats[`pid:${process.pid}`])).toBeGreaterThanOrEqual(before);
  });
});
