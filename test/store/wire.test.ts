/**
 * The embedded store's wire fast paths against the general ones: the command decoder gives
 * exactly what `bson.deserialize` gives (or defers to it), cursor replies built from encoded
 * documents are byte-identical to serialising the reply, and pipelined messages are answered
 * in order. Uses its own embedded instance (like embedded.test.ts), whatever store the run uses.
 */
import net from 'node:net';
import {
  Binary, BSONRegExp, Code, Decimal128, deserialize, Double, Int32, Long, MaxKey, MinKey, ObjectId, serialize, Timestamp, UUID, type Document,
} from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/store/embedded';
import { decodeCommand } from '../../server/store/embedded/bsonread';
import { encodeDoc, storedDocBytes } from '../../server/store/embedded/docbytes';
import { CursorReply, encodeReply, type Command } from '../../server/store/embedded/wire';

const BSON_OPTIONS = { promoteLongs: false, useBigInt64: false } as const;

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function randomDoc(rnd: () => number, depth = 0): Document {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const value = (): unknown => {
    switch (Math.floor(rnd() * 24)) {
      case 0: return rnd() * 1e6;
      case 1: return Math.floor(rnd() * 1e9) - 5e8;
      case 2: return pick(['', 'abc', 'user1@example.test', 'a'.repeat(40), 'é', 'x\u0000y', '\u{1F600}', 'ß'.repeat(20)]);
      case 3: return new ObjectId();
      case 4: return rnd() < 0.5;
      case 5: return null;
      case 6: return new Date(Math.floor(rnd() * 2e12) - 1e12);
      case 7: return Long.fromNumber(Math.floor(rnd() * 1e15) - 5e14);
      case 8: return new UUID();
      case 9: return new Binary(Buffer.from([1, 2, 3]), pick([0, 2, 3, 4, 5, 128]));
      case 10: return Decimal128.fromString(pick(['1.5', '-0', 'NaN', '1E+10']));
      case 11: return new Timestamp({ t: 1, i: 2 });
      case 12: return pick([/ab+c/i, new BSONRegExp('x', 'm')]);
      case 13: return undefined;
      case 14: return pick([new MinKey(), new MaxKey(), new Code('f()')]);
      case 15: return pick([NaN, -0, Infinity, new Double(2), new Int32(3)]);
      case 16: return { $ref: 'coll', $id: 1 };
      case 17: case 18: return depth > 3 ? 1 : randomDoc(rnd, depth + 1);
      default: return depth > 3 ? [] : Array.from({ length: Math.floor(rnd() * 4) }, value);
    }
  };
  const keys = ['a', 'b', 'email', 'x.y', '$db', '$eq', '$id', 'é', '0', '1', 'constructor', 'toString', 'filter', '__proto__'];
  const doc: Document = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) {
    const key = rnd() < 0.8 ? `${pick(keys.slice(0, 5))}${i}` : pick(keys);
    if (key === '__proto__') Object.defineProperty(doc, key, { value: value(), enumerable: true, writable: true, configurable: true });
    else doc[key] = value();
  }
  return doc;
}

