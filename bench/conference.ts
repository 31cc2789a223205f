/**
 * Conference room benchmark (`npm run bench:conference`): one room of 200 participants, half on
 * each of two server processes sharing Redis (the Socket.io Redis adapter carries the room across
 * them) and one embedded store process. Four participants send 20 messages a second between
 * them for BENCH_SECONDS (default 30) while participants keep dropping and reconnecting (each
 * rejoins with its last contiguous `seq`). A send whose ack times out is retried with the same
 * client id, as the room page does.
 *
 * Reports the full fan-out latency per message (from send until the last participant connected
 * throughout has it live: p50/p99; target p99 ≤ 25 ms), per-delivery latency, and, against the
 * stored messages, messages lost (a participant's final list misses a seq) and duplicated (one
 * send stored twice, or a seq shown twice): target 0/0. Ends with one `key=value` summary line.
 *
 * The same file is the server process when started with `--serve` (login limits raised, since
 * 200 participants sign in from one address).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import mongoose, { Types } from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { parseConfig } from '../config/env';
import { createLogger } from '../server/logger';
import { startHttp } from '../server/boot';
import { DEFAULT_AUTH_LIMITS } from '../server/context';
import { Agency } from '../server/models/Agency';
import { User } from '../server/models/User';
import { Person } from '../server/models/Person';
import { Consent } from '../server/models/Consent';
import { SharingAgreement } from '../server/models/SharingAgreement';
import { Conference } from '../server/models/Conference';
import { ConferenceMessage } from '../server/models/ConferenceMessage';
import { hashPassword } from '../server/auth/passwords';
import { Redis } from 'ioredis';
import { MessageLog } from '../client/src/conferences/messageLog';
import { cleanupPrefix } from '../test/helpers/redis';
import '../server/store/connection';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SENDERS = 4;
/** Participants dropped per churn tick, and the tick. */
const CHURN_PER_TICK = 2;
const CHURN_EVERY_MS = 500;
const ACK_TIMEOUT_MS = 5000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'benchmark password not for production';
const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

// ---------------------------------------------------------------- server process (--serve)

