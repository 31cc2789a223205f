/**
 * Benchmark of the embedded store through the official driver (`npm run bench:store`).
 * Targets: 10k-document insertMany into a collection with a unique index under 1 s; indexed
 * equality findOne over 20,000/s with many requests in flight; plus the time of an unindexed
 * scan over 100,000 documents. Ends with one key=value summary line.
 *
 * The store runs in its own process (the CLI), as it does under jest's globalSetup, so the
 * driver's own CPU cost does not eat into the store's; the in-process figure is printed too.
 *
 * Two controls separate the store from its client: the store's own capacity over the raw wire
 * protocol (no driver), and the driver's ceiling on this machine — the same driver load against a
 * canned server in its own process that does no work at all (it answers each find with the
 * document asked for, straight from the request). No server can be looked up through the driver
 * faster than that ceiling here.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Long, serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../server/store/embedded';
import { encodeReply, parseMessage, readHeader } from '../server/store/embedded/wire';
import { hello } from '../server/store/embedded/commands/handshake';

const INSERT_DOCS = 10_000;
const LOOKUPS = 60_000;
/**
 * Concurrent requests in flight, spread over the client threads (each thread's pool has one
 * connection per request it keeps in flight: the driver sends one request per connection at a time).
 */
const IN_FLIGHT = 64;
/**
 * Young-generation size of each client thread's heap. The driver allocates a lot per findOne;
 * with V8's small default nursery its scavenges take a noticeable share of the CPU that the
 * client threads share with the store on small machines. This tunes the load generator only.
 */
const CLIENT_YOUNG_GEN_MB = 32;
const SCAN_DOCS = 100_000;

const person = (i: number) => ({ email: `user${i}@example.test`, name: `Person ${i}`, n: i, group: i % 100, tags: ['a', 'b'], createdAt: new Date() });

async function insert10k(store: EmbeddedStore, db: string): Promise<number> {
  const client = await new MongoClient(store.uri).connect();
  try {
    const coll = client.db(db).collection('people');
    await coll.createIndex({ email: 1 }, { unique: true });
    const docs = Array.from({ length: INSERT_DOCS }, (_, i) => person(i));
    const t = performance.now();
    await coll.insertMany(docs);
    return performance.now() - t;
  } finally {
    await client.close();
  }
}

/** Client load generator: each thread runs its own driver with `inFlight` concurrent findOnes. */
const CLIENT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { MongoClient } = require(workerData.driver);
(async () => {
  const client = await new MongoClient(workerData.uri, { maxPoolSize: workerData.inFlight }).connect();
  const coll = client.db(workerData.db).collection('people');
  await Promise.all(Array.from({ length: workerData.inFlight }, () => coll.findOne({ email: 'user1@example.test' })));
  parentPort.postMessage('ready');
  await new Promise((r) => parentPort.once('message', r));
  let next = 0;
  let misses = 0;
  await Promise.all(Array.from({ length: workerData.inFlight }, async () => {
    while (next < workerData.n) {
      const i = ((next++ + workerData.offset) * 7919) % workerData.docs;
      const doc = await coll.findOne({ email: 'user' + i + '@example.test' });
      if (!doc || doc.n !== i) misses++;
    }
  }));
  await client.close();
  parentPort.postMessage({ misses });
})().catch((err) => { console.error(err); process.exit(1); });`;

/**
 * Indexed findOne rate. The official driver costs several times more CPU per lookup than the
 * store does, so the load comes from several client threads, each with its own connection pool.
 */
async function findOneRate(store: EmbeddedStore, db: string): Promise<number> {
  const threads = Math.max(2, Math.min(4, os.availableParallelism() - 1));
  const perThread = Math.ceil(LOOKUPS / threads);
  const workers = Array.from({ length: threads }, (_, t) => new Worker(CLIENT_THREAD, {
    eval: true,
    resourceLimits: { maxYoungGenerationSizeMb: CLIENT_YOUNG_GEN_MB },
    workerData: { driver: require.resolve('mongodb'), uri: store.uri, db, inFlight: Math.ceil(IN_FLIGHT / threads), n: perThread, offset: t * perThread, docs: INSERT_DOCS },
  }));
  const message = (w: Worker) => new Promise<unknown>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await Promise.all(workers.map(message));
  const t = performance.now();
  const done = workers.map(message);
  workers.forEach((w) => w.postMessage('go'));
  const results = (await Promise.all(done)) as { misses: number }[];
  const seconds = (performance.now() - t) / 1000;
  const misses = results.reduce((n, r) => n + r.misses, 0);
  if (misses) throw new Error(`${misses} lookups returned the wrong document`);
  return (perThread * threads) / seconds;
}

/**
 * The store's own lookup capacity, without the driver's per-call cost: raw OP_MSG `find`
 * commands over a few sockets, several in flight on each. Informational; the target is the
 * driver figure above.
 */
async function rawFindRate(store: EmbeddedStore, db: string): Promise<number> {
  const SOCKETS = 4;
  const PER_SOCKET = 16;
  const TOTAL = 100_000;
  const message = (i: number) => {
    const body = serialize({ find: 'people', filter: { email: `user${(i * 7919) % INSERT_DOCS}@example.test` }, limit: 1, singleBatch: true, $db: db });
    const head = Buffer.alloc(21);
    head.writeInt32LE(21 + body.length, 0);
    head.writeInt32LE(i, 4);
    head.writeInt32LE(2013, 12);
    return Buffer.concat([head, body]);
  };
  const messages = Array.from({ length: 4096 }, (_, i) => message(i));
  let sent = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: SOCKETS }, () => new Promise<void>((resolve, reject) => {
    const sock = net.connect(store.port, '127.0.0.1');
    let pending = Buffer.alloc(0);
    let outstanding = 0;
    const pump = () => {
      while (outstanding < PER_SOCKET && sent < TOTAL) { sock.write(messages[sent++ % messages.length]); outstanding++; }
      if (outstanding === 0) { sock.end(); resolve(); }
    };
    sock.on('connect', pump);
    sock.on('error', reject);
    sock.on('data', (d) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        pending = pending.subarray(pending.readInt32LE(0));
        outstanding--;
      }
      pump();
    });
  })));
  return TOTAL / ((performance.now() - t) / 1000);
}

/**
 * The canned server (`--canned`): speaks just enough of the protocol for the driver (handshake,
 * `find` answered with `{_id: i, email, n: i}` for the `user<i>@` asked for, anything else ok).
 */
function serveCanned(): void {
  let connections = 0;
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    const ctx = { connectionId: ++connections } as never;
    let pending: Buffer = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      const replies: Buffer[] = [];
      while (pending.length >= 16 && pending.length >= readHeader(pending).length) {
        const length = readHeader(pending).length;
        const request = parseMessage(pending.subarray(0, length));
        pending = pending.subarray(length);
        if (request.moreToCome) continue;
        const body = request.body;
        let reply: Record<string, unknown> = { ok: 1 };
        if (body.hello || body.ismaster || body.isMaster) reply = hello(body, ctx) as Record<string, unknown>;
        else if (typeof body.find === 'string') {
          const email = String((body.filter as { email?: unknown } | undefined)?.email ?? '');
          const n = Number(/^user(\d+)@/.exec(email)?.[1] ?? -1);
          reply = { cursor: { firstBatch: n >= 0 ? [{ _id: n, email, n }] : [], id: Long.fromNumber(0), ns: `${String(body.$db)}.${body.find}` }, ok: 1 };
        }
        replies.push(encodeReply(request, reply));
      }
      if (replies.length) sock.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`mongodb://127.0.0.1:${(server.address() as net.AddressInfo).port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function scan100k(store: EmbeddedStore): Promise<{ ms: number; found: number }> {
  const client = await new MongoClient(store.uri).connect();
  try {
    const coll = client.db('bench').collection('scan');
    for (let i = 0; i < SCAN_DOCS; i += 10_000) {
      await coll.insertMany(Array.from({ length: 10_000 }, (_, j) => ({ ...person(i + j), score: (i + j) % 5000 })));
    }
    const t = performance.now();
    const found = await coll.find({ score: { $gte: 4999 }, group: { $lt: 100 } }).toArray();
    return { ms: performance.now() - t, found: found.length };
  } finally {
    await client.close();
  }
}

