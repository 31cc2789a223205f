/**
 * Alert latency benchmark (`npm run bench:alerts`): encounters arrive through the ingest API at a
 * steady rate, each completing a pattern that fires a rule (a person already known to two
 * agencies gets a third agency's record). Measures the time from the ingest request being
 * acknowledged to the alert's `alert:new` hint reaching a signed-in panel member's socket, through
 * the real pipeline: the link job (which then evaluates the person, writes the alert, sends its
 * notification round and routes it) → Socket.io (Redis emitter/adapter).
 * The embedded store runs in its own process (or MONGODB_URI names a real MongoDB). The workers
 * run in this process beside the HTTP server, as the one-process `npm start` does;
 * `--separate-workers` runs them as production does (`npm run start:workers`), in a process of
 * their own, schedules included.
 * Options: --rate N (ingests per second, default 100), --count N (default 1000), --warmup N (default
 * 300: ingests of other people sent first at the same rate and not measured, so the figures are
 * those of running processes rather than of code meeting its first jobs), --separate-workers.
 * Also prints the pipeline's throughput (alerts delivered per second from the first ingest to the
 * last delivery): below the ingest rate, the pipeline is saturated and latency only grows; and the
 * CPU time an ingest costs across this process, the store, the workers process and Redis
 * (`cpu_ms_per_ingest`), which compares runs on a busy machine better than throughput does.
 * Ends with one key=value summary line; `hours=in|out` says whether the alerts were routed in or
 * out of business hours (out of hours they also go to the on-call duty manager, which costs more),
 * so runs at different times of day can be compared.
 */
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import '../server/store/connection';
import { processCpuMs, startBenchProcess, startStoreProcess } from './storeProcess';
import { parseConfig } from '../config/env';
import { createLogger } from '../server/logger';
import { startHttp } from '../server/boot';
import { startWorkers } from '../workers/runtime';
import { REGISTRY } from '../workers/registry';
import { redisEmitter } from '../server/realtime/emitter';
import { Agency } from '../server/models/Agency';
import { User } from '../server/models/User';
import { ApiClient } from '../server/models/ApiClient';
import { SharingAgreement } from '../server/models/SharingAgreement';
import { Consent } from '../server/models/Consent';
import { Alert } from '../server/models/Alert';
import { OnCallShift } from '../server/models/OnCallShift';
import { hashPassword } from '../server/auth/passwords';
import { newApiKey } from '../server/auth/apiKeys';
import { recordEncounter } from '../server/commands/encounterRecorder';
import { linkEncounter } from '../server/linkage/linkEncounter';
import { cleanupPrefix } from '../test/helpers/redis';
import { isOutOfHours } from '../server/commands/hours';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const GIVEN = ['Amara', 'Ben', 'Chloe', 'Dev', 'Esme', 'Finn', 'Grace', 'Hari', 'Isla', 'Jon'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'ten', 'vor', 'sha', 'dri', 'pel', 'quo', 'zan', 'bex', 'hul', 'nim', 'gos', 'fay', 'wix', 'jor', 'cuz', 'yel'];
/**
 * A distinct synthetic subject per index: family names built from syllables picked by a mixing
 * of the index (no long shared prefix, so no two look alike to the name comparator) and dates of
 * birth far apart, so nobody links to anybody else by accident.
 */
