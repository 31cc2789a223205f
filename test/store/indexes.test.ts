/** Unique, compound, sparse and partial indexes; duplicate-key errors as mongoose surfaces them. */
import mongoose, { Schema } from 'mongoose';
import { testDbUri } from '../helpers/db';

const conn = mongoose.createConnection(testDbUri('indexes'));

const accountSchema = new Schema({ email: String, agency: String, ref: String, nhs: String, status: String });
accountSchema.index({ email: 1 }, { unique: true });
accountSchema.index({ agency: 1, ref: 1 }, { unique: true });
accountSchema.index({ nhs: 1 }, { unique: true, sparse: true });
accountSchema.index({ status: 1, email: 1 }, { unique: true, partialFilterExpression: { status: 'active' }, name: 'one_active' });
const Account = conn.model('Account', accountSchema);

beforeAll(async () => {
  await conn.asPromise();
  await Account.init();
});
afterEach(() => Account.deleteMany({}));
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

describe('index definitions', () => {
  it('lists the indexes mongoose declared', async () => {
    const indexes = await Account.listIndexes();
    const byName = Object.fromEntries(indexes.map((ix) => [ix.name, ix]));
    expect(Object.keys(byName).sort()).toEqual(['_id_', 'agency_1_ref_1', 'email_1', 'nhs_1', 'one_active'].sort());
    expect(byName.email_1).toMatchObject({ key: { email: 1 }, unique: true });
    expect(byName.nhs_1).toMatchObject({ unique: true, sparse: true });
    expect(byName.one_active.partialFilterExpression).toEqual({ status: 'active' });
  });

  it('syncIndexes drops undeclared indexes and creates declared ones', async () => {
    await Account.collection.createIndex({ ref: 1 }, { name: 'stray_ref' });
    const dropped = await Account.syncIndexes();
    expect(dropped).toContain('stray_ref');
    const names = (await Account.listIndexes()).map((ix) => ix.name);
    expect(names).not.toContain('stray_ref');
    expect(names).toContain('email_1');
    expect(await Account.syncIndexes()).toEqual([]);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const coll = conn.db!.collection('dupbuild');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(coll.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    await coll.drop();
  });
});

describe('unique, compound, sparse and partial constraints', () => {
  it('unique: refuses a second document with the same key, with code, keyPattern and keyValue', async () => {
    await Account.create({ email: 'a@x.test' });
    const err = await Account.create({ email: 'a@x.test' }).catch((e) => e);
    expect(err).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x.test' } });
    expect(err.message).toMatch(/E11000 duplicate key error collection: .*accounts index: email_1 dup key/);
  });

  it('compound: only the combination must be unique', async () => {
    await Account.create({ email: '1@x.test', agency: 'A', ref: 'r1' });
    await Account.create({ email: '2@x.test', agency: 'B', ref: 'r1' });
    await Account.create({ email: '3@x.test', agency: 'A', ref: 'r2' });
    await expect(Account.create({ email: '4@x.test', agency: 'A', ref: 'r1' })).rejects.toMatchObject({
      code: 11000, keyValue: { agency: 'A', ref: 'r1' },
    });
  });

  it('sparse: documents without the field do not collide', async () => {
    await Account.create({ email: 's1@x.test', agency: 'S', ref: '1' });
    await Account.create({ email: 's2@x.test', agency: 'S', ref: '2' });
    await Account.create({ email: 's3@x.test', agency: 'S', ref: '3', nhs: '999' });
    await expect(Account.create({ email: 's4@x.test', agency: 'S', ref: '4', nhs: '999' })).rejects.toMatchObject({ code: 11000 });
  });

  it('non-sparse unique: two documents missing a compound field collide on null', async () => {
    const coll = conn.db!.collection('nulls');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    await expect(coll.insertOne({ a: 2 })).rejects.toMatchObject({ code: 11000, keyValue: { k: null } });
    await coll.drop();
  });

  it('partial: uniqueness applies only to documents matching the filter', async () => {
    await Account.create({ email: 'p@x.test', agency: 'P', ref: '1', status: 'active' });
    await Account.collection.insertOne({ email: 'p@x.test', status: 'closed' }).catch(() => undefined);
    const coll = conn.db!.collection('partials');
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
    await coll.insertMany([{ email: 'q', status: 'closed' }, { email: 'q', status: 'closed' }, { email: 'q', status: 'active' }]);
    await expect(coll.insertOne({ email: 'q', status: 'active' })).rejects.toMatchObject({ code: 11000 });
    await expect(coll.updateOne({ status: 'closed' }, { $set: { status: 'active' } })).rejects.toMatchObject({ code: 11000 });
    await coll.drop();
  });

  it('an update that would create a duplicate is refused and leaves the document unchanged', async () => {
    await Account.create({ email: 'u1@x.test', agency: 'U', ref: '1' });
    const b = await Account.create({ email: 'u2@x.test', agency: 'U', ref: '2' });
    await expect(Account.updateOne({ _id: b._id }, { $set: { email: 'u1@x.test' } })).rejects.toMatchObject({ code: 11000 });
    await expect(Account.findOneAndUpdate({ _id: b._id }, { $set: { email: 'u1@x.test' } })).rejects.toMatchObject({ code: 11000 });
    expect((await Account.findById(b._id).lean())?.email).toBe('u2@x.test');
    expect(await Account.countDocuments({ email: 'u1@x.test' })).toBe(1);
  });

  it('finds by an indexed field after updates move the key', async () => {
    const a = await Account.create({ email: 'm1@x.test', agency: 'M', ref: '1' });
    await Account.updateOne({ _id: a._id }, { $set: { email: 'm2@x.test' } });
    expect(await Account.findOne({ email: 'm1@x.test' })).toBeNull();
    expect((await Account.findOne({ email: 'm2@x.test' }).lean())?._id.toString()).toBe(a._id.toString());
    await Account.create({ email: 'm1@x.test', agency: 'M', ref: '2' });
  });
});

describe('duplicate keys in bulk writes', () => {
  const batch = () => [
    { email: 'b0@x.test', agency: 'B', ref: '0' },
    { email: 'b1@x.test', agency: 'B', ref: '1' },
    { email: 'b0@x.test', agency: 'B', ref: '2' },
    { email: 'b3@x.test', agency: 'B', ref: '3' },
  ];

  it('ordered insertMany stops at the first duplicate and reports its index', async () => {
    const err = await Account.insertMany(batch()).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.writeErrors?.[0]?.index ?? err.index).toBe(2);
    // The driver keeps only index/code/errmsg for bulk write errors; the key is in the message.
    expect(err.writeErrors?.[0]?.errmsg ?? err.errmsg).toMatch(/index: email_1 dup key: \{ email: "b0@x\.test" \}/);
    expect(await Account.countDocuments({ agency: 'B' })).toBe(2);
  });

  it('unordered insertMany inserts everything else and reports each duplicate', async () => {
    const err = await Account.insertMany(batch(), { ordered: false }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.writeErrors.map((w: { index: number }) => w.index)).toEqual([2]);
    expect(err.insertedDocs).toHaveLength(3);
    expect(await Account.countDocuments({ agency: 'B' })).toBe(3);
  });

  it('bulkWrite reports the failing operation index (ordered and unordered)', async () => {
    const ops = batch().map((d) => ({ insertOne: { document: d } }));
    const ordered = await Account.bulkWrite(ops).catch((e) => e);
    expect(ordered.code).toBe(11000);
    expect(ordered.writeErrors[0].index).toBe(2);
    expect(ordered.result.insertedCount).toBe(2);
    await Account.deleteMany({});
    const unordered = await Account.bulkWrite(ops, { ordered: false }).catch((e) => e);
    expect(unordered.writeErrors.map((w: { index: number }) => w.index)).toEqual([2]);
    expect(unordered.result.insertedCount).toBe(3);
    expect(unordered.writeErrors[0].errmsg).toMatch(/dup key: \{ email: "b0@x\.test" \}/);
  });

  it('bulkWrite mixes updates, upserts and deletes', async () => {
    await Account.create({ email: 'mix@x.test', agency: 'X', ref: '1' });
    const res = await Account.bulkWrite([
      { updateOne: { filter: { email: 'mix@x.test' }, update: { $set: { status: 'on' } } } },
      { updateOne: { filter: { email: 'up@x.test' }, update: { $set: { agency: 'X', ref: '2' } }, upsert: true } },
      { deleteOne: { filter: { email: 'mix@x.test' } } },
    ]);
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });
    expect(await Account.countDocuments({ agency: 'X' })).toBe(1);
  });
});