/** Starts `server/store/embedded/cli.ts` (or, `canned`, the canned server) on a free port in a child process. */
function startChildStore(dataDir?: string, canned = false): Promise<EmbeddedStore> {
  const args = canned
    ? ['--import', 'tsx', __filename, '--canned']
    : ['--import', 'tsx', path.join(__dirname, '../server/store/embedded/cli.ts'), '--port', '0', ...(dataDir ? ['--data', dataDir] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`store process exited with ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(mongodb:\/\/\S+)$/m.exec(out);
      if (!m) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      child.removeAllListeners('exit');
      resolve({
        uri: m[1],
        port: Number(new URL(m[1]).port),
        stop: () => new Promise<void>((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); }),
      });
    });
  });
}

async function main(): Promise<void> {
  const inProcess = await startEmbeddedStore();
  const inProcessRate = await insert10k(inProcess, 'bench').then(() => findOneRate(inProcess, 'bench'));
  await inProcess.stop();
  console.log(`indexed findOne, store in the same process:          ${inProcessRate.toFixed(0)}/s`);
  const memory = await startChildStore();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  try {
    const insertMs = await insert10k(memory, 'bench');
    console.log(`insertMany ${INSERT_DOCS} docs, unique index (memory):   ${insertMs.toFixed(0)} ms (target < 1000)`);
    const rate = await findOneRate(memory, 'bench');
    console.log(`indexed findOne, ${IN_FLIGHT} in flight (store in its own process): ${rate.toFixed(0)}/s (target > 20000)`);
    const raw = await rawFindRate(memory, 'bench');
    console.log(`indexed find, raw wire protocol (store capacity): ${raw.toFixed(0)}/s`);
    const canned = await startChildStore(undefined, true);
    const ceiling = await findOneRate(canned, 'bench').finally(() => canned.stop());
    console.log(`findOne through the driver against a server doing no work (driver ceiling here): ${ceiling.toFixed(0)}/s; the store reaches ${((100 * rate) / ceiling).toFixed(0)}% of it`);
    const scan = await scan100k(memory);
    console.log(`unindexed scan over ${SCAN_DOCS} docs:                    ${scan.ms.toFixed(0)} ms (${scan.found} matches)`);
    const durable = await startChildStore(dataDir);
    const journalMs = await insert10k(durable, 'benchj');
    await durable.stop();
    console.log(`insertMany ${INSERT_DOCS} docs, unique index (journaled): ${journalMs.toFixed(0)} ms`);
    console.log(`insert10k_ms=${insertMs.toFixed(0)} findone_per_s=${rate.toFixed(0)} scan100k_ms=${scan.ms.toFixed(0)} insert10k_journal_ms=${journalMs.toFixed(0)} findone_inproc_per_s=${inProcessRate.toFixed(0)} find_raw_per_s=${raw.toFixed(0)} findone_driver_ceiling_per_s=${ceiling.toFixed(0)}`);
  } finally {
    await memory.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--canned')) serveCanned();
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
