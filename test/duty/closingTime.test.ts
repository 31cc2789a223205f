/**
 * Closing-time handover: an alert raised in hours and still unacknowledged when its agency closes
 * goes to the on-call duty manager then, with the out-of-hours deadline and escalation ladder.
 */
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { trusted } from 'mongoose';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import '../../server/store/connection';
import { TEST_REDIS_URL } from '../helpers/redis';
import { useWorkerEnv } from '../helpers/workerContext';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { domainConfig, type BusinessHoursConfig, type WeeklySchedule } from '../../config/domain';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { AuditEvent } from '../../server/models/AuditEvent';
import { acknowledgeAlert } from '../../server/alerts/lifecycle';
import { routeAlert } from '../../server/duty/router';
import { CLOSING_HANDOVER, closingJobId, nextClosing, runClosingHandover, type ClosingJobData } from '../../server/duty/closing';
import { resolveDuty, type DutyOptions } from '../../server/duty/options';
import { startWorkers, type RunningWorkers } from '../../workers/runtime';
import { escalationProcessors } from '../../workers/processors/escalation';
import { QUEUE_NAMES } from '../../workers/queues';
import { buildDutyAlert, clockFrom, dutyScene, fixedClock, quickPolicy, recordingRealtime, until } from './helpers';

const env = useWorkerEnv('duty_closing');
const { prefix, redis, ctx } = env;

const settings = { publicUrl: 'https://ccw.example.test' };
const d = (iso: string) => new Date(iso);
const queue = () => ctx.queue(QUEUE_NAMES.escalation);

/** Shipped business hours with a different default week (no per-kind exceptions). */
function withWeek(weekly: Partial<WeeklySchedule>, observesBankHolidays = true): BusinessHoursConfig {
  const base = domainConfig().businessHours;
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  return { ...base, default: { ...base.default, observesBankHolidays, weekly: { ...closed, ...weekly } }, agencyKinds: {}, agencies: {} };
}
const allDay = [{ start: '00:00', end: '24:00' }];
/** A service open round the clock on weekdays (closed at weekends and on bank holidays). */
const weekdaysRoundTheClock = withWeek({ mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay });
/** A weekend service: Saturday 09:00 to Sunday noon. */
const weekendService = withWeek({ sat: [{ start: '09:00', end: '24:00' }], sun: [{ start: '00:00', end: '12:00' }] });

function depsAt(iso: string, options: DutyOptions = {}) {
  const realtime = recordingRealtime();
  return { deps: { queue: ctx.queue, realtime, duty: resolveDuty({ now: fixedClock(iso), settings, ...options }) }, realtime };
}

/** The closing job routing left for an alert, asserting there is exactly one. */
async function closingJobOf(alertId: string): Promise<Job<ClosingJobData>> {
  const jobs = (await queue().getDelayed()).filter((j) => j.name === CLOSING_HANDOVER && (j.data as ClosingJobData).alertId === alertId);
  expect(jobs).toHaveLength(1);
  return jobs[0] as Job<ClosingJobData>;
}

