import mongoose from 'mongoose';
import { testDbUri } from '../helpers/db';

describe('store smoke test through mongoose', () => {
  const conn = mongoose.createConnection(testDbUri('smoke'));
  const User = conn.model('SmokeUser', new mongoose.Schema({ email: { type: String, unique: true }, visits: Number }));

  beforeAll(async () => {
    await conn.asPromise();
    await User.init();
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('creates, reads, updates and deletes a document', async () => {
    const created = await User.create({ email: 'a@example.test', visits: 1 });
    await User.updateOne({ _id: created._id }, { $inc: { visits: 2 } });
    const found = await User.findOne({ email: 'a@example.test' }).lean();
    expect(found?.visits).toBe(3);
    await User.deleteOne({ _id: created._id });
    expect(await User.countDocuments()).toBe(0);
  });

  it('refuses a duplicate on a unique index with E11000', async () => {
    await User.create({ email: 'dup@example.test' });
    await expect(User.create({ email: 'dup@example.test' })).rejects.toMatchObject({ code: 11000, keyValue: { email: 'dup@example.test' } });
  });
});
