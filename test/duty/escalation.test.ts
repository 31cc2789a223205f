import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import mongoose, { trusted } from 'mongoose';
import { Redis } from 'ioredis';
import '../../server/store/connection';
import { testDbUri } from '../helpers/db';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { directContext } from '../helpers/workerContext';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { routeAlert } from '../../server/duty/router';
import { cancelEscalations, escalateByHand, runEscalationStep } from '../../server/duty/escalation';
import { resolveDuty, type DutyOptions } from '../../server/duty/options';
import { startWorkers, type RunningWorkers } from '../../workers/runtime';
import { escalationProcessors } from '../../workers/processors/escalation';
import { QUEUE_NAMES } from '../../workers/queues';
import { buildDutyAlert, clockFrom, dutyScene, quickPolicy, recordingRealtime, until } from './helpers';

const prefix = uniquePrefix('duty_escalation');
const redis = new Redis(TEST_REDIS_URL);
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const realtime = recordingRealtime();
const ctx = directContext({ redis, logger: createLogger('silent'), redisPrefix: prefix, realtime });
/** Saturday 02:10 BST, running at real speed. */
const now = clockFrom('2026-06-13T01:10:00Z');
const DEADLINE_S = 1;
const options: DutyOptions = { now, escalation: quickPolicy(DEADLINE_S, 1), settings: { publicUrl: 'https://ccw.example.test' } };
const deps = { queue: ctx.queue, realtime, duty: resolveDuty(options) };
let workers: RunningWorkers;
let dbUri: string;

beforeAll(async () => {
  dbUri = testDbUri('duty_escalation');
  await mongoose.connect(dbUri);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  workers = await startWorkers({
    registry: [{ queue: QUEUE_NAMES.escalation, concurrency: 4, processors: escalationProcessors(options) }],
    connection,
    ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix, realtime },
  });
});
afterAll(async () => {
  await workers?.close(5000);
  await ctx.closeQueues();
  await closeRedis(connection);
  await closeRedis(redis);
  await cleanupPrefix(prefix);
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const levelsOf = async (id: unknown) => (await Alert.findById(id).orFail()).escalations.map((e) => e.level);

describe('escalation at the deadline', () => {
  it('escalates an unacknowledged alert to level 2, then level 3, then round the ladder once more, and stops', async () => {
    const { agency, dm, senior, director } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    const routed = await routeAlert(deps, alert.id);
    expect(routed).toMatchObject({ outcome: 'out_of_hours', userIds: [dm.user.id] });

    const second = await until(async () => {
      const a = await Alert.findById(alert._id).orFail();
      return a.escalations.length >= 1 && a;
    }, 10_000, 'level 2');
    expect(second.escalations[0].level).toBe(2);
    expect(second.escalations[0].at.getTime()).toBeGreaterThanOrEqual(routed.outcome === 'out_of_hours' ? routed.deadline.getTime() - 250 : 0);
    expect(second.escalations[0].userIds.map(String)).toEqual([senior.user.id]);

    const third = await until(async () => {
      const a = await Alert.findById(alert._id).orFail();
      return a.escalations.length >= 2 && a;
    }, 10_000, 'level 3');
    expect(third.escalations[1].userIds.map(String)).toEqual([director.user.id]);

    await until(async () => (await levelsOf(alert._id)).length >= 5, 15_000, 'second round');
    await sleep(2 * DEADLINE_S * 1000);
    const final = await Alert.findById(alert._id).orFail();
    expect(final.escalations.map((e) => e.level)).toEqual([2, 3, 1, 2, 3]);
    expect(final.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(5);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, channel: 'in_app', reason: 'escalation:r0:senior_on_call' })).toBe(1);
    expect(realtime.events.filter((e) => e.room === `user:${senior.user.id}` && e.payload.id === alert.id)).toHaveLength(2);
  }, 40_000);

  it('does not escalate an alert acknowledged one second before its deadline', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    const slow = resolveDuty({ ...options, escalation: quickPolicy(2) });
    const routed = await routeAlert({ ...deps, duty: slow }, alert.id);
    if (routed.outcome !== 'out_of_hours') throw new Error('not routed');
    await until(async () => now().getTime() >= routed.deadline.getTime() - 1000, 5000, 'one second before');
    await Alert.updateOne({ _id: alert._id, status: 'open' }, { $set: { status: 'acknowledged', acknowledgedBy: dm.user._id, acknowledgedAt: now() } });
    await cancelEscalations(ctx.queue, alert.id, options);
    expect(await ctx.queue(QUEUE_NAMES.escalation).getJob(`escalate-${alert.id}-r0-senior_on_call`)).toBeUndefined();
    await sleep(2000);
    expect(await levelsOf(alert._id)).toEqual([]);
  }, 20_000);

  it('does not escalate an acknowledged alert even when nobody cancelled its step', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    await routeAlert(deps, alert.id);
    await Alert.updateOne({ _id: alert._id }, { $set: { status: 'acknowledged', acknowledgedBy: dm.user._id, acknowledgedAt: now() } });
    await until(async () => (await ctx.queue(QUEUE_NAMES.escalation).getJob(`escalate-${alert.id}-r0-senior_on_call`))?.finishedOn, 10_000, 'step ran');
    expect(await levelsOf(alert._id)).toEqual([]);
  });

  it('takes each step once when the same step runs several times at once, or a manager escalates by hand at the same moment', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    // Routed an hour ago, so its step is overdue; the job is never left for the worker.
    const past = resolveDuty({ ...options, now: () => new Date(now().getTime() - 3_600_000) });
    await routeAlert({ ...deps, duty: past }, alert.id);
    const q = ctx.queue(QUEUE_NAMES.escalation);
    await q.remove(`escalate-${alert.id}-r0-senior_on_call`);
    const job = await q.add('escalateAlert', { alertId: alert.id, step: 1 }, { jobId: `probe-${alert.id}`, delay: 3_600_000 });
    const fresh = await Alert.findById(alert._id).orFail();
    const results = await Promise.all([
      runEscalationStep(deps, job),
      runEscalationStep(deps, job),
      runEscalationStep(deps, job),
      escalateByHand(deps, fresh, dm.user).then(() => ({ outcome: 'escalated' as const }), () => ({ outcome: 'skipped' as const })),
    ]);
    expect(results.filter((r) => r.outcome === 'escalated')).toHaveLength(1);
    expect(await levelsOf(alert._id)).toEqual([2]);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, reason: 'escalation:r0:senior_on_call' })).toBe(1);
    await job.remove();
  });
});

