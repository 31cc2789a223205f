/**
 * The embedded store itself (own instances via startEmbeddedStore): persistence across restarts,
 * crash recovery from a damaged journal tail, and bad input over raw sockets.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore, type StoreLogger } from '../../server/store/embedded';

type Line = { level: string; fields: object; msg: string };
function captureLogger(): StoreLogger & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    info: (fields, msg) => lines.push({ level: 'info', fields, msg }),
    warn: (fields, msg) => lines.push({ level: 'warn', fields, msg }),
    error: (fields, msg) => lines.push({ level: 'error', fields, msg }),
  };
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-store-test-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const personSchema = new Schema({ email: { type: String, unique: true }, name: String, n: Number });

async function withMongoose<T>(store: EmbeddedStore, fn: (m: mongoose.Model<{ email?: string | null; name?: string | null; n?: number | null }>) => Promise<T>): Promise<T> {
  const conn = await mongoose.createConnection(`${store.uri}/persist`).asPromise();
  try {
    const Person = conn.model('Person', personSchema);
    await Person.init();
    return await fn(Person);
  } finally {
    await conn.close();
  }
}

/** Copies the data folder as it is right now: what a crashed process would leave behind. */
function crashCopy(dir: string): string {
  const copy = tmpDir();
  for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  return copy;
}

describe('embedded store persistence', () => {
  it('keeps documents, updates, deletes and indexes across a clean restart', async () => {
    const dir = tmpDir();
    const first = await startEmbeddedStore({ dataDir: dir });
    await withMongoose(first, async (Person) => {
      await Person.create([{ email: 'a@x.test', n: 1 }, { email: 'b@x.test', n: 2 }, { email: 'c@x.test', n: 3 }]);
      await Person.updateOne({ email: 'a@x.test' }, { $inc: { n: 10 } });
      await Person.deleteOne({ email: 'c@x.test' });
    });
    await first.stop();
    const second = await startEmbeddedStore({ dataDir: dir });
    try {
      await withMongoose(second, async (Person) => {
        const docs = await Person.find().sort({ email: 1 }).lean();
        expect(docs.map((d) => [d.email, d.n])).toEqual([['a@x.test', 11], ['b@x.test', 2]]);
        await expect(Person.create({ email: 'b@x.test' })).rejects.toMatchObject({ code: 11000 });
      });
    } finally {
      await second.stop();
    }
  });

  it('recovers acknowledged writes after a crash (no clean stop)', async () => {
    const dir = tmpDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    const client = await new MongoClient(`${store.uri}/crash`).connect();
    await client.db().collection('notes').insertOne({ _id: 1 as never, v: 'one' });
    await client.db().collection('notes').updateOne({ _id: 1 as never }, { $set: { v: 'uno' } });
    const crashed = crashCopy(dir);
    await client.close();
    await store.stop();
    const restarted = await startEmbeddedStore({ dataDir: crashed });
    const c2 = await new MongoClient(`${restarted.uri}/crash`).connect();
    try {
      expect(await c2.db().collection('notes').findOne({ _id: 1 as never })).toEqual({ _id: 1, v: 'uno' });
    } finally {
      await c2.close();
      await restarted.stop();
    }
  });

  async function crashAfterThreeWrites(): Promise<string> {
    const dir = tmpDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    const client = await new MongoClient(`${store.uri}/torn`).connect();
    for (const i of [1, 2, 3]) await client.db().collection('log').insertOne({ _id: i as never, text: `entry ${i}` });
    const crashed = crashCopy(dir);
    await client.close();
    await store.stop();
    return crashed;
  }

  async function idsAfterRestart(dir: string, logger: StoreLogger): Promise<number[]> {
    const store = await startEmbeddedStore({ dataDir: dir, logger });
    const client = await new MongoClient(`${store.uri}/torn`).connect();
    try {
      return (await client.db().collection('log').find().sort({ _id: 1 }).toArray()).map((d) => d._id as unknown as number);
    } finally {
      await client.close();
      await store.stop();
    }
  }

  it('ignores a torn last journal record with a warning', async () => {
    const dir = await crashAfterThreeWrites();
    const journal = path.join(dir, 'journal.log');
    fs.truncateSync(journal, fs.statSync(journal).size - 5);
    const logger = captureLogger();
    expect(await idsAfterRestart(dir, logger)).toEqual([1, 2]);
    expect(logger.lines.some((l) => l.level === 'warn' && /journal/.test(l.msg))).toBe(true);
  });

  it('ignores a garbled last journal record (checksum mismatch)', async () => {
    const dir = await crashAfterThreeWrites();
    const journal = path.join(dir, 'journal.log');
    const buf = fs.readFileSync(journal);
    buf[buf.length - 10] ^= 0xff;
    fs.writeFileSync(journal, buf);
    const logger = captureLogger();
    expect(await idsAfterRestart(dir, logger)).toEqual([1, 2]);
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
  });

  it('journals and snapshots batches larger than one BSON document', async () => {
    const dir = tmpDir();
    const big = 'y'.repeat(4 * 1024 * 1024);
    const store = await startEmbeddedStore({ dataDir: dir });
    const client = await new MongoClient(`${store.uri}/large`).connect();
    await client.db().collection('blobs').insertMany(Array.from({ length: 6 }, (_, i) => ({ _id: i as never, big })));
    const crashed = crashCopy(dir);
    await client.close();
    await store.stop();
    for (const d of [crashed, dir]) {
      const again = await startEmbeddedStore({ dataDir: d });
      const c2 = await new MongoClient(`${again.uri}/large`).connect();
      const docs = await c2.db().collection('blobs').find().toArray();
      expect(docs.map((x) => [x._id, x.big.length])).toEqual(Array.from({ length: 6 }, (_, i) => [i, big.length]));
      await c2.close();
      await again.stop();
    }
  });

  it('compacts the journal into a snapshot at clean stop', async () => {
    const dir = tmpDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    const client = await new MongoClient(`${store.uri}/compact`).connect();
    const coll = client.db().collection('c');
    for (let i = 0; i < 20; i++) await coll.updateOne({ _id: 'x' as never }, { $set: { pad: 'p'.repeat(1000), i } }, { upsert: true });
    const before = fs.statSync(path.join(dir, 'journal.log')).size;
    await client.close();
    await store.stop();
    expect(before).toBeGreaterThan(20_000);
    expect(fs.statSync(path.join(dir, 'journal.log')).size).toBeLessThan(1000);
    expect(fs.statSync(path.join(dir, 'snapshot.bson')).size).toBeLessThan(5000);
    const again = await startEmbeddedStore({ dataDir: dir });
    const c2 = await new MongoClient(`${again.uri}/compact`).connect();
    expect((await c2.db().collection('c').findOne({ _id: 'x' as never }))?.i).toBe(19);
    await c2.close();
    await again.stop();
  });
});

