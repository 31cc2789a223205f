/**
 * CRUD and update operators, driven through mongoose and the driver only, so the same suite runs
 * against real MongoDB when MONGODB_URI is set.
 */
import mongoose, { Schema } from 'mongoose';
import { MongoClient } from 'mongodb';
import { testDbUri } from '../helpers/db';

const uri = testDbUri('crud');
const conn = mongoose.createConnection(uri);

const Person = conn.model('Person', new Schema({
  name: String,
  email: { type: String, unique: true, sparse: true },
  age: Number,
  visits: Number,
  tags: [String],
  scores: [Number],
  address: { city: String, zip: String },
  items: [{ sku: String, qty: Number }],
  createdVia: String,
  seenAt: Date,
}));

beforeAll(async () => {
  await conn.asPromise();
  await Person.init();
});
afterEach(() => Person.deleteMany({}));
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

describe('basic CRUD', () => {
  it('creates and finds documents by id and by field', async () => {
    const p = await Person.create({ name: 'Ann', age: 30, address: { city: 'Leeds' } });
    expect((await Person.findById(p._id).lean())?.name).toBe('Ann');
    expect((await Person.findOne({ 'address.city': 'Leeds' }).lean())?.age).toBe(30);
    expect(await Person.findOne({ name: 'Nobody' })).toBeNull();
  });

  it('updates one and many, reporting matched and modified counts', async () => {
    await Person.insertMany([{ name: 'a', age: 1 }, { name: 'b', age: 1 }, { name: 'c', age: 2 }]);
    const one = await Person.updateOne({ age: 1 }, { $set: { visits: 1 } });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const many = await Person.updateMany({ age: 1 }, { $set: { visits: 1 } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 1 });
    expect(await Person.countDocuments({ visits: 1 })).toBe(2);
  });

  it('deletes one and many', async () => {
    await Person.insertMany([{ name: 'a', age: 1 }, { name: 'b', age: 1 }, { name: 'c', age: 2 }]);
    expect((await Person.deleteOne({ age: 1 })).deletedCount).toBe(1);
    expect((await Person.deleteMany({ age: { $gte: 1 } })).deletedCount).toBe(2);
    expect(await Person.countDocuments()).toBe(0);
  });

  it('replaces a whole document but keeps its _id', async () => {
    const p = await Person.create({ name: 'Old', age: 5 });
    await Person.replaceOne({ _id: p._id }, { name: 'New' });
    const after = await Person.findById(p._id).lean();
    expect(after?.name).toBe('New');
    expect(after?.age).toBeUndefined();
  });

  it('matches with $in, $nin, $ne, $exists, $or, $regex and $elemMatch', async () => {
    await Person.insertMany([
      { name: 'Ann', age: 30, tags: ['x'], items: [{ sku: 'a', qty: 1 }] },
      { name: 'Bob', age: 40, tags: ['y'], items: [{ sku: 'b', qty: 5 }] },
      { name: 'Cat', tags: [] },
    ]);
    const names = async (f: object) => (await Person.find(f).sort({ name: 1 }).lean()).map((d) => d.name);
    expect(await names({ age: { $in: [30, 40] } })).toEqual(['Ann', 'Bob']);
    expect(await names({ age: { $nin: [30] } })).toEqual(['Bob', 'Cat']);
    expect(await names({ age: { $ne: 30 } })).toEqual(['Bob', 'Cat']);
    expect(await names({ age: { $exists: false } })).toEqual(['Cat']);
    expect(await names({ age: null })).toEqual(['Cat']);
    expect(await names({ $or: [{ name: 'Ann' }, { age: 40 }] })).toEqual(['Ann', 'Bob']);
    expect(await names({ name: /^b/i })).toEqual(['Bob']);
    expect(await names({ tags: 'y' })).toEqual(['Bob']);
    expect(await names({ items: { $elemMatch: { sku: 'b', qty: { $gt: 2 } } } })).toEqual(['Bob']);
    expect(await names({ 'items.qty': { $lt: 3 } })).toEqual(['Ann']);
  });
});

