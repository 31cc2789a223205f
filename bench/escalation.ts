/**
 * Escalation benchmark (`npm run bench:escalation`): 10,000 out-of-hours alerts waiting for
 * acknowledgement, each with a delayed BullMQ escalation job due at its deadline (deadlines spread
 * over SPREAD_S seconds, default 200: 50 a second), run through the real escalation processors and the embedded
 * store. Reports how late each escalation happened after its deadline (p50/p99; target p99 ≤ 1 s),
 * steps taken twice or never, and the Redis memory the pending jobs used. Ends with one key=value
 * summary line.
 */
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import '../server/store/connection';
import { startStoreProcess } from './storeProcess';
import { Agency } from '../server/models/Agency';
import { User } from '../server/models/User';
import { Alert, openKeyOf } from '../server/models/Alert';
import { RotaPattern } from '../server/models/RotaPattern';
import { startWorkers } from '../workers/runtime';
import { bullPrefix, DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from '../workers/queues';
import { escalationProcessors } from '../workers/processors/escalation';
import { ESCALATE_ALERT } from '../server/duty/router';
import { stepJobId, ladder } from '../server/duty/ladder';
import { domainConfig } from '../config/domain';
import { createLogger } from '../server/logger';
import { redisEmitter } from '../server/realtime/emitter';

const ALERTS = Number(process.env.ALERTS ?? 10_000);
const SPREAD_S = Number(process.env.SPREAD_S ?? 200);
const LEAD_S = Number(process.env.LEAD_S ?? 20);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ALL_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const prefix = `bench_esc_${process.pid}`;
  const store = await startStoreProcess();
  await mongoose.connect(`${store.uri}/bench_escalation`);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const redis = new Redis(REDIS_URL);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAMES.escalation, { connection, prefix: bullPrefix(prefix), defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const escalation = domainConfig().escalation;
  const step1 = ladder(escalation)[1];
  let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
  try {
    const agency = await Agency.create({ code: 'BENCHESC', name: 'Bench Agency', kind: 'police' });
    const users = await User.insertMany(
      ['dm', 'senior', 'director'].map((n) => ({ email: `${n}@bench.test`, name: n, agencyId: agency._id, roles: ['duty_manager'], passwordHash: 'x' })),
    );
    for (const [i, level] of escalation.levels.entries()) {
      await RotaPattern.create({ agencyId: agency._id, level: level.id, slots: [{ days: ALL_WEEK, start: '00:00', end: '00:00', userId: users[i]._id }] });
    }

    // The alerts, already routed to the level-1 duty manager, deadlines spread after a lead time.
    const start = Date.now() + LEAD_S * 1000;
    const docs = Array.from({ length: ALERTS }, (_, i) => {
      const personId = new Types.ObjectId();
      const deadline = new Date(start + Math.floor((i * SPREAD_S * 1000) / ALERTS));
      return {
        _id: new Types.ObjectId(),
        personId,
        ruleId: 'bench_rule',
        severity: 'high',
        status: 'open',
        openKey: openKeyOf(personId, 'bench_rule'),
        evidenceAgencyIds: [agency._id],
        sharingState: 'consented',
        audience: { mode: 'panel', agencyIds: [agency._id], roles: ['panel_member'] },
        routedTo: { mode: 'out_of_hours', agencyId: agency._id, userIds: [users[0]._id], level: 1 },
        ackDeadline: deadline,
        escalations: [],
        acknowledgedAt: null,
        timeline: [{ at: new Date(), kind: 'routed', detail: { mode: 'out_of_hours', level: 1 } }],
      };
    });
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 1000) await Alert.insertMany(docs.slice(i, i + 1000), { lean: true });
    const before = await usedMemory(redis);
    for (let i = 0; i < docs.length; i += 1000) {
      await queue.addBulk(
        docs.slice(i, i + 1000).map((d) => ({
          name: ESCALATE_ALERT,
          data: { alertId: String(d._id), step: 1 },
          opts: { jobId: stepJobId(String(d._id), step1), delay: Math.max(0, d.ackDeadline.getTime() - Date.now()) },
        })),
      );
    }
    const after = await usedMemory(redis);
    const setupS = (performance.now() - t0) / 1000;
    if (Date.now() > start) console.warn(`setup took ${setupS.toFixed(1)} s, past the lead time: raise LEAD_S`);

    workers = await startWorkers({
      registry: [{ queue: QUEUE_NAMES.escalation, concurrency: CONCURRENCY, processors: escalationProcessors({ settings: { publicUrl: 'https://bench.example' } }) }],
      connection,
      ctx: { redis, logger: createLogger(process.env.LOG_LEVEL ?? 'silent'), redisPrefix: prefix, realtime: redisEmitter(redis, prefix) },
    });

    // Wait for every deadline to pass, then for the queue to drain (or a minute more).
    const ids = docs.map((d) => d._id);
    const end = start + SPREAD_S * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (Date.now() < end) continue;
      const done = await Alert.countDocuments({ _id: mongoose.trusted({ $in: ids }), 'escalations.0': mongoose.trusted({ $exists: true }) });
      if (done === ALERTS || Date.now() > end + 60_000) break;
    }
    const alerts = await Alert.find({ _id: mongoose.trusted({ $in: ids }) }).select('ackDeadline escalations').lean();
    const lateness: number[] = [];
    let lost = 0;
    let twice = 0;
    const deadlineOf = new Map(docs.map((d) => [String(d._id), d.ackDeadline.getTime()]));
    for (const a of alerts) {
      const first = a.escalations?.[0];
      if (!first) {
        lost++;
        continue;
      }
      if ((a.escalations ?? []).length > 1) twice++;
      lateness.push(new Date(first.at).getTime() - (deadlineOf.get(String(a._id)) ?? 0));
    }
    lateness.sort((x, y) => x - y);
    const p50 = pct(lateness, 50);
    const p99 = pct(lateness, 99);
    const max = lateness[lateness.length - 1] ?? NaN;
    const early = lateness.filter((l) => l < -250).length;
    const memMb = (after - before) / 1024 / 1024;
    console.log(`${ALERTS} alerts, deadlines over ${SPREAD_S} s (${Math.round(ALERTS / SPREAD_S)}/s), concurrency ${CONCURRENCY}`);
    console.log(`lateness after deadline: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (target p99 <= 1000 ms); early ${early}`);
    console.log(`steps never taken ${lost}, taken twice ${twice}; Redis for ${ALERTS} pending escalation jobs: ${memMb.toFixed(1)} MB (${Math.round((after - before) / ALERTS)} B/job)`);
    console.log(
      `alerts=${ALERTS} spread_s=${SPREAD_S} concurrency=${CONCURRENCY} p50_ms=${p50} p99_ms=${p99} max_ms=${max} lost=${lost} twice=${twice} early=${early} redis_mb=${memMb.toFixed(1)} target_met=${p99 <= 1000 && lost === 0 && twice === 0}`,
    );
  } finally {
    await workers?.close(5000);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    redis.disconnect();
    await mongoose.disconnect();
    await store.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
