/** Everyday mongoose features on top of the store: populate, timestamps, exists, discriminators, sessions. */
import mongoose, { Schema } from 'mongoose';
import { testDbUri } from '../helpers/db';

const conn = mongoose.createConnection(testDbUri('mongoose'));
const Agency = conn.model('Agency', new Schema({ name: { type: String, required: true } }, { timestamps: true }));
const Member = conn.model('Member', new Schema({
  name: String, agency: { type: Schema.Types.ObjectId, ref: 'Agency' }, roles: [String], active: { type: Boolean, default: true },
}, { timestamps: true }));
const eventSchema = new Schema({ at: Date }, { discriminatorKey: 'kind' });
const Event = conn.model('Event', eventSchema);
const Alert = Event.discriminator('Alert', new Schema({ level: Number }));

beforeAll(() => conn.asPromise());
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

describe('mongoose features', () => {
  it('populates references, single and many', async () => {
    const [a, b] = await Agency.create([{ name: 'Police' }, { name: 'NHS' }]);
    await Member.create([{ name: 'm1', agency: a._id }, { name: 'm2', agency: b._id }, { name: 'm3', agency: a._id }]);
    const members = await Member.find().sort({ name: 1 }).populate<{ agency: { name: string } }>('agency').lean();
    expect(members.map((m) => m.agency.name)).toEqual(['Police', 'NHS', 'Police']);
  });

  it('sets createdAt/updatedAt and keeps createdAt on update and upsert', async () => {
    const ag = await Agency.create({ name: 'Council' });
    const created = ag.createdAt;
    await new Promise((r) => setTimeout(r, 5));
    await Agency.updateOne({ _id: ag._id }, { $set: { name: 'City Council' } });
    const after = await Agency.findById(ag._id).lean();
    expect(after?.createdAt?.getTime()).toBe(created.getTime());
    expect(after!.updatedAt!.getTime()).toBeGreaterThan(created.getTime());
    await Agency.updateOne({ name: 'Ambulance' }, { $set: { name: 'Ambulance' } }, { upsert: true });
    const up = await Agency.findOne({ name: 'Ambulance' }).lean();
    expect(up?.createdAt).toBeInstanceOf(Date);
  });

  it('exists, save of a modified document, validation and defaults', async () => {
    const m = await Member.create({ name: 'saver', roles: ['a'] });
    expect(m.active).toBe(true);
    expect(await Member.exists({ name: 'saver' })).toBeTruthy();
    expect(await Member.exists({ name: 'nobody' })).toBeNull();
    m.roles.push('b');
    m.name = 'saved';
    await m.save();
    const back = await Member.findById(m._id).lean();
    expect(back).toMatchObject({ name: 'saved', roles: ['a', 'b'] });
    await expect(Agency.create({})).rejects.toThrow(/required/);
    await m.deleteOne();
    expect(await Member.findById(m._id)).toBeNull();
  });

  it('stores discriminators in one collection and queries by kind', async () => {
    await Alert.create({ at: new Date(), level: 2 });
    await Event.create({ at: new Date() });
    expect(await Event.countDocuments()).toBe(2);
    const alerts = await Alert.find().lean();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'Alert', level: 2 });
  });

  it('runs operations inside a session without a transaction', async () => {
    const session = await conn.startSession();
    try {
      await Agency.create([{ name: 'InSession' }], { session });
      expect(await Agency.countDocuments({ name: 'InSession' }).session(session)).toBe(1);
    } finally {
      await session.endSession();
    }
  });
});
