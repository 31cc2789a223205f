/**
 * Equality lookups: the same queries over a collection with hash indexes (index lookup, direct
 * equality test, cached document encodings) and over an identical one without (a scan), and in
 * forms that take other routes through the matcher (`$in`, and `$nor`/`$ne`, which goes through
 * mingo). All must agree, and agree with MongoDB's semantics for arrays, null and missing fields,
 * numbers of different BSON types, ObjectIds, dates, embedded documents and dotted paths. Also:
 * projections and sorts on indexed lookups, and that cached encodings never outlive a write.
 * Driven through the driver and mongoose only, so it runs unchanged against real MongoDB.
 */
import mongoose, { Schema } from 'mongoose';
import { Binary, Decimal128, Double, Long, MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { testDbUri } from '../helpers/db';

const uri = testDbUri('lookups');
let client: MongoClient;
let indexed: Collection<Document>;
let plain: Collection<Document>;
/** The same documents under compound indexes only, whose first fields are the cases' fields. */
let compound: Collection<Document>;

const oid = new ObjectId('65f0a1b2c3d4e5f601234567');
const date = new Date('2024-02-29T12:00:00Z');

/** Documents of the `v` (top-level) and `d.e` (dotted) cases; `tag` names each. */
const docs: Document[] = [
  { tag: 'str', v: 'a' },
  { tag: 'arr', v: ['a', 'b'] },
  { tag: 'nested', v: [['a']] },
  { tag: 'int', v: 1 },
  { tag: 'long', v: Long.fromNumber(1) },
  { tag: 'dec', v: Decimal128.fromString('1') },
  { tag: 'dec10', v: Decimal128.fromString('1.0') },
  { tag: 'double', v: 2.5 },
  { tag: 'null', v: null },
  { tag: 'missing' },
  { tag: 'oid', v: oid },
  { tag: 'date', v: date },
  { tag: 'doc', v: { x: 1, y: 2 } },
  { tag: 'docswap', v: { y: 2, x: 1 } },
  { tag: 'bool', v: true },
  { tag: 'empty', v: [] },
  { tag: 'arrnull', v: [null] },
  { tag: 'nums', v: [1, 2] },
  { tag: 'numsnested', v: [[1, 2]] },
  { tag: 'bigLong', v: Long.fromString('9007199254740993') },
  { tag: 'string1', v: '1' },
  { tag: 'bin', v: new Binary(Buffer.from([1, 2, 3])) },
  { tag: 'd1', d: { e: 1 } },
  { tag: 'darr', d: [{ e: 1 }, { e: 2 }] },
  { tag: 'dinner', d: [{ e: [1, 3] }] },
  { tag: 'dnull', d: { e: null } },
  { tag: 'dnoe', d: {} },
  { tag: 'dscalar', d: 5 },
  { tag: 'dempty', d: [] },
];

/** [field, value, the tags MongoDB matches (where its semantics are plain), or null to only compare paths]. */
const cases: [string, unknown, string[] | null][] = [
  ['v', 'a', ['arr', 'str']],
  ['v', ['a', 'b'], ['arr']],
  ['v', ['b', 'a'], []],
  ['v', ['a'], ['nested']],
  ['v', 1, ['dec', 'dec10', 'int', 'long', 'nums']],
  ['v', Long.fromNumber(1), ['dec', 'dec10', 'int', 'long', 'nums']],
  ['v', new Double(1), ['dec', 'dec10', 'int', 'long', 'nums']],
  ['v', Decimal128.fromString('1.00'), ['dec', 'dec10', 'int', 'long', 'nums']],
  ['v', 2, ['nums']],
  ['v', 2.5, ['double']],
  ['v', Long.fromString('9007199254740993'), ['bigLong']],
  ['v', '1', ['string1']],
  ['v', null, ['arrnull', 'd1', 'darr', 'dempty', 'dinner', 'dnoe', 'dnull', 'dscalar', 'missing', 'null']],
  ['v', [], ['empty']],
  ['v', [null], ['arrnull']],
  ['v', [1, 2], ['nums', 'numsnested']],
  ['v', oid, ['oid']],
  ['v', new ObjectId('65f0a1b2c3d4e5f601234568'), []],
  ['v', date, ['date']],
  ['v', { x: 1, y: 2 }, ['doc']],
  ['v', { y: 2, x: 1 }, ['docswap']],
  ['v', true, ['bool']],
  ['v', new Binary(Buffer.from([1, 2, 3])), ['bin']],
  ['v', 'nothing', []],
  ['d.e', 1, ['d1', 'darr', 'dinner']],
  ['d.e', 3, ['dinner']],
  ['d.e', [1, 3], ['dinner']],
  ['d.e', 2, ['darr']],
  ['d.e', null, null],
];

const tags = (ds: Document[]) => ds.map((d) => d.tag as string).sort();
/** A readable name for a query value (its BSON type included). */
function show(v: unknown): string {
  if (v instanceof Long) return `Long(${v.toString()})`;
  if (v instanceof Decimal128) return `Decimal128(${v.toString()})`;
  if (v instanceof Double) return `Double(${v.value})`;
  if (v instanceof ObjectId) return `ObjectId(${v.toHexString()})`;
  if (v instanceof Binary) return `Binary(${Buffer.from(v.buffer).toString('hex')})`;
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  return JSON.stringify(v);
}

beforeAll(async () => {
  client = await new MongoClient(uri, { promoteLongs: false }).connect();
  indexed = client.db().collection('indexed');
  plain = client.db().collection('plain');
  await indexed.createIndex({ v: 1 });
  await indexed.createIndex({ 'd.e': 1 });
  await indexed.createIndex({ tag: 1 }, { unique: true });
  await indexed.insertMany(docs.map((d) => ({ ...d })));
  await plain.insertMany(docs.map((d) => ({ ...d })));
  compound = client.db().collection('compound');
  await compound.createIndex({ v: 1, tag: 1 });
  await compound.createIndex({ 'd.e': 1, tag: -1 });
  await compound.insertMany(docs.map((d) => ({ ...d })));
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

describe('equality lookups agree across paths and with MongoDB', () => {
  it.each(cases.map(([f, v, want]) => [`${f} = ${show(v)}`, f, v, want] as const))('%s', async (_name, field, value, want) => {
    const viaIndex = tags(await indexed.find({ [field]: value }).toArray());
    const viaScan = tags(await plain.find({ [field]: value }).toArray());
    const viaEqOp = tags(await indexed.find({ [field]: { $eq: value } }).toArray());
    const viaIn = tags(await plain.find({ [field]: { $in: [value] } }).toArray());
    const viaIndexedIn = tags(await indexed.find({ [field]: { $in: [value] } }).toArray());
    const viaNor = tags(await plain.find({ $nor: [{ [field]: { $ne: value } }] }).toArray());
    expect(viaScan).toEqual(viaIndex);
    expect(viaEqOp).toEqual(viaIndex);
    expect(viaIn).toEqual(viaIndex);
    expect(viaIndexedIn).toEqual(viaIndex);
    expect(viaNor).toEqual(viaIndex);
    if (want) expect(viaIndex).toEqual(want);
    // findOne (limit 1, single batch) returns one of them, or null.
    const one = await indexed.findOne({ [field]: value });
    if (viaIndex.length) expect(viaIndex).toContain(one?.tag);
    else expect(one).toBeNull();
  });

  it('$in of several values over an index: the union of their matches, each document once, as a scan finds', async () => {
    const values = cases.filter(([f]) => f === 'v').map(([, v]) => v);
    for (let i = 0; i + 2 < values.length; i++) {
      const list = [values[i], values[i + 1], values[i + 2]];
      const viaIndex = await indexed.find({ v: { $in: list } }).toArray();
      expect(tags(viaIndex)).toEqual(tags(await plain.find({ v: { $in: list } }).toArray()));
      expect(new Set(viaIndex.map((d) => String(d._id))).size).toBe(viaIndex.length);
    }
    // 'arr' holds both values: listed once.
    expect(tags(await indexed.find({ v: { $in: ['a', 'b'] } }).toArray())).toEqual(['arr', 'str']);
    // With another condition beside it, and with a limit.
    expect(tags(await indexed.find({ v: { $in: ['a', 1] }, tag: { $ne: 'arr' } }).toArray())).toEqual(['dec', 'dec10', 'int', 'long', 'nums', 'str']);
    expect(await indexed.find({ v: { $in: ['a', 1] } }, { limit: 2 }).toArray()).toHaveLength(2);
  });

  it('returns numbers with their stored BSON types from an indexed lookup', async () => {
    const found = await indexed.find({ v: 1 }).sort({ tag: 1 }).toArray();
    const byTag = Object.fromEntries(found.map((d) => [d.tag, d.v]));
    expect(byTag.long).toBeInstanceOf(Long);
    expect(byTag.dec).toBeInstanceOf(Decimal128);
    expect(byTag.dec10.toString()).toBe('1.0');
    expect(byTag.int).toBe(1);
    expect((await indexed.findOne({ v: Long.fromString('9007199254740993') }))?.v.toString()).toBe('9007199254740993');
    expect(String((await indexed.findOne({ v: oid }))?.v)).toBe(String(oid));
    expect((await indexed.findOne({ v: date }))?.v.toISOString()).toBe(date.toISOString());
  });

  it('applies projections and sorts to indexed lookups', async () => {
    expect(await indexed.find({ v: 1 }, { projection: { tag: 1, _id: 0 } }).sort({ tag: -1 }).toArray())
      .toEqual([{ tag: 'nums' }, { tag: 'long' }, { tag: 'int' }, { tag: 'dec10' }, { tag: 'dec' }]);
    const excluded = await indexed.findOne({ tag: 'doc' }, { projection: { v: 0 } });
    expect(excluded && Object.keys(excluded).sort()).toEqual(['_id', 'tag']);
    expect(await indexed.findOne({ 'd.e': 3 }, { projection: { 'd.e': 1, _id: 0 } })).toEqual({ d: [{ e: [1, 3] }] });
    expect(await indexed.findOne({ v: 'a' }, { sort: { tag: 1 }, projection: { _id: 0, tag: 1 } })).toEqual({ tag: 'arr' });
    const skipped = await indexed.find({ v: 1 }).sort({ tag: 1 }).skip(1).limit(2).toArray();
    expect(tags(skipped)).toEqual(['dec10', 'int']);
  });

  it('looks up by _id, alone and with $in', async () => {
    const all = await plain.find({}, { projection: { tag: 1 } }).toArray();
    const some = all.slice(0, 3);
    expect((await plain.findOne({ _id: some[1]._id }))?.tag).toBe(some[1].tag);
    expect(tags(await plain.find({ _id: { $in: some.map((d) => d._id) } }).toArray())).toEqual(tags(some));
    expect(await plain.findOne({ _id: new ObjectId() })).toBeNull();
  });
});

describe('a compound index asked for by its first field alone', () => {
  it.each(cases.map(([f, v]) => [`${f} = ${show(v)}`, f, v] as const))('%s: finds what a scan finds', async (_name, field, value) => {
    const viaScan = tags(await plain.find({ [field]: value }).toArray());
    expect(tags(await compound.find({ [field]: value }).toArray())).toEqual(viaScan);
    // With a range on the second field and a condition on another field beside it.
    expect(tags(await compound.find({ [field]: value, tag: { $gte: 'd' } }).toArray())).toEqual(viaScan.filter((t) => t >= 'd'));
    expect(tags(await compound.find({ [field]: value, tag: { $ne: 'arr' } }).toArray())).toEqual(viaScan.filter((t) => t !== 'arr'));
  });

  it('follows inserts, updates of the first field (to and from arrays) and deletes', async () => {
    const coll = client.db().collection('compound_rw');
    await coll.createIndex({ owner: 1, at: -1 });
    await coll.insertMany([{ owner: 'a', at: 1 }, { owner: 'a', at: 2 }, { owner: 'b', at: 3 }]);
    const ats = async (owner: unknown) => (await coll.find({ owner }).toArray()).map((d) => d.at as number).sort((x, y) => x - y);
    expect(await ats('a')).toEqual([1, 2]);
    await coll.updateOne({ at: 2 }, { $set: { owner: 'b' } });
    expect([await ats('a'), await ats('b')]).toEqual([[1], [2, 3]]);
    await coll.updateOne({ at: 1 }, { $set: { owner: ['a', 'c'] } });
    expect([await ats('a'), await ats('c')]).toEqual([[1], [1]]);
    await coll.updateMany({ owner: 'b' }, { $set: { owner: 'c' } });
    expect([await ats('b'), await ats('c')]).toEqual([[], [1, 2, 3]]);
    await coll.deleteMany({ owner: 'a' });
    expect([await ats('a'), await ats('c')]).toEqual([[], [2, 3]]);
    await coll.drop();
  });
});

describe('indexed lookups see every write', () => {
  type Row = { _id?: ObjectId; email: string; n?: number; v?: number; tags?: string[]; replaced?: boolean };
  let coll: Collection<Row>;
  beforeAll(async () => {
    coll = client.db().collection<Row>('rw');
    await coll.createIndex({ email: 1 }, { unique: true });
  });
  afterEach(() => coll.deleteMany({}));

  it('after updates, replacements, findOneAndUpdate and deletes of documents already read', async () => {
    await coll.insertMany([{ email: 'a@x.test', n: 1, tags: ['x'] }, { email: 'b@x.test', n: 2 }]);
    expect((await coll.findOne({ email: 'a@x.test' }))?.n).toBe(1);
    await coll.updateOne({ email: 'a@x.test' }, { $set: { n: 10 }, $push: { tags: 'y' } });
    expect(await coll.findOne({ email: 'a@x.test' }, { projection: { _id: 0 } })).toEqual({ email: 'a@x.test', n: 10, tags: ['x', 'y'] });
    await coll.updateOne({ email: 'a@x.test' }, { $set: { email: 'c@x.test' } });
    expect(await coll.findOne({ email: 'a@x.test' })).toBeNull();
    expect((await coll.findOne({ email: 'c@x.test' }))?.n).toBe(10);
    await coll.replaceOne({ email: 'c@x.test' }, { email: 'c@x.test', replaced: true });
    expect(await coll.findOne({ email: 'c@x.test' }, { projection: { _id: 0 } })).toEqual({ email: 'c@x.test', replaced: true });
    const before = await coll.findOneAndUpdate({ email: 'b@x.test' }, { $inc: { n: 1 } });
    expect(before?.n).toBe(2);
    expect((await coll.findOne({ email: 'b@x.test' }))?.n).toBe(3);
    await coll.deleteOne({ email: 'b@x.test' });
    expect(await coll.findOne({ email: 'b@x.test' })).toBeNull();
    await coll.insertOne({ email: 'b@x.test', n: 4 });
    expect((await coll.findOne({ email: 'b@x.test' }))?.n).toBe(4);
  });

  it('after a drop, a rename and a re-insert under the same _id', async () => {
    const _id = new ObjectId();
    await coll.insertOne({ _id, email: 'd@x.test', v: 1 });
    expect((await coll.findOne({ _id }))?.v).toBe(1);
    await coll.deleteOne({ _id });
    await coll.insertOne({ _id, email: 'd@x.test', v: 2 });
    expect((await coll.findOne({ _id }))?.v).toBe(2);
    expect((await coll.findOne({ email: 'd@x.test' }))?.v).toBe(2);

    const tmp = client.db().collection('rw_tmp');
    await tmp.insertOne({ _id, v: 'old' });
    expect((await tmp.findOne({ _id }))?.v).toBe('old');
    await tmp.drop();
    await tmp.insertOne({ _id, v: 'new' });
    expect((await tmp.findOne({ _id }))?.v).toBe('new');
    await tmp.rename('rw_renamed');
    const renamed = client.db().collection('rw_renamed');
    expect((await renamed.findOne({ _id }))?.v).toBe('new');
    await renamed.updateOne({ _id }, { $set: { v: 'newer' } });
    expect((await renamed.findOne({ _id }))?.v).toBe('newer');
    await renamed.drop();
  });

  it('serves many concurrent lookups each with its own document', async () => {
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ email: `u${i}@x.test`, n: i })));
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => coll.findOne({ email: `u${(i * 7) % 300}@x.test` })));
    results.forEach((d, i) => expect(d?.n).toBe((i * 7) % 300));
  });
});

describe('mongoose lookups by a unique field', () => {
  const conn = mongoose.createConnection(testDbUri('lookups_mg'));
  const Person = conn.model('Person', new Schema({ email: { type: String, unique: true }, name: String, visits: Number, tags: [String] }));
  beforeAll(async () => {
    await conn.asPromise();
    await Person.init();
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('finds by the unique index with select and lean, and after save', async () => {
    await Person.create([{ email: 'ann@x.test', name: 'Ann', visits: 1, tags: ['a'] }, { email: 'bob@x.test', name: 'Bob', visits: 2 }]);
    expect(await Person.findOne({ email: 'bob@x.test' }).select('name -_id').lean()).toEqual({ name: 'Bob' });
    const ann = await Person.findOne({ email: 'ann@x.test' });
    expect(ann?.tags).toEqual(['a']);
    ann!.visits = 5;
    await ann!.save();
    expect((await Person.findOne({ email: 'ann@x.test' }).lean())?.visits).toBe(5);
    expect(await Person.findOne({ email: 'nobody@x.test' }).lean()).toBeNull();
    expect(await Person.exists({ email: 'ann@x.test' })).toBeTruthy();
  });
});