/** Deep equality that also compares prototypes (a UUID is not a Binary, a Long is not a number). */
function sameValue(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (a === null || typeof a !== 'object') return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different classes`;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) ? null : `${path}: dates differ`;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b as object);
  if (ka.join() !== kb.join()) return `${path}: keys [${ka.join()}] vs [${kb.join()}]`;
  for (const k of ka) {
    const r = sameValue((a as Record<string | symbol, unknown>)[k], (b as Record<string | symbol, unknown>)[k], `${path}.${String(k)}`);
    if (r) return r;
  }
  return null;
}

describe('command decoder', () => {
  it('decodes exactly as bson does, or defers to bson', () => {
    const rnd = rng(20240229);
    let decoded = 0;
    for (let i = 0; i < 4000; i++) {
      const doc = randomDoc(rnd);
      const buf = Buffer.from(serialize(doc, { ignoreUndefined: false }));
      const fast = decodeCommand(buf, 0, buf.length);
      if (fast === undefined) continue;
      decoded++;
      expect(sameValue(fast, deserialize(buf, BSON_OPTIONS))).toBeNull();
    }
    // The common types are handled without bson.
    expect(decoded).toBeGreaterThan(1000);
  });

  it('decodes what a driver sends for find and insert', () => {
    const lsid = { id: new UUID() };
    const bodies = [
      { find: 'people', filter: { email: 'user1@example.test' }, limit: 1, singleBatch: true, lsid, $db: 'bench' },
      { insert: 'people', documents: [{ _id: new ObjectId(), n: 1, at: new Date(), tags: ['a', 'b'], big: Long.fromString('9007199254740993') }], ordered: true, lsid, $db: 'bench' },
    ];
    for (const body of bodies) {
      const buf = Buffer.from(serialize(body));
      const fast = decodeCommand(buf, 0, buf.length);
      expect(fast).toBeDefined();
      expect(sameValue(fast, deserialize(buf, BSON_OPTIONS))).toBeNull();
      expect((fast as Document).lsid.id).toBeInstanceOf(UUID);
    }
  });

  it('never accepts a damaged document that bson rejects, nor reads one differently', () => {
    const rnd = rng(7);
    for (let i = 0; i < 3000; i++) {
      const buf = Buffer.from(serialize(randomDoc(rnd), { ignoreUndefined: false }));
      const damaged = Buffer.from(buf);
      damaged[Math.floor(rnd() * damaged.length)] = Math.floor(rnd() * 256);
      const fast = decodeCommand(damaged, 0, damaged.length);
      if (fast === undefined) continue;
      let reference: unknown;
      expect(() => { reference = deserialize(damaged, BSON_OPTIONS); }).not.toThrow();
      expect(sameValue(fast, reference)).toBeNull();
    }
  });
});

describe('cursor replies from encoded documents', () => {
  it('are byte-identical to serialising the reply document', () => {
    const rnd = rng(3);
    for (const opCode of [2013, 2004]) {
      for (const n of [0, 1, 9, 10, 11, 120]) {
        for (const ns of ['db.c', 'dé.çollection', `d.${'x'.repeat(200)}`]) {
          for (const id of [Long.ZERO, Long.fromString('123456789012345'), Long.fromNumber(-5)]) {
            for (const key of ['firstBatch', 'nextBatch'] as const) {
              const docs = Array.from({ length: n }, () => ({ _id: new ObjectId(), ...randomDoc(rnd) }));
              const request: Command = { requestId: 77, opCode, moreToCome: false, body: {} };
              const fast = encodeReply(request, new CursorReply(id, ns, key, docs.map((d, i) => (i % 2 ? encodeDoc(d) : storedDocBytes(d)))));
              const reference = encodeReply(request, { cursor: { [key]: docs, id, ns }, ok: 1 });
              // Bytes 4..7 hold the reply's own request id, which counts up.
              fast.writeInt32LE(0, 4);
              reference.writeInt32LE(0, 4);
              expect(fast.equals(reference)).toBe(true);
            }
          }
        }
      }
    }
  });

  it('keep cached encodings out of the documents as seen by code and bson', () => {
    const doc = { _id: new ObjectId(), a: 1 };
    const bytes = storedDocBytes(doc);
    expect(storedDocBytes(doc)).toBe(bytes);
    expect(Object.keys(doc)).toEqual(['_id', 'a']);
    expect({ ...doc }).toEqual({ _id: doc._id, a: 1 });
    expect(Buffer.from(serialize(doc)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('pipelined messages', () => {
  let store: EmbeddedStore;
  beforeAll(async () => {
    store = await startEmbeddedStore();
    const client = await new MongoClient(`${store.uri}/wire`).connect();
    await client.db().collection('people').createIndex({ email: 1 }, { unique: true });
    await client.db().collection('people').insertMany(Array.from({ length: 20 }, (_, i) => ({ email: `u${i}@x.test`, n: i })));
    await client.close();
  });
  afterAll(() => store.stop());

  function message(requestId: number, body: Document): Buffer {
    const bson = serialize(body);
    const head = Buffer.alloc(21);
    head.writeInt32LE(21 + bson.length, 0);
    head.writeInt32LE(requestId, 4);
    head.writeInt32LE(2013, 12);
    return Buffer.concat([head, bson]);
  }

  /** Sends `bytes` in one write; collects replies until `count` arrived or the connection closed. */
  function exchange(bytes: Buffer, count: number): Promise<{ replies: { responseTo: number; body: Document }[]; closed: boolean }> {
    return new Promise((resolve) => {
      const replies: { responseTo: number; body: Document }[] = [];
      let pending = Buffer.alloc(0);
      const sock = net.connect(store.port, '127.0.0.1', () => sock.write(bytes));
      const done = (closed: boolean) => { sock.destroy(); resolve({ replies, closed }); };
      sock.on('data', (d) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
          const len = pending.readInt32LE(0);
          replies.push({ responseTo: pending.readInt32LE(8), body: deserialize(pending.subarray(21, len)) });
          pending = pending.subarray(len);
        }
        if (replies.length >= count) done(false);
      });
      sock.on('error', () => undefined);
      sock.on('close', () => resolve({ replies, closed: true }));
    });
  }

  it('answers many messages sent in one write, in order', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => 1000 + i);
    const bytes = Buffer.concat(ids.map((id, i) => message(id, { find: 'people', filter: { email: `u${i % 20}@x.test` }, limit: 1, singleBatch: true, $db: 'wire' })));
    const { replies } = await exchange(bytes, ids.length);
    expect(replies.map((r) => r.responseTo)).toEqual(ids);
    replies.forEach((r, i) => expect(r.body.cursor.firstBatch[0].n).toBe(i % 20));
  });

  it('answers the messages before a malformed one, then closes the connection', async () => {
    const good = [message(1, { ping: 1, $db: 'wire' }), message(2, { find: 'people', filter: { email: 'u3@x.test' }, $db: 'wire' })];
    const bad = Buffer.alloc(21);
    bad.writeInt32LE(21, 0);
    bad.writeInt32LE(3, 4);
    bad.writeInt32LE(9999, 12);
    const { replies, closed } = await exchange(Buffer.concat([...good, bad]), 3);
    expect(closed).toBe(true);
    expect(replies.map((r) => r.responseTo)).toEqual([1, 2]);
    expect(replies[1].body.cursor.firstBatch[0].n).toBe(3);
  });
});