async function serve(): Promise<void> {
  const config = parseConfig({ ...process.env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn' });
  const logger = createLogger('warn', process.stderr as never);
  await mongoose.connect(process.env.MONGODB_URI as string);
  const http = await startHttp(config, logger, { limits: { ...DEFAULT_AUTH_LIMITS, loginsPerIp: 1_000_000, loginsPerEmail: 1000 } });
  config.allowedOrigins.push(`http://127.0.0.1:${http.port}`);
  process.stdout.write(`READY ${http.port}\n`);
  process.on('SIGTERM', () => {
    void http.close().then(() => mongoose.disconnect()).then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- load generator

function child(args: string[], env: Record<string, string>): { proc: ChildProcess; line: (match: RegExp) => Promise<string> } {
  const proc = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = readline.createInterface({ input: proc.stdout! });
  const waiting: { match: RegExp; resolve: (l: string) => void }[] = [];
  rl.on('line', (l) => {
    const i = waiting.findIndex((w) => w.match.test(l));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(l);
  });
  return { proc, line: (match) => new Promise((resolve) => waiting.push({ match, resolve })) };
}

async function seed(n: number) {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const police = await Agency.create({ code: `BP${tag}`, name: 'Police', kind: 'police' });
  const trust = await Agency.create({ code: `BT${tag}`, name: 'Mental Health Trust', kind: 'mental_health' });
  await SharingAgreement.create({
    title: 'Benchmark agreement',
    parties: [police._id, trust._id],
    purposes: ['risk_panel'],
    categories: ['risk'],
    lawfulBasis: { article6: '6(1)(e) public task' },
    validFrom: new Date(Date.now() - 86_400_000),
    status: 'active',
  });
  const person = await Person.create({ agencyIds: [police._id, trust._id] });
  const passwordHash = await hashPassword(PASSWORD);
  const users = await User.insertMany(
    Array.from({ length: n }, (_, i) => ({
      email: `bench-${tag.toLowerCase()}-${i}@example.test`,
      name: `Participant ${i}`,
      agencyId: i % 2 === 0 ? police._id : trust._id,
      roles: [i === 0 ? 'panel_chair' : 'panel_member'],
      passwordHash,
    })),
  );
  await Consent.create({
    personId: person._id,
    status: 'given',
    scope: { allPanel: true, agencies: [], purposes: ['risk_panel'], categories: ['risk'] },
    recordedBy: users[0]._id,
    recordedByAgency: police._id,
    recordedAt: new Date(Date.now() - 60_000),
  });
  const now = new Date();
  const conference = await Conference.create({
    title: 'Benchmark panel',
    personId: person._id,
    chairId: users[0]._id,
    chairAgencyId: police._id,
    scheduledFor: now,
    status: 'live',
    startedAt: now,
    participants: users.map((u, i) => ({ userId: u._id, agencyId: u.agencyId, role: i === 0 ? 'chair' : 'member', invitedBy: users[0]._id, invitedAt: now })),
  });
  return { users, conferenceId: conference.id as string };
}

async function signIn(baseUrl: string, email: string): Promise<string> {
  const session = await fetch(`${baseUrl}/api/auth/session`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, Cookie: cookie, Origin: baseUrl },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return (res.headers.get('set-cookie') ?? cookie).split(';')[0];
}

interface Msg {
  seq: number;
  clientId: string | null;
  void: boolean;
}

class Participant {
  socket: Socket | null = null;
  readonly log = new MessageLog<Msg>();
  /** When each live message arrived, by client id. */
  readonly arrivals = new Map<string, number>();
  online = false;
  reconnects = 0;
  /** Join attempts that failed and were retried. */
  rejoinFailures = 0;
  /** Offline at some point since this instant (its live latencies are not comparable). */
  churned = false;

  constructor(
    readonly baseUrl: string,
    readonly cookie: string,
    readonly conferenceId: string,
  ) {}

  async connect(): Promise<void> {
    const socket = connect(this.baseUrl, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { Cookie: this.cookie, Origin: this.baseUrl } });
    this.socket = socket;
    socket.on('conference:message', (m: Msg) => {
      if (m.clientId && !this.arrivals.has(m.clientId)) this.arrivals.set(m.clientId, performance.now());
      this.log.add(m);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await this.join();
    this.online = true;
  }

  async join(): Promise<void> {
    for (;;) {
      const ack = (await this.socket!.timeout(ACK_TIMEOUT_MS).emitWithAck('conference:join', { conferenceId: this.conferenceId, lastSeq: this.log.watermark })) as {
        ok: boolean;
        messages: Msg[];
        more: boolean;
        code?: string;
      };
      if (!ack.ok) throw new Error(`join refused: ${ack.code}`);
      this.log.addAll(ack.messages);
      if (!ack.more) return;
    }
  }

  drop(): void {
    this.online = false;
    this.churned = true;
    this.socket?.disconnect();
  }

  /** Reconnects and rejoins, trying again (as the room page's socket does) until it is back. */
  async rejoin(): Promise<void> {
    this.reconnects += 1;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.connect();
        return;
      } catch (err) {
        this.socket?.close();
        this.rejoinFailures += 1;
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  }

  close(): void {
    this.socket?.close();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'nan');

async function run(): Promise<void> {
  const prefix = `bench_conf_${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('hex');
  const store = child(['server/store/embedded/cli.ts', '--port', '0'], {});
  const uri = (await store.line(/^mongodb:\/\//)).trim();
  const dbUri = uri.replace(/\/?$/, '/bench_conference');
  await mongoose.connect(dbUri);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const env = { MONGODB_URI: dbUri, REDIS_URL, REDIS_PREFIX: prefix, SESSION_SECRET: secret };
  const servers = [child(['bench/conference.ts', '--serve'], env), child(['bench/conference.ts', '--serve'], env)];
  const ports = await Promise.all(servers.map(async (s) => Number((await s.line(/^READY /)).split(' ')[1])));
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  console.log(`store and two servers up (ports ${ports.join(', ')}); seeding ${PARTICIPANTS} participants`);

  const { users, conferenceId } = await seed(PARTICIPANTS);
  const participants: Participant[] = [];
  const t0 = performance.now();
  for (let i = 0; i < users.length; i += 8) {
    const batch = users.slice(i, i + 8);
    participants.push(
      ...(await Promise.all(batch.map(async (u, j) => new Participant(urls[(i + j) % 2], await signIn(urls[(i + j) % 2], u.email), conferenceId)))),
    );
  }
  for (let i = 0; i < participants.length; i += 20) await Promise.all(participants.slice(i, i + 20).map((p) => p.connect()));
  console.log(`signed in and joined in ${((performance.now() - t0) / 1000).toFixed(1)} s; sending ${RATE}/s for ${SECONDS} s with reconnect churn`);

  // Senders: two on each server, never churned. Everyone else may be.
  const senders = participants.slice(0, SENDERS);
  const churnable = participants.slice(SENDERS);
  const sentAt = new Map<string, number>();
  let retries = 0;
  let failed = 0;
  const inFlight: Promise<void>[] = [];

  async function send(sender: Participant, n: number): Promise<void> {
    const clientId = `b${n.toString(36)}${randomBytes(6).toString('hex')}`;
    sentAt.set(clientId, performance.now());
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const ack = (await sender.socket!.timeout(ACK_TIMEOUT_MS).emitWithAck('conference:message', { conferenceId, clientId, body: `Message ${n}` })) as { ok: boolean; code?: string };
        if (ack.ok) return;
        if (ack.code !== 'rate_limited') break;
      } catch {
        /* ack timed out: retry with the same client id */
      }
      retries += 1;
    }
    failed += 1;
  }

  const churn = setInterval(() => {
    for (let k = 0; k < CHURN_PER_TICK; k++) {
      const p = churnable[Math.floor(Math.random() * churnable.length)];
      if (!p.online) continue;
      p.drop();
      setTimeout(() => void p.rejoin().catch((err: Error) => console.error(`rejoin failed: ${err.message}`)), 200 + Math.random() * 600);
    }
  }, CHURN_EVERY_MS);

  const total = RATE * SECONDS;
  const interval = 1000 / RATE;
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + n * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(senders[n % senders.length], n));
  }
  await Promise.all(inFlight);
  clearInterval(churn);
  // Let every dropped participant come back and catch up.
  const settleUntil = performance.now() + 20_000;
  const stored = await ConferenceMessage.find({ conferenceId: new Types.ObjectId(conferenceId) }).sort({ seq: 1 });
  const head = stored.length ? stored[stored.length - 1].seq : 0;
  while (performance.now() < settleUntil && participants.some((p) => !p.online || p.log.watermark < head)) await new Promise((r) => setTimeout(r, 100));

  // Lost: a stored seq missing from a participant's final list. Duplicated: one send stored
  // under two seqs, or a seq listed twice.
  const storedSeqs = stored.map((m) => m.seq);
  const byClient = new Map<string, number>();
  for (const m of stored) if (m.clientId) byClient.set(m.clientId, (byClient.get(m.clientId) ?? 0) + 1);
  let duplicated = [...byClient.values()].filter((c) => c > 1).length;
  let lost = [...sentAt.keys()].filter((id) => !byClient.has(id)).length;
  for (const p of participants) {
    const held = p.log.list().map((m) => m.seq);
    const set = new Set(held);
    duplicated += held.length - set.size;
    lost += storedSeqs.filter((s) => !set.has(s)).length;
  }

  // Fan-out: per message, until the last participant that stayed connected throughout had it.
  const steady = participants.filter((p) => !p.churned);
  const fanout: number[] = [];
  const deliveries: number[] = [];
  for (const [clientId, at] of sentAt) {
    let last = -Infinity;
    let complete = true;
    for (const p of steady) {
      const got = p.arrivals.get(clientId);
      if (got === undefined) {
        complete = false;
        continue;
      }
      deliveries.push(got - at);
      last = Math.max(last, got - at);
    }
    if (complete) fanout.push(last);
  }
  fanout.sort((x, y) => x - y);
  deliveries.sort((x, y) => x - y);
  const reconnects = participants.reduce((n, p) => n + p.reconnects, 0);
  const dropped = participants.reduce((n, p) => n + p.log.dropped, 0);
  const rejoinFailures = participants.reduce((n, p) => n + p.rejoinFailures, 0);

  for (const p of participants) p.close();
  for (const s of servers) s.proc.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((r) => (s.proc.exitCode !== null ? r(null) : s.proc.once('exit', r)))));
  await mongoose.disconnect();
  store.proc.kill('SIGTERM');
  await cleanupPrefix(prefix, REDIS_URL);

  console.log(
    `${sentAt.size} messages to ${participants.length} participants (${steady.length} never dropped); ${reconnects} reconnects; ` +
      `${fanout.length} messages fully fanned out to the steady participants; ${dropped} repeat copies dropped by clients; ${retries} send retries, ${failed} failed sends; ${rejoinFailures} join attempts retried`,
  );
  console.log(
    [
      `participants=${participants.length}`,
      'servers=2',
      `rate_per_s=${RATE}`,
      `messages=${sentAt.size}`,
      `p50_ms=${fmt(percentile(fanout, 50))}`,
      `p99_ms=${fmt(percentile(fanout, 99))}`,
      `delivery_p50_ms=${fmt(percentile(deliveries, 50))}`,
      `delivery_p99_ms=${fmt(percentile(deliveries, 99))}`,
      `reconnects=${reconnects}`,
      `lost=${lost}`,
      `duplicated=${duplicated}`,
    ].join(' '),
  );
  process.exit(0);
}

if (process.argv.includes('--serve')) {
  serve().catch((err: unknown) => {
    process.stderr.write(`bench server failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  run().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