describe('embedded store under bad input', () => {
  let store: EmbeddedStore;
  let client: MongoClient;
  const logger = captureLogger();

  beforeAll(async () => {
    store = await startEmbeddedStore({ logger });
    client = await new MongoClient(`${store.uri}/bad`).connect();
    await client.db().collection('people').insertOne({ name: 'SECRET-PERSON-NAME' });
  });
  afterAll(async () => {
    await client.close();
    await store.stop();
  });

  function sendRaw(bytes: Buffer): Promise<{ closed: boolean; received: number }> {
    return new Promise((resolve) => {
      const sock = net.connect(store.port, '127.0.0.1', () => sock.write(bytes));
      let received = 0;
      sock.on('data', (d) => { received += d.length; });
      sock.on('error', () => undefined);
      sock.on('close', () => resolve({ closed: true, received }));
      setTimeout(() => { sock.destroy(); resolve({ closed: false, received }); }, 2000).unref();
    });
  }

  function header(length: number, opCode: number): Buffer {
    const h = Buffer.alloc(16);
    h.writeInt32LE(length, 0);
    h.writeInt32LE(1, 4);
    h.writeInt32LE(0, 8);
    h.writeInt32LE(opCode, 12);
    return h;
  }

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const body = Buffer.from('this is not bson at all, not even close');
    const res = await sendRaw(Buffer.concat([header(16 + 5 + body.length, 2013), Buffer.from([0, 0, 0, 0, 0]), body]));
    expect(res).toEqual({ closed: true, received: 0 });
    expect(await client.db().collection('people').countDocuments()).toBe(1);
    expect(logger.lines.some((l) => l.level === 'warn' && /bad message/.test(l.msg))).toBe(true);
  });

  it('closes a connection that sends an unknown opcode', async () => {
    const res = await sendRaw(Buffer.concat([header(32, 9999), Buffer.alloc(16)]));
    expect(res.closed).toBe(true);
    expect(res.received).toBe(0);
  });

  it('closes a connection announcing an oversized message, without waiting for it', async () => {
    const res = await sendRaw(header(200 * 1024 * 1024, 2013));
    expect(res.closed).toBe(true);
    expect(logger.lines.some((l) => JSON.stringify(l.fields).includes('too large'))).toBe(true);
    await expect(client.db().command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });

  it('never logs document contents', async () => {
    await client.db().collection('people').createIndex({ name: 1 }, { unique: true });
    await client.db().collection('people').insertOne({ name: 'SECRET-PERSON-NAME' }).catch(() => undefined);
    expect(JSON.stringify(logger.lines)).not.toContain('SECRET');
  });
});