function subject(i: number) {
  const mix = (Math.imul(i + 1, 2654435761) >>> 0) % 160_000;
  const family = [mix % 20, Math.floor(mix / 20) % 20, Math.floor(mix / 400) % 20, Math.floor(mix / 8000) % 20].map((k) => SYLLABLES[k]).join('');
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const year = 1950 + (Math.floor(i / 336) % 50);
  return {
    givenName: GIVEN[i % GIVEN.length],
    familyName: family.charAt(0).toUpperCase() + family.slice(1),
    dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const first = await fetch(`${baseUrl}/api/auth/session`);
  const cookie0 = (first.headers.getSetCookie()[0] ?? '').split(';')[0];
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, Cookie: cookie0, Origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return (res.headers.getSetCookie().find((c) => c.includes('ccw.sid=')) ?? '').split(';')[0];
}

/**
 * CPU time used so far (ms) by this process, the store and workers processes (when they are
 * children of this one) and Redis; the difference over the run, per ingest, says what an ingest
 * costs whatever the machine's load, which throughput on a shared machine does not.
 */
async function cpuNow(storePid: number | undefined, workersPid: number | undefined, redis: Redis) {
  const own = process.cpuUsage();
  const app = (own.user + own.system) / 1000;
  const store = storePid ? processCpuMs(storePid) : 0;
  const workers = workersPid ? processCpuMs(workersPid) : 0;
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
  const redisMs = (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000;
  return { app, store, workers, redis: redisMs, total: app + store + workers + redisMs };
}

async function main(): Promise<void> {
  const rate = arg('rate', 100);
  const count = arg('count', 1000);
  const warmup = arg('warmup', 300);
  const inline = !process.argv.includes('--separate-workers');
  const prefix = `bench_alerts_${process.pid}`;
  const store = await startStoreProcess();
  const db = `bench_alerts_${process.pid}`;
  await mongoose.connect(`${store.uri}/${db}`);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const config = parseConfig({ NODE_ENV: 'production', PORT: '0', REDIS_URL, REDIS_PREFIX: prefix, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret!', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1' });
  const logger = createLogger(process.env.BENCH_LOG_LEVEL === 'error' ? 'error' : 'silent');
  const runtime = await startHttp(config, logger);
  const baseUrl = `http://127.0.0.1:${runtime.port}`;
  config.allowedOrigins.push(baseUrl);
  const workerRedis = new Redis(REDIS_URL);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const workers: { close(): Promise<void>; pid?: number } = inline
    ? await startWorkers({ registry: REGISTRY, connection, ctx: { redis: workerRedis, logger, redisPrefix: prefix, realtime: redisEmitter(workerRedis, prefix) } }).then((w) => ({ close: () => w.close(5000) }))
    : await startBenchProcess(['workers/index.ts'], /workers started/, { LOG_LEVEL: 'info', NODE_ENV: 'production', MONGODB_URI: store.uri, MONGODB_DB: db, REDIS_URL, REDIS_PREFIX: prefix, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret!', PUBLIC_URL: 'http://127.0.0.1' }).then((p) => ({ close: p.stop, pid: p.pid }));
  process.stderr.write(`workers ${inline ? 'in this process' : 'in their own process'}\n`);
  try {
    const police = await Agency.create({ code: 'BPOL', name: 'Bench Police', kind: 'police' });
    const trust = await Agency.create({ code: 'BMHT', name: 'Bench Trust', kind: 'mental_health' });
    const ae = await Agency.create({ code: 'BAE', name: 'Bench A&E', kind: 'acute' });
    await SharingAgreement.create({
      title: 'Bench agreement',
      parties: [police._id, trust._id, ae._id],
      purposes: ['direct_care', 'risk_panel'],
      categories: ['demographics', 'risk', 'mental_health', 'physical_health', 'criminal_justice'],
      lawfulBasis: { article6: '6(1)(e)', article9: '9(2)(h)' },
      validFrom: new Date(Date.now() - 86_400_000),
      status: 'active',
    });
    const password = 'bench-password-1234';
    const member = await User.create({ email: 'panel@bench.test', name: 'Bench Panel', agencyId: police._id, roles: ['panel_member'], passwordHash: await hashPassword(password) });
    // A&E has a duty manager on call through the run, as a staffed rota does: out of hours the
    // alerts go to them too, and nothing escalates for want of anyone on call.
    const duty = await User.create({ email: 'duty@bench.test', name: 'Bench Duty', agencyId: ae._id, roles: ['duty_manager'], passwordHash: await hashPassword(password) });
    await OnCallShift.create({ agencyId: ae._id, level: 'duty_manager', userId: duty._id, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 86_400_000), source: 'override', createdBy: duty._id });
    const { key, keyId, keyHash } = newApiKey();
    await ApiClient.create({ agencyId: ae._id, name: 'Bench A&E system', keyId, keyHash, scopes: ['ingest'] });

    // Everyone is already known to police and the trust, with consent for risk panels.
    process.stderr.write(`preparing ${warmup + count} people known to two agencies…\n`);
    const day = 86_400_000;
    for (let i = 0; i < warmup + count; i++) {
      for (const [agency, kind] of [[police, 'police_report'], [trust, 'assessment']] as const) {
        const { encounter } = await recordEncounter({
          agencyId: agency._id as Types.ObjectId,
          source: 'user',
          createdBy: {},
          input: { externalRef: `P${i}-${agency.code}`, occurredAt: new Date(Date.now() - 2 * day), kind, subject: subject(i), riskIndicators: [], categories: ['demographics'], sensitive: {} },
        });
        const linked = await linkEncounter({ encounterId: encounter._id });
        if (agency === trust && linked.personId) {
          await Consent.create({
            personId: linked.personId,
            status: 'given',
            scope: { allPanel: true, purposes: ['risk_panel'], categories: ['demographics', 'risk'] },
            recordedBy: member._id,
            recordedByAgency: trust._id,
            recordedAt: new Date(Date.now() - day),
          });
        }
      }
    }

    const cookie = await signIn(baseUrl, member.email, password);
    const socket = connect(baseUrl, { transports: ['websocket'], extraHeaders: { Cookie: cookie, Origin: baseUrl }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const receivedAt = new Map<string, number>();
    socket.on('alert:new', (hint: { id: string }) => {
      if (!receivedAt.has(hint.id)) receivedAt.set(hint.id, performance.now());
    });

    const hours = isOutOfHours(new Date(), ae) ? 'out' : 'in';
    const ackedAt = new Map<string, number>();
    /** Ingests people [from, to) at the rate; resolves when all are acknowledged and their alerts arrived (or 30 s after). */
    const ingest = async (from: number, to: number) => {
      const started = performance.now();
      const sends: Promise<void>[] = [];
      for (let i = from; i < to; i++) {
        const due = started + ((i - from) * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sends.push(
          fetch(`${baseUrl}/api/ingest/encounters`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `ApiKey ${key}` },
            body: JSON.stringify({ externalRef: `AE-${i}`, occurredAt: new Date(Date.now() - day).toISOString(), kind: 'ae_attendance', subject: subject(i), categories: ['demographics', 'physical_health'] }),
          }).then(async (res) => {
            const at = performance.now();
            if (res.status !== 201) throw new Error(`ingest ${i} answered ${res.status}`);
            const body = (await res.json()) as { encounter: { id: string } };
            ackedAt.set(body.encounter.id, at);
          }),
        );
      }
      await Promise.all(sends);
      const sendSeconds = (performance.now() - started) / 1000;
      const deadline = performance.now() + 30_000;
      while (receivedAt.size < to && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return { started, sendSeconds };
    };
    if (warmup > 0) {
      process.stderr.write(`warming up: ${warmup} ingests at ${rate}/s, not measured…\n`);
      await ingest(0, warmup);
    }
    const warmAlerts = new Set(receivedAt.keys());
    ackedAt.clear();
    process.stderr.write(`ingesting ${count} encounters at ${rate}/s (${hours} of business hours)…\n`);
    const cpuBefore = await cpuNow(store.pid, workers.pid, workerRedis);
    const { started, sendSeconds } = await ingest(warmup, warmup + count);
    const cpuAfter = await cpuNow(store.pid, workers.pid, workerRedis);
    socket.close();
    const cpuPerIngest = (k: keyof typeof cpuAfter) => f((cpuAfter[k] - cpuBefore[k]) / count);

    // Map each alert back to the ingested encounter that completed its evidence.
    const alerts = (await Alert.find({ ruleId: 'multi_agency_30d' }, { evidence: 1 }).lean()).filter((a) => !warmAlerts.has(String(a._id)));
    const latencies: number[] = [];
    for (const a of alerts) {
      const got = receivedAt.get(String(a._id));
      const ingested = a.evidence.map((e) => ackedAt.get(String(e))).find((t) => t !== undefined);
      if (got !== undefined && ingested !== undefined) latencies.push(got - ingested);
    }
    latencies.sort((x, y) => x - y);
    const lost = count - latencies.length;
    const f = (x: number) => x.toFixed(1);
    const measured = [...receivedAt].filter(([id]) => !warmAlerts.has(id)).map(([, at]) => at);
    const lastDelivery = Math.max(...measured);
    const throughput = measured.length / ((lastDelivery - started) / 1000);
    console.log(`${count} ingests at ${rate}/s (sent in ${sendSeconds.toFixed(1)} s); ${alerts.length} alerts raised; ${latencies.length} reached the socket`);
    console.log(`ingest ack → socket: p50 ${f(percentile(latencies, 50))} ms, p95 ${f(percentile(latencies, 95))} ms, p99 ${f(percentile(latencies, 99))} ms, max ${f(latencies[latencies.length - 1] ?? NaN)} ms`);
    console.log(
      `CPU per ingest, from the first ingest to the last delivery: ${cpuPerIngest('total')} ms (this process ${cpuPerIngest('app')}, ` +
        `${inline ? '' : `workers ${cpuPerIngest('workers')}, `}store ${cpuPerIngest('store')}, Redis ${cpuPerIngest('redis')})`,
    );
    console.log(
      `ingests=${count} warmup=${warmup} rate_per_s=${rate} workers=${inline ? 'inline' : 'separate'} hours=${hours} alerts=${alerts.length} delivered=${latencies.length} lost=${lost} throughput_per_s=${f(throughput)} p50_ms=${f(percentile(latencies, 50))} p95_ms=${f(percentile(latencies, 95))} p99_ms=${f(percentile(latencies, 99))} cpu_ms_per_ingest=${cpuPerIngest('total')}`,
    );
  } finally {
    await workers.close();
    await connection.quit();
    await workerRedis.quit();
    await runtime.close();
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await store.stop();
    await cleanupPrefix(prefix);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