describe('two worker processes', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('never escalate a step twice', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/escalationWorker.ts')], {
      env: {
        ...process.env,
        MONGO_URI: dbUri,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        CLOCK_OFFSET_MS: String(now().getTime() - Date.now()),
        DEADLINE_SECONDS: String(DEADLINE_S),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child?.on('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
    const { agency } = await dutyScene();
    const alerts = await Promise.all(Array.from({ length: 20 }, () => buildDutyAlert(agency)));
    await Promise.all(alerts.map((a) => routeAlert(deps, a.id)));
    const ids = trusted({ $in: alerts.map((a) => a._id) });
    await until(async () => (await Alert.countDocuments({ _id: ids, escalations: trusted({ $size: 5 }) })) === 20, 30_000, 'all escalated');
    await sleep(2 * DEADLINE_S * 1000);
    for (const a of await Alert.find({ _id: ids })) {
      expect(a.escalations.map((e) => e.level)).toEqual([2, 3, 1, 2, 3]);
      expect(a.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(5);
    }
    const rows = await AlertDelivery.find({ alertId: ids, channel: 'in_app' });
    expect(rows).toHaveLength(20 * 6);
    // Both processes took part.
    expect(Number(await redis.get(`${prefix}:child-jobs`))).toBeGreaterThan(0);
    expect(Number(await redis.get(`${prefix}:child-jobs`))).toBeLessThan(20 * 5);
  }, 60_000);
});

describe('acknowledged with nothing done since', () => {
  it('re-notifies whoever acknowledged, at each interval, at most three times', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    await routeAlert(deps, alert.id);
    await Alert.updateOne({ _id: alert._id }, { $set: { status: 'acknowledged', acknowledgedBy: dm.user._id, acknowledgedAt: now() } });
    await cancelEscalations(ctx.queue, alert.id, options);
    await until(async () => (await Alert.findById(alert._id).orFail()).timeline.filter((e) => e.kind === 're_notified').length >= 3, 10_000, 'three reminders');
    await sleep(1500);
    const after = await Alert.findById(alert._id).orFail();
    expect(after.timeline.filter((e) => e.kind === 're_notified').map((e) => (e.detail as { n: number }).n)).toEqual([1, 2, 3]);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, recipient: dm.user.id, channel: 'in_app', reason: /^re_notify:/ })).toBe(3);
  }, 20_000);

  it('stays quiet once someone has added a note', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    await routeAlert(deps, alert.id);
    const ackAt = now();
    await Alert.updateOne(
      { _id: alert._id },
      { $set: { status: 'acknowledged', acknowledgedBy: dm.user._id, acknowledgedAt: ackAt }, $push: { timeline: { at: new Date(ackAt.getTime() + 100), kind: 'note', text: 'Called the crisis team.' } } },
    );
    await cancelEscalations(ctx.queue, alert.id, options);
    await sleep(2500);
    expect((await Alert.findById(alert._id).orFail()).timeline.filter((e) => e.kind === 're_notified')).toHaveLength(0);
  });
});