describe('query operators', () => {
  it('combines ranges, $not, $all, $size, $in with regex, nested $and/$or and $ne on arrays', async () => {
    await Person.insertMany([
      { name: 'Ann', age: 30, tags: ['x', 'y'], items: [{ sku: 'a', qty: 1 }] },
      { name: 'Bob', age: 40, tags: ['y'], items: [{ sku: 'b', qty: 5 }, { sku: 'c', qty: 2 }] },
      { name: 'Cat', age: null, tags: [] },
    ]);
    const names = async (f: object) => (await Person.find(f).sort({ name: 1 }).lean()).map((d) => d.name);
    expect(await names({ age: { $gt: 25, $lt: 35 } })).toEqual(['Ann']);
    expect(await names({ age: { $not: { $gt: 35 } } })).toEqual(['Ann', 'Cat']);
    expect(await names({ tags: { $all: ['x', 'y'] } })).toEqual(['Ann']);
    expect(await names({ tags: { $size: 0 } })).toEqual(['Cat']);
    expect(await names({ name: { $in: [/^a/i, 'Cat'] } })).toEqual(['Ann', 'Cat']);
    expect(await names({ $and: [{ $or: [{ age: 30 }, { age: 40 }] }, { tags: { $ne: 'x' } }] })).toEqual(['Bob']);
    expect(await names({ 'items.sku': { $ne: 'b' } })).toEqual(['Ann', 'Cat']);
    expect(await names({ age: { $exists: true } })).toEqual(['Ann', 'Bob', 'Cat']);
    expect(await names({ age: { $type: 'null' } })).toEqual(['Cat']);
    expect(await names({ $expr: { $gt: [{ $size: '$items' }, 1] } })).toEqual(['Bob']);
    expect(await names({ 'items.1.qty': 2 })).toEqual(['Bob']);
  });
});