describe('nextClosing: when an agency stops being in hours (Europe/London)', () => {
  const police = { kind: 'police' as const };
  it.each([
    ['a Wednesday at 17:30 BST', '2026-06-10T16:30:00Z', police, '2026-06-10T17:00:00.000Z'],
    ['a Wednesday at 17:30 GMT', '2026-01-14T17:30:00Z', police, '2026-01-14T18:00:00.000Z'],
    ['a GP practice at 18:00 BST (open until 18:30)', '2026-06-10T17:00:00Z', { kind: 'gp' as const }, '2026-06-10T17:30:00.000Z'],
    ['the Thursday before Good Friday at 17:30 BST', '2026-04-02T16:30:00Z', police, '2026-04-02T17:00:00.000Z'],
    ['the Friday before the clocks go forward at 17:30 GMT', '2026-03-27T17:30:00Z', police, '2026-03-27T18:00:00.000Z'],
    ['the Monday after the clocks go forward at 17:30 BST', '2026-03-30T16:30:00Z', police, '2026-03-30T17:00:00.000Z'],
    ['the Friday before the clocks go back at 17:30 BST', '2026-10-23T16:30:00Z', police, '2026-10-23T17:00:00.000Z'],
    ['the Monday after the clocks go back at 17:30 GMT', '2026-10-26T17:30:00Z', police, '2026-10-26T18:00:00.000Z'],
  ])('on %s → closes at %#', (_name, now, agency, closes) => {
    expect(nextClosing(d(now), agency)?.toISOString()).toBe(closes);
  });

  it('closes a round-the-clock weekday service at the midnight a bank holiday or the weekend begins', () => {
    const hours = { businessHours: weekdaysRoundTheClock };
    // Thursday 2 April 2026, 22:00 BST: Good Friday begins at 00:00 BST.
    expect(nextClosing(d('2026-04-02T21:00:00Z'), {}, hours)?.toISOString()).toBe('2026-04-02T23:00:00.000Z');
    // Tuesday 7 April, after Easter Monday: open until Saturday begins.
    expect(nextClosing(d('2026-04-07T10:00:00Z'), {}, hours)?.toISOString()).toBe('2026-04-10T23:00:00.000Z');
  });

  it('counts wall-clock hours across the night the clocks go forward (Sunday noon BST is 11:00 UTC)', () => {
    expect(nextClosing(d('2026-03-28T20:00:00Z'), {}, { businessHours: weekendService })?.toISOString()).toBe('2026-03-29T11:00:00.000Z');
    // And the night they go back: Sunday noon GMT is 12:00 UTC.
    expect(nextClosing(d('2026-10-24T20:00:00Z'), {}, { businessHours: weekendService })?.toISOString()).toBe('2026-10-25T12:00:00.000Z');
  });

  it('answers null for a service that never closes', () => {
    const always = withWeek({ mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, false);
    expect(nextClosing(d('2026-06-10T12:00:00Z'), {}, { businessHours: always })).toBeNull();
  });
});

describe('an alert raised in hours and unacknowledged at closing time', () => {
  it('goes at 18:00 to the level-1 duty manager on call, with the out-of-hours deadline, a timeline entry, an audit event, a notification and the first escalation step', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    // Wednesday 17:30 BST: in hours, so the panel has it and a handover waits for 18:00.
    expect(await routeAlert(depsAt('2026-06-10T16:30:00Z').deps, alert.id)).toEqual({ outcome: 'in_hours', outOfHours: false });
    const job = await closingJobOf(alert.id);
    expect(job.id).toBe(closingJobId(alert.id, d('2026-06-10T17:00:00Z')));
    expect(job.data).toEqual({ alertId: alert.id, closesAt: '2026-06-10T17:00:00.000Z' });
    expect(job.opts.delay).toBe(30 * 60_000);

    const { deps, realtime } = depsAt('2026-06-10T17:00:00Z');
    expect(await runClosingHandover(deps, job, routeAlert)).toEqual({ outcome: 'routed', userIds: [dm.user.id], deadline: d('2026-06-10T17:15:00Z') });

    const after = await Alert.findById(alert._id).orFail();
    expect(after.routedTo).toMatchObject({ mode: 'out_of_hours', level: 1 });
    expect(after.routedTo?.userIds.map(String)).toEqual([dm.user.id]);
    expect(after.ackDeadline?.toISOString()).toBe('2026-06-10T17:15:00.000Z');
    const routed = after.timeline.filter((e) => e.kind === 'routed');
    expect(routed.map((e) => (e.detail as { mode: string }).mode)).toEqual(['in_hours', 'out_of_hours']);
    expect(routed[1].detail).toMatchObject({ atClosing: true, level: 1 });
    expect(routed[1].at.toISOString()).toBe('2026-06-10T17:00:00.000Z');
    expect(await AuditEvent.countDocuments({ action: 'alert.route', 'subject.id': alert.id, reason: /at_closing/ })).toBe(1);
    expect(realtime.events).toContainEqual({ room: `user:${dm.user.id}`, event: 'alert:routed', payload: { id: alert.id, severity: 'high', reason: 'routed', deadline: '2026-06-10T17:15:00.000Z' } });
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, recipient: dm.user.id, channel: 'in_app', reason: 'routed' })).toBe(1);
    const step = await queue().getJob(`escalate-${alert.id}-r0-senior_on_call`);
    expect(step?.data).toEqual({ alertId: alert.id, step: 1 });
    expect(step?.opts.delay).toBe(15 * 60_000);
  });

  it('stays with the panel when acknowledged at 17:59', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'critical' });
    await routeAlert(depsAt('2026-06-10T16:30:00Z').deps, alert.id);
    const job = await closingJobOf(alert.id);
    await acknowledgeAlert(alert, dm.user, d('2026-06-10T16:59:00Z'));

    const { deps, realtime } = depsAt('2026-06-10T17:00:00Z');
    expect(await runClosingHandover(deps, job, routeAlert)).toEqual({ outcome: 'skipped', reason: 'not_open' });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.routedTo?.mode).toBe('in_hours');
    expect(after.ackDeadline).toBeNull();
    expect(after.timeline.filter((e) => e.kind === 'routed')).toHaveLength(1);
    expect(realtime.events).toHaveLength(0);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id })).toBe(0);
    expect(await queue().getJob(`escalate-${alert.id}-r0-senior_on_call`)).toBeUndefined();
  });

  it('leaves alone a low alert (never routed out of hours) and one already with the duty manager', async () => {
    const { agency } = await dutyScene();
    const low = await buildDutyAlert(agency, { severity: 'low' });
    await routeAlert(depsAt('2026-06-10T16:30:00Z').deps, low.id);
    expect((await queue().getDelayed()).some((j) => (j.data as ClosingJobData).alertId === low.id)).toBe(false);

    const high = await buildDutyAlert(agency, { severity: 'high' });
    await routeAlert(depsAt('2026-06-10T16:30:00Z').deps, high.id);
    const job = await closingJobOf(high.id);
    await routeAlert(depsAt('2026-06-10T17:00:00Z').deps, high.id); // the 18:00 re-route after a severity rise got there first
    expect(await runClosingHandover(depsAt('2026-06-10T17:00:00Z').deps, job, routeAlert)).toEqual({ outcome: 'skipped', reason: 'not_in_hours' });
    expect((await Alert.findById(high._id).orFail()).timeline.filter((e) => e.kind === 'routed')).toHaveLength(2);
  });

  it('on the last working day before a bank holiday, goes to the duty manager at 18:00 and stays there over the holiday', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'medium' });
    // Thursday 2 April 2026, 17:30 BST; Good Friday follows.
    await routeAlert(depsAt('2026-04-02T16:30:00Z').deps, alert.id);
    const job = await closingJobOf(alert.id);
    expect(job.data.closesAt).toBe('2026-04-02T17:00:00.000Z');
    expect(await runClosingHandover(depsAt('2026-04-02T17:00:00Z').deps, job, routeAlert)).toEqual({ outcome: 'routed', userIds: [dm.user.id], deadline: d('2026-04-02T18:00:00Z') });
    // Good Friday morning: the agency is closed, so routing again changes nothing and schedules no new closing.
    expect(await routeAlert(depsAt('2026-04-03T09:30:00Z').deps, alert.id)).toEqual({ outcome: 'skipped', reason: 'deadline_unchanged' });
    expect((await queue().getDelayed()).filter((j) => j.name === CLOSING_HANDOVER && (j.data as ClosingJobData).alertId === alert.id)).toHaveLength(1);
  });

  it('for a round-the-clock weekday service, goes to the duty manager at the midnight Good Friday begins', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    const hours = { hours: { businessHours: weekdaysRoundTheClock } };
    expect(await routeAlert(depsAt('2026-04-02T21:00:00Z', hours).deps, alert.id)).toEqual({ outcome: 'in_hours', outOfHours: false });
    const job = await closingJobOf(alert.id);
    expect(job.data.closesAt).toBe('2026-04-02T23:00:00.000Z');
    expect(await runClosingHandover(depsAt('2026-04-02T23:00:00Z', hours).deps, job, routeAlert)).toMatchObject({ outcome: 'routed', userIds: [dm.user.id] });
  });

  it('waits the wall-clock time to closing across the night the clocks go forward', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    const hours = { hours: { businessHours: weekendService } };
    // Saturday 28 March 2026, 20:00 GMT; the service closes at Sunday noon, which is BST.
    await routeAlert(depsAt('2026-03-28T20:00:00Z', hours).deps, alert.id);
    const job = await closingJobOf(alert.id);
    expect(job.data.closesAt).toBe('2026-03-29T11:00:00.000Z');
    expect(job.opts.delay).toBe(15 * 3_600_000);
    const result = await runClosingHandover(depsAt('2026-03-29T11:00:00Z', hours).deps, job, routeAlert);
    expect(result).toEqual({ outcome: 'routed', userIds: [dm.user.id], deadline: d('2026-03-29T11:15:00Z') });
  });

  it('schedules the next closing instead when the agency turns out to be open at the old one (its hours changed)', async () => {
    const { agency } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    await routeAlert(depsAt('2026-06-10T16:30:00Z').deps, alert.id);
    const job = await closingJobOf(alert.id);
    // The hours became round the clock on weekdays before 18:00 came.
    const hours = { hours: { businessHours: weekdaysRoundTheClock } };
    expect(await runClosingHandover(depsAt('2026-06-10T17:00:00Z', hours).deps, job, routeAlert)).toEqual({ outcome: 'skipped', reason: 'still_in_hours' });
    expect((await Alert.findById(alert._id).orFail()).routedTo?.mode).toBe('in_hours');
    // Friday 12 June ends at midnight BST.
    expect(await queue().getJob(closingJobId(alert.id, d('2026-06-12T23:00:00Z')))).toBeDefined();
  });

  it('routes once however often routing adds the job and however many times it runs at once', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency, { severity: 'high' });
    await Promise.all([routeAlert(depsAt('2026-06-10T16:30:00Z').deps, alert.id), routeAlert(depsAt('2026-06-10T16:45:00Z').deps, alert.id)]);
    const job = await closingJobOf(alert.id);
    const { deps, realtime } = depsAt('2026-06-10T17:00:00Z');
    const results = await Promise.all([runClosingHandover(deps, job, routeAlert), runClosingHandover(deps, job, routeAlert), runClosingHandover(deps, job, routeAlert)]);
    expect(results.filter((r) => r.outcome === 'routed')).toHaveLength(1);
    expect(await runClosingHandover(deps, job, routeAlert)).toEqual({ outcome: 'skipped', reason: 'not_in_hours' });
    const after = await Alert.findById(alert._id).orFail();
    expect(after.timeline.filter((e) => e.kind === 'routed' && (e.detail as { mode: string }).mode === 'out_of_hours')).toHaveLength(1);
    expect(realtime.events.filter((e) => e.event === 'alert:routed' && e.room === `user:${dm.user.id}`)).toHaveLength(1);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, channel: 'in_app' })).toBe(1);
  });
});

