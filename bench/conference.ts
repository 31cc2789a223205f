/**
 * Conference room benchmark (`npm run bench:conference`): one room of 200 participants, half on
 * each of two server processes sharing Redis (the Socket.io Redis adapter carries the room across
 * them) and one embedded store process. Four participants send 20 messages a second between
 * them for BENCH_SECONDS (default 30) while participants keep dropping and reconnecting (each
 * rejoins with its last contiguous `seq`). A send whose ack times out is retried with the same
 * client id, as the room page does.
 *
 * The 196 receiving participants live in BENCH_THREADS worker threads (default 2): one thread
 * decoding every copy of every message (over 4,000 events a second) would measure its own queue,
 * not the room's. Arrival times are taken on one clock shared by the threads
 * (`performance.timeOrigin + performance.now()`).
 *
 * Reports the full fan-out latency per message (from send until the last participant connected
 * throughout has it live: p50/p99; target p99 ≤ 25 ms), the first arrival (the server path
 * before fan-out: authorise, store, number, send), per-delivery latency, and, against the
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
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
import { MessageLog } from '../client/src/conferences/messageLog';
import { cleanupPrefix } from '../test/helpers/redis';
import '../server/store/connection';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SENDERS = 4;
const THREADS = Math.max(1, Number(process.env.BENCH_THREADS ?? 2));
/** Participants dropped per churn tick (across all threads), and the tick. */
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

/** Milliseconds on a clock every thread of this process shares. */
const now = () => performance.timeOrigin + performance.now();

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
      if (m.clientId && !this.arrivals.has(m.clientId)) this.arrivals.set(m.clientId, now());
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

/** What a receiving thread reports about each of its participants once the run has settled. */
interface ParticipantReport {
  churned: boolean;
  arrivals: [string, number][];
  seqs: number[];
  reconnects: number;
  dropped: number;
  rejoinFailures: number;
}

function report(p: Participant): ParticipantReport {
  return {
    churned: p.churned,
    arrivals: [...p.arrivals],
    seqs: p.log.list().map((m) => m.seq),
    reconnects: p.reconnects,
    dropped: p.log.dropped,
    rejoinFailures: p.rejoinFailures,
  };
}

type ToThread = { type: 'start' } | { type: 'finish'; head: number };
type FromThread = { type: 'ready' } | { type: 'report'; participants: ParticipantReport[] };

interface ThreadData {
  conferenceId: string;
  members: { email: string; url: string }[];
  /** Drops per churn tick this thread is responsible for (a share of CHURN_PER_TICK). */
  churnPerTick: number;
}

/** Signs in and joins `members` in batches, on whichever server each is assigned to. */
async function joinAll(members: { email: string; url: string }[], conferenceId: string): Promise<Participant[]> {
  const participants: Participant[] = [];
  for (let i = 0; i < members.length; i += 8) {
    participants.push(...(await Promise.all(members.slice(i, i + 8).map(async (m) => new Participant(m.url, await signIn(m.url, m.email), conferenceId)))));
  }
  for (let i = 0; i < participants.length; i += 20) await Promise.all(participants.slice(i, i + 20).map((p) => p.connect()));
  return participants;
}

/** Waits until every participant is back online and holds every message up to `head` (at most `ms`). */
async function settle(participants: Participant[], head: number, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until && participants.some((p) => !p.online || p.log.watermark < head)) await new Promise((r) => setTimeout(r, 100));
}

