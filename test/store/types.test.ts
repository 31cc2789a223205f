/** BSON types: round trips, numeric comparison across types, $inc promotion, mixed-type sort, $type. */
import mongoose, { Schema } from 'mongoose';
import { Binary, Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { testDbUri } from '../helpers/db';

const uri = testDbUri('types');
let client: MongoClient;
let coll: Collection<Document>;
const conn = mongoose.createConnection(uri);
const Ledger = conn.model('Ledger', new Schema({ name: String, amount: Schema.Types.Decimal128, big: BigInt, count: Number }));

beforeAll(async () => {
  client = await new MongoClient(uri, { promoteLongs: false }).connect();
  coll = client.db().collection('values');
  await conn.asPromise();
});
afterEach(() => coll.deleteMany({}));
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
  await conn.close();
});

describe('BSON types', () => {
  it('round-trips every common type', async () => {
    const doc = {
      _id: new ObjectId(),
      s: 'text', i: 42, d: 1.5, l: Long.fromString('9007199254740993'), dec: Decimal128.fromString('12.345'),
      b: true, n: null, date: new Date('2024-02-29T12:00:00Z'), bin: new Binary(Buffer.from([1, 2, 3])),
      nested: { a: [1, { b: 'c' }] }, oid: new ObjectId(),
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: doc._id });
    expect(back?.l).toBeInstanceOf(Long);
    expect(back?.l.toString()).toBe('9007199254740993');
    expect(back?.dec).toBeInstanceOf(Decimal128);
    expect(back?.dec.toString()).toBe('12.345');
    expect(back?.date.toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(Buffer.from(back?.bin.buffer).toString('hex')).toBe('010203');
    expect(back).toMatchObject({ s: 'text', i: 42, d: 1.5, b: true, n: null, nested: { a: [1, { b: 'c' }] } });
    expect(String(back?.oid)).toBe(String(doc.oid));
  });

  it('compares Int32, Double, Long and Decimal128 by numeric value', async () => {
    await coll.insertMany([
      { k: 'int', v: new Int32(5) }, { k: 'double', v: new Double(5.5) }, { k: 'long', v: Long.fromNumber(7) },
      { k: 'dec', v: Decimal128.fromString('6.25') }, { k: 'bigLong', v: Long.fromString('10000000000') }, { k: 'dec2', v: Decimal128.fromString('10') },
    ]);
    const ks = async (f: Document) => (await coll.find(f).sort({ v: 1 }).toArray()).map((d) => d.k);
    expect(await ks({ v: { $gt: 5 } })).toEqual(['double', 'dec', 'long', 'dec2', 'bigLong']);
    expect(await ks({ v: { $lte: Decimal128.fromString('6.25') } })).toEqual(['int', 'double', 'dec']);
    expect(await ks({ v: 10 })).toEqual(['dec2']);
    expect(await ks({ v: Long.fromNumber(5) })).toEqual(['int']);
    expect(await ks({ v: { $in: [7, 9] } })).toEqual(['long']);
    expect(await ks({ v: { $lt: Long.fromString('9999999999') } })).toEqual(['int', 'double', 'dec', 'long', 'dec2']);
  });

  it('$inc keeps Long and Decimal128 types and exact values', async () => {
    const { insertedId } = await coll.insertOne({ l: Long.fromString('9007199254740993'), dec: Decimal128.fromString('0.1'), i: 1 });
    await coll.updateOne({ _id: insertedId }, { $inc: { l: 2, dec: Decimal128.fromString('0.2'), i: Long.fromNumber(1) } });
    const d = await coll.findOne({ _id: insertedId });
    expect(d?.l).toBeInstanceOf(Long);
    expect(d?.l.toString()).toBe('9007199254740995');
    expect(d?.dec).toBeInstanceOf(Decimal128);
    expect(Number(d?.dec.toString())).toBeCloseTo(0.3, 10);
    expect(d?.i).toBeInstanceOf(Long);
    expect(d?.i.toString()).toBe('2');
  });

  it('$sum in $group adds Long and Decimal128 values', async () => {
    await coll.insertMany([{ g: 1, v: Long.fromNumber(2) }, { g: 1, v: 3 }, { g: 2, v: Decimal128.fromString('1.5') }, { g: 2, v: 1 }]);
    const out = await coll.aggregate([{ $group: { _id: '$g', s: { $sum: '$v' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(out[0].s.toString()).toBe('5');
    expect(out[1].s).toBeInstanceOf(Decimal128);
    expect(Number(out[1].s.toString())).toBe(2.5);
  });

  it('sorts mixed types in MongoDB order', async () => {
    const oid = new ObjectId();
    await coll.insertMany([
      { k: 'date', v: new Date(0) }, { k: 'true', v: true }, { k: 'oid', v: oid }, { k: 'array', v: [] },
      { k: 'obj', v: { a: 1 } }, { k: 'str', v: 'a' }, { k: 'num', v: 2 }, { k: 'null', v: null }, { k: 'missing' }, { k: 'long', v: Long.fromNumber(1) },
    ]);
    const order = (await coll.find({}).sort({ v: 1, k: 1 }).toArray()).map((d) => d.k);
    // An empty array sorts as missing/null, before numbers.
    expect(order).toEqual(['array', 'missing', 'null', 'long', 'num', 'str', 'obj', 'oid', 'true', 'date']);
  });

  it('matches by $type, including objectId, long and decimal', async () => {
    await coll.insertMany([
      { k: 'oid', v: new ObjectId() }, { k: 'long', v: Long.fromNumber(3) }, { k: 'dec', v: Decimal128.fromString('1') },
      { k: 'int', v: 3 }, { k: 'double', v: 3.5 }, { k: 'str', v: 's' }, { k: 'date', v: new Date() },
    ]);
    const ks = async (t: unknown) => (await coll.find({ v: { $type: t } }).sort({ k: 1 }).toArray()).map((d) => d.k);
    expect(await ks('objectId')).toEqual(['oid']);
    expect(await ks('long')).toEqual(['long']);
    expect(await ks('decimal')).toEqual(['dec']);
    expect(await ks('int')).toEqual(['int']);
    expect(await ks('double')).toEqual(['double']);
    expect(await ks('number')).toEqual(['dec', 'double', 'int', 'long']);
    expect(await ks(['string', 'date'])).toEqual(['date', 'str']);
  });

  it('mongoose Decimal128 and BigInt fields survive and compare', async () => {
    await Ledger.create([{ name: 'a', amount: '10.10', big: 2n ** 60n }, { name: 'b', amount: '9.99', big: 5n }]);
    const rich = await Ledger.find({ amount: { $gt: Decimal128.fromString('10') } }).lean();
    expect(rich.map((d) => d.name)).toEqual(['a']);
    expect(rich[0].amount?.toString()).toBe('10.10');
    const big = await Ledger.findOne({ big: { $gt: 2n ** 59n } });
    expect(big?.big).toBe(2n ** 60n);
    await Ledger.updateOne({ name: 'b' }, { $inc: { amount: Decimal128.fromString('0.01') } });
    expect((await Ledger.findOne({ name: 'b' }).lean())?.amount?.toString()).toMatch(/^10\.00?$/);
  });
});