describe('through real workers', () => {
  let workers: RunningWorkers | undefined;
  let child: ChildProcess | undefined;
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await workers?.close(5000);
    await closeRedis(connection);
  });

  it('fires at closing time in two worker processes and routes each alert once, and never one acknowledged in time', async () => {
    // The workers' clock: two seconds before 18:00 BST on a Wednesday when they start, running at
    // real speed (so past 18:00 by the time jobs fire); deadlines of ten minutes, so nothing escalates.
    const now = clockFrom('2026-06-10T16:59:58Z');
    const DEADLINE_S = 600;
    const options: DutyOptions = { now, escalation: quickPolicy(DEADLINE_S), settings };
    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/escalationWorker.ts')], {
      env: { ...process.env, MONGO_URI: env.dbUri, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, CLOCK_OFFSET_MS: String(now().getTime() - Date.now()), DEADLINE_SECONDS: String(DEADLINE_S) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child?.on('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
    const realtime = recordingRealtime();
    workers = await startWorkers({
      registry: [{ queue: QUEUE_NAMES.escalation, concurrency: 4, processors: escalationProcessors(options) }],
      connection,
      ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix, realtime },
    });

    const { agency, dm } = await dutyScene();
    const alerts = await Promise.all(Array.from({ length: 8 }, () => buildDutyAlert(agency, { severity: 'high' })));
    const acknowledged = await buildDutyAlert(agency, { severity: 'high' });
    // Routing saw them at 17:59:57, so each handover is due three seconds from now.
    const routedAt = Date.parse('2026-06-10T16:59:57Z');
    const deps = { queue: ctx.queue, realtime, duty: resolveDuty({ ...options, now: () => new Date(routedAt) }) };
    for (const a of [...alerts, acknowledged]) expect(await routeAlert(deps, a.id)).toMatchObject({ outcome: 'in_hours' });
    // A second copy of each job (another id) makes both processes race to hand each alert over.
    for (const a of alerts) {
      const job = await closingJobOf(a.id);
      await queue().add(CLOSING_HANDOVER, job.data, { jobId: `copy-${a.id}`, delay: Date.parse(job.data.closesAt) - routedAt });
    }
    await acknowledgeAlert(acknowledged, dm.user, new Date(routedAt + 1000));

    const ids = trusted({ $in: alerts.map((a) => a._id) });
    await until(async () => (await Alert.countDocuments({ _id: ids, 'routedTo.mode': 'out_of_hours' })) === alerts.length, 20_000, 'all handed over');
    const ackJobId = closingJobId(acknowledged.id, d('2026-06-10T17:00:00Z'));
    await until(async () => (await queue().getJob(ackJobId))?.finishedOn, 10_000, 'the acknowledged alert\'s job ran');
    const jobIds = alerts.flatMap((a) => [closingJobId(a.id, d('2026-06-10T17:00:00Z')), `copy-${a.id}`]);
    await until(async () => (await Promise.all(jobIds.map((id) => queue().getJob(id)))).every((j) => j?.finishedOn), 10_000, 'every copy ran');
    for (const a of await Alert.find({ _id: ids })) {
      const outOfHours = a.timeline.filter((e) => e.kind === 'routed' && (e.detail as { mode: string }).mode === 'out_of_hours');
      expect(outOfHours).toHaveLength(1);
      expect(outOfHours[0].at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-06-10T17:00:00Z'));
      expect(a.routedTo?.userIds.map(String)).toEqual([dm.user.id]);
    }
    expect(await AlertDelivery.countDocuments({ alertId: ids, channel: 'in_app', reason: 'routed' })).toBe(alerts.length);
    const ack = await Alert.findById(acknowledged._id).orFail();
    expect(ack.routedTo?.mode).toBe('in_hours');
    expect((await queue().getJob(ackJobId))?.returnvalue).toEqual({ outcome: 'skipped', reason: 'not_open' });
    // Both processes took part.
    expect(Number(await redis.get(`${prefix}:child-jobs`))).toBeGreaterThan(0);

    // A job that fires early by the workers' clock (skew between hosts) waits for the closing time.
    const early = await buildDutyAlert(agency, { severity: 'high' });
    await routeAlert(deps, early.id);
    await queue().remove(closingJobId(early.id, d('2026-06-10T17:00:00Z')));
    const due = new Date(now().getTime() + 1500);
    await queue().add(CLOSING_HANDOVER, { alertId: early.id, closesAt: due.toISOString() } satisfies ClosingJobData, { jobId: `early-${early.id}` });
    const handed = await until(async () => {
      const a = await Alert.findById(early._id).orFail();
      return a.routedTo?.mode === 'out_of_hours' && a;
    }, 10_000, 'the early job handed over');
    expect(handed.timeline[handed.timeline.length - 1].at.getTime()).toBeGreaterThanOrEqual(due.getTime());
  }, 60_000);
});