describe('upserts', () => {
  it('inserts with $setOnInsert and the query equality fields, then only updates', async () => {
    const first = await Person.updateOne(
      { email: 'u@example.test' },
      { $set: { name: 'U' }, $setOnInsert: { createdVia: 'upsert' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeTruthy();
    await Person.updateOne(
      { email: 'u@example.test' },
      { $set: { name: 'U2' }, $setOnInsert: { createdVia: 'second' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    const docs = await Person.find({ email: 'u@example.test' }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ name: 'U2', createdVia: 'upsert', visits: 2 });
  });

  it('findOneAndUpdate honours returnDocument and upsert', async () => {
    await Person.create({ email: 'f@example.test', visits: 1 });
    const before = await Person.findOneAndUpdate({ email: 'f@example.test' }, { $inc: { visits: 1 } }, { returnDocument: 'before' }).lean();
    expect(before?.visits).toBe(1);
    const after = await Person.findOneAndUpdate({ email: 'f@example.test' }, { $inc: { visits: 1 } }, { returnDocument: 'after' }).lean();
    expect(after?.visits).toBe(3);
    const none = await Person.findOneAndUpdate({ email: 'missing@example.test' }, { $set: { name: 'x' } }, { returnDocument: 'after' });
    expect(none).toBeNull();
    const created = await Person.findOneAndUpdate(
      { email: 'new@example.test' },
      { $setOnInsert: { createdVia: 'fau' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).toMatchObject({ email: 'new@example.test', createdVia: 'fau' });
    const removed = await Person.findOneAndDelete({ email: 'new@example.test' }).lean();
    expect(removed?.createdVia).toBe('fau');
    expect(await Person.countDocuments({ email: 'new@example.test' })).toBe(0);
  });

  it('findOneAndUpdate picks the first document in sort order', async () => {
    await Person.insertMany([{ name: 'a', age: 3 }, { name: 'b', age: 1 }, { name: 'c', age: 2 }]);
    const doc = await Person.findOneAndUpdate({}, { $set: { visits: 9 } }, { sort: { age: 1 }, returnDocument: 'after' }).lean();
    expect(doc?.name).toBe('b');
  });
});

describe('update operators', () => {
  it('$set, $unset, $inc, $min, $max, $rename and $currentDate', async () => {
    const p = await Person.create({ name: 'Op', age: 10, visits: 5, address: { city: 'York', zip: 'Y1' } });
    await Person.collection.updateOne({ _id: p._id }, {
      $set: { 'address.city': 'Hull' },
      $unset: { 'address.zip': '' },
      $inc: { visits: 2 },
      $min: { age: 7 },
      $max: { scores: [1] },
      $rename: { name: 'nickname' },
      $currentDate: { seenAt: true },
    });
    const d = await Person.collection.findOne({ _id: p._id });
    expect(d).toMatchObject({ address: { city: 'Hull' }, visits: 7, age: 7, nickname: 'Op', scores: [1] });
    expect(d?.name).toBeUndefined();
    expect(d?.address.zip).toBeUndefined();
    expect(d?.seenAt).toBeInstanceOf(Date);
    await Person.collection.updateOne({ _id: p._id }, { $min: { age: 9 }, $max: { visits: 3 } });
    expect(await Person.collection.findOne({ _id: p._id })).toMatchObject({ age: 7, visits: 7 });
  });

  it('$push (with $each/$slice/$sort), $addToSet, $pull, $pullAll and $pop', async () => {
    const p = await Person.create({ tags: ['a'], scores: [5, 1], items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] });
    await Person.updateOne({ _id: p._id }, { $push: { tags: 'b' }, $addToSet: { scores: 5 } });
    await Person.updateOne({ _id: p._id }, { $addToSet: { tags: { $each: ['b', 'c'] } } });
    let d = await Person.findById(p._id).lean();
    expect(d?.tags).toEqual(['a', 'b', 'c']);
    expect(d?.scores).toEqual([5, 1]);
    await Person.updateOne({ _id: p._id }, { $push: { scores: { $each: [9, 3], $sort: -1, $slice: 3 } } });
    d = await Person.findById(p._id).lean();
    expect(d?.scores).toEqual([9, 5, 3]);
    await Person.updateOne({ _id: p._id }, { $pull: { items: { sku: 'a' }, scores: { $gte: 9 } } });
    d = await Person.findById(p._id).lean();
    expect(d?.items.map((i) => i.sku)).toEqual(['b']);
    expect(d?.scores).toEqual([5, 3]);
    await Person.updateOne({ _id: p._id }, { $pullAll: { tags: ['a', 'c'] }, $pop: { scores: 1 } });
    d = await Person.findById(p._id).lean();
    expect(d?.tags).toEqual(['b']);
    expect(d?.scores).toEqual([5]);
  });

  it('updates array elements by position, $[] and array filters', async () => {
    const p = await Person.create({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }] });
    await Person.updateOne({ _id: p._id, 'items.sku': 'b' }, { $set: { 'items.$.qty': 20 } });
    await Person.updateOne({ _id: p._id }, { $inc: { 'items.$[].qty': 1 } });
    await Person.updateOne({ _id: p._id }, { $set: { 'items.$[big].sku': 'BIG' } }, { arrayFilters: [{ 'big.qty': { $gte: 4 } }] });
    const d = await Person.findById(p._id).lean();
    expect(d?.items.map((i) => [i.sku, i.qty])).toEqual([['a', 2], ['BIG', 21], ['BIG', 4]]);
  });

  it('refuses to change _id and refuses $inc on a string', async () => {
    const p = await Person.create({ name: 'Imm' });
    await expect(Person.collection.updateOne({ _id: p._id }, { $set: { _id: new mongoose.Types.ObjectId() } })).rejects.toMatchObject({ code: 66 });
    await expect(Person.collection.updateOne({ _id: p._id }, { $inc: { name: 1 } })).rejects.toMatchObject({ code: 14 });
  });
});

describe('projection, sorting, skip and limit', () => {
  it('includes or excludes fields and keeps _id unless excluded', async () => {
    await Person.create({ name: 'P', age: 3, address: { city: 'Ely', zip: 'E1' } });
    const inc = await Person.findOne({}, { name: 1, 'address.city': 1 }).lean();
    expect(Object.keys(inc!).sort()).toEqual(['_id', 'address', 'name']);
    expect((inc as Record<string, unknown>).address).toEqual({ city: 'Ely' });
    const exc = await Person.findOne({}, { address: 0, _id: 0, __v: 0 }).lean();
    expect(exc).toEqual({ name: 'P', age: 3, tags: [], scores: [], items: [] });
    const sel = await Person.findOne().select('-age').lean();
    expect(sel?.age).toBeUndefined();
    expect(sel?.name).toBe('P');
  });

  it('sorts on several keys, skips and limits', async () => {
    await Person.insertMany([{ name: 'a', age: 2 }, { name: 'b', age: 1 }, { name: 'c', age: 2 }, { name: 'd', age: 1 }]);
    const docs = await Person.find().sort({ age: -1, name: 1 }).skip(1).limit(2).lean();
    expect(docs.map((d) => d.name)).toEqual(['c', 'b']);
  });

  it('counts and finds distinct values', async () => {
    await Person.insertMany([{ name: 'a', tags: ['x', 'y'] }, { name: 'b', tags: ['y', 'z'] }, { name: 'c' }]);
    expect(await Person.countDocuments({ tags: 'y' })).toBe(2);
    expect(await Person.estimatedDocumentCount()).toBe(3);
    expect((await Person.distinct('tags')).sort()).toEqual(['x', 'y', 'z']);
    expect((await Person.distinct('name', { tags: 'z' }))).toEqual(['b']);
  });
});

describe('server behaviour', () => {
  it('answers an unknown command with code 59', async () => {
    await expect(conn.db!.command({ definitelyNotACommand: 1 })).rejects.toMatchObject({ code: 59 });
  });

  it('stores and returns large documents and large batches', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const coll = conn.db!.collection('big');
    await coll.insertMany(Array.from({ length: 8 }, (_, i) => ({ i, big })));
    const docs = await coll.find().sort({ i: 1 }).toArray();
    expect(docs).toHaveLength(8);
    expect(docs.every((d) => d.big.length === big.length)).toBe(true);
    await coll.drop();
  });

  it('serves concurrent clients without losing writes', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => new MongoClient(uri).connect()));
    try {
      const coll = (c: MongoClient) => c.db().collection('counters');
      await coll(clients[0]).insertOne({ _id: 'hits' as never, n: 0 });
      await Promise.all(clients.flatMap((c) => Array.from({ length: 25 }, () => coll(c).updateOne({ _id: 'hits' as never }, { $inc: { n: 1 } }))));
      expect((await coll(clients[1]).findOne({ _id: 'hits' as never }))?.n).toBe(100);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('never keeps the writes of an aborted transaction (or refuses transactions, naming MONGODB_URI)', async () => {
    const session = await conn.startSession();
    let refused: Error | undefined;
    try {
      session.startTransaction();
      await Person.create([{ name: 'in-txn' }], { session });
      await session.abortTransaction();
    } catch (err) {
      refused = err as Error;
      if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    // The embedded store must refuse and name the remedy; a real standalone server refuses in its own words.
    const embedded = String((await conn.db!.admin().buildInfo()).version).includes('embedded');
    if (embedded) expect(refused?.message).toMatch(/MONGODB_URI/);
    expect(await Person.countDocuments({ name: 'in-txn' })).toBe(0);
  });
});
