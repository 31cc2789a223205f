/** Cursors: batchSize, getMore, killCursors, through the driver and mongoose. */
import mongoose, { Schema } from 'mongoose';
import { Long, MongoClient, type CommandStartedEvent, type Collection } from 'mongodb';
import { testDbUri } from '../helpers/db';

const uri = testDbUri('cursors');
let client: MongoClient;
let coll: Collection<{ i: number }>;
const started: CommandStartedEvent[] = [];
const conn = mongoose.createConnection(uri);
const Item = conn.model('Item', new Schema({ i: Number }), 'items');

beforeAll(async () => {
  client = new MongoClient(uri, { monitorCommands: true });
  client.on('commandStarted', (e) => started.push(e));
  await client.connect();
  await conn.asPromise();
  coll = client.db().collection('items');
  await coll.insertMany(Array.from({ length: 25 }, (_, i) => ({ i })));
});
beforeEach(() => { started.length = 0; });
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
  await conn.close();
});

const getMores = () => started.filter((e) => e.commandName === 'getMore');

describe('cursors', () => {
  it('returns every document in batches, fetching the rest with getMore', async () => {
    const docs = await coll.find({}, { batchSize: 4 }).sort({ i: 1 }).toArray();
    expect(docs.map((d) => d.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(getMores().length).toBe(6);
  });

  it('respects limit together with batchSize', async () => {
    const docs = await coll.find({ i: { $gte: 10 } }, { batchSize: 3, limit: 7 }).sort({ i: -1 }).toArray();
    expect(docs.map((d) => d.i)).toEqual([24, 23, 22, 21, 20, 19, 18]);
  });

  it('kills a cursor on close, after which getMore on it fails with CursorNotFound', async () => {
    const cursor = coll.find({}, { batchSize: 2 });
    await cursor.next();
    const id = cursor.id as Long;
    expect(id.isZero()).toBe(false);
    await cursor.close();
    expect(started.some((e) => e.commandName === 'killCursors')).toBe(true);
    await expect(client.db().command({ getMore: id, collection: 'items' })).rejects.toMatchObject({ code: 43 });
  });

  it('iterates a mongoose query cursor with a batch size', async () => {
    const seen: number[] = [];
    for await (const doc of Item.find().sort({ i: 1 }).batchSize(5).cursor()) seen.push(doc.i as number);
    expect(seen).toHaveLength(25);
    expect(seen[24]).toBe(24);
  });

  it('pages aggregation results with getMore', async () => {
    const out = await coll.aggregate([{ $match: { i: { $lt: 10 } } }, { $sort: { i: -1 } }], { batchSize: 3 }).toArray();
    expect(out.map((d) => d.i)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(getMores().length).toBeGreaterThanOrEqual(3);
  });

  it('a snapshot cursor is not disturbed by concurrent deletes', async () => {
    const other = client.db().collection('snap');
    await other.insertMany(Array.from({ length: 6 }, (_, i) => ({ i })));
    const cursor = other.find({}, { batchSize: 2 }).sort({ i: 1 });
    const first = await cursor.next();
    await other.deleteMany({ i: { $gte: 4 } });
    const rest = await cursor.toArray();
    expect(first?.i).toBe(0);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    await other.drop();
  });
});