/** A receiving thread: its participants join, churn while the run lasts, then report. */
async function receive(data: ThreadData): Promise<void> {
  const port = parentPort!;
  const participants = await joinAll(data.members, data.conferenceId);
  let churn: NodeJS.Timeout | undefined;
  let credit = 0;
  port.on('message', (msg: ToThread) => {
    if (msg.type === 'start') {
      churn = setInterval(() => {
        credit += data.churnPerTick;
        for (; credit >= 1; credit -= 1) {
          const p = participants[Math.floor(Math.random() * participants.length)];
          if (!p.online) continue;
          p.drop();
          setTimeout(() => void p.rejoin().catch((err: Error) => console.error(`rejoin failed: ${err.message}`)), 200 + Math.random() * 600);
        }
      }, CHURN_EVERY_MS);
      return;
    }
    clearInterval(churn);
    void settle(participants, msg.head, 20_000).then(() => {
      const out: FromThread = { type: 'report', participants: participants.map(report) };
      for (const p of participants) p.close();
      port.postMessage(out);
    });
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
}

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
  // A failed run must not leave its servers and store behind.
  process.on('exit', () => [...servers, store].forEach((c) => c.proc.exitCode === null && c.proc.kill('SIGTERM')));
  console.log(`store and two servers up (ports ${ports.join(', ')}); seeding ${PARTICIPANTS} participants`);

  const { users, conferenceId } = await seed(PARTICIPANTS);
  const members = users.map((u, i) => ({ email: u.email, url: urls[i % 2] }));
  const t0 = performance.now();
  // Senders: two on each server, in this thread, never churned. Everyone else is in a receiving
  // thread and may be.
  const senders = await joinAll(members.slice(0, SENDERS), conferenceId);
  const churnable = members.slice(SENDERS);
  const shares = Array.from({ length: THREADS }, (_, t) => churnable.filter((_, i) => i % THREADS === t));
  const threads = shares.map(
    (share) =>
      new Worker(__filename, {
        // Threads do not inherit tsx's loader: register it for them.
        execArgv: ['--require', require.resolve('tsx/cjs')],
        workerData: { conferenceId, members: share, churnPerTick: (CHURN_PER_TICK * share.length) / churnable.length } satisfies ThreadData,
      }),
  );
  const inbox = threads.map((w) => {
    const waiting: ((m: FromThread) => void)[] = [];
    w.on('message', (m: FromThread) => waiting.shift()?.(m));
    w.on('error', (err) => {
      console.error(err);
      process.exit(1);
    });
    return () => new Promise<FromThread>((resolve) => waiting.push(resolve));
  });
  await Promise.all(inbox.map((next) => next()));
  console.log(
    `signed in and joined in ${((performance.now() - t0) / 1000).toFixed(1)} s (receivers in ${THREADS} threads); sending ${RATE}/s for ${SECONDS} s with reconnect churn`,
  );

  const sentAt = new Map<string, number>();
  let retries = 0;
  let failed = 0;
  const inFlight: Promise<void>[] = [];

  async function send(sender: Participant, n: number): Promise<void> {
    const clientId = `b${n.toString(36)}${randomBytes(6).toString('hex')}`;
    sentAt.set(clientId, now());
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

  for (const w of threads) w.postMessage({ type: 'start' } satisfies ToThread);
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
  // Let every dropped participant come back and catch up, then collect what each one holds.
  const stored = await ConferenceMessage.find({ conferenceId: new Types.ObjectId(conferenceId) }).sort({ seq: 1 });
  const head = stored.length ? stored[stored.length - 1].seq : 0;
  const reports = inbox.map((next) => next());
  for (const w of threads) w.postMessage({ type: 'finish', head } satisfies ToThread);
  await settle(senders, head, 20_000);
  const participants: ParticipantReport[] = [...senders.map(report)];
  for (const r of await Promise.all(reports)) if (r.type === 'report') participants.push(...r.participants);
  await Promise.all(threads.map((w) => w.terminate()));

  // Lost: a stored seq missing from a participant's final list. Duplicated: one send stored
  // under two seqs, or a seq listed twice.
  const storedSeqs = stored.map((m) => m.seq);
  const byClient = new Map<string, number>();
  for (const m of stored) if (m.clientId) byClient.set(m.clientId, (byClient.get(m.clientId) ?? 0) + 1);
  let duplicated = [...byClient.values()].filter((c) => c > 1).length;
  let lost = [...sentAt.keys()].filter((id) => !byClient.has(id)).length;
  for (const p of participants) {
    const set = new Set(p.seqs);
    duplicated += p.seqs.length - set.size;
    lost += storedSeqs.filter((s) => !set.has(s)).length;
  }

  // Fan-out: per message, until the last participant that stayed connected throughout had it.
  const steady = participants.filter((p) => !p.churned).map((p) => new Map(p.arrivals));
  const fanout: number[] = [];
  const first: number[] = [];
  const deliveries: number[] = [];
  for (const [clientId, at] of sentAt) {
    let last = -Infinity;
    let earliest = Infinity;
    let complete = true;
    for (const arrivals of steady) {
      const got = arrivals.get(clientId);
      if (got === undefined) {
        complete = false;
        continue;
      }
      deliveries.push(got - at);
      last = Math.max(last, got - at);
      earliest = Math.min(earliest, got - at);
    }
    if (complete) fanout.push(last);
    if (Number.isFinite(earliest)) first.push(earliest);
  }
  for (const list of [fanout, first, deliveries]) list.sort((x, y) => x - y);
  const reconnects = participants.reduce((n, p) => n + p.reconnects, 0);
  const dropped = participants.reduce((n, p) => n + p.dropped, 0);
  const rejoinFailures = participants.reduce((n, p) => n + p.rejoinFailures, 0);

  for (const p of senders) p.close();
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
      `first_p50_ms=${fmt(percentile(first, 50))}`,
      `first_p99_ms=${fmt(percentile(first, 99))}`,
      `delivery_p50_ms=${fmt(percentile(deliveries, 50))}`,
      `delivery_p99_ms=${fmt(percentile(deliveries, 99))}`,
      `reconnects=${reconnects}`,
      `lost=${lost}`,
      `duplicated=${duplicated}`,
    ].join(' '),
  );
  process.exit(0);
}

if (!isMainThread) {
  receive(workerData as ThreadData).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.argv.includes('--serve')) {
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
