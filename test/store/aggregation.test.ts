/** Aggregation pipelines through mongoose. */
import mongoose, { Schema, Types } from 'mongoose';
import { testDbUri } from '../helpers/db';

const conn = mongoose.createConnection(testDbUri('aggregation'));
const Team = conn.model('Team', new Schema({ name: String, agency: String }));
const Case = conn.model('Case', new Schema({
  ref: String, agency: String, severity: Number, teamIds: [Schema.Types.ObjectId], teamId: Schema.Types.ObjectId, tags: [String],
}));

let teams: { _id: Types.ObjectId; name?: string | null }[];

beforeAll(async () => {
  await conn.asPromise();
  teams = await Team.insertMany([{ name: 'red', agency: 'A' }, { name: 'blue', agency: 'A' }, { name: 'green', agency: 'B' }]);
  await Case.insertMany([
    { ref: 'c1', agency: 'A', severity: 3, teamIds: [teams[0]._id, teams[1]._id], teamId: teams[0]._id, tags: ['x', 'y'] },
    { ref: 'c2', agency: 'A', severity: 1, teamIds: [teams[1]._id], teamId: teams[1]._id, tags: ['y'] },
    { ref: 'c3', agency: 'B', severity: 2, teamIds: [], tags: [] },
    { ref: 'c4', agency: 'B', severity: 5, teamIds: [teams[2]._id], teamId: teams[2]._id, tags: ['z'] },
  ]);
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

describe('aggregation', () => {
  it('$match, $group with $sum/$avg/$max/$push, $sort', async () => {
    const out = await Case.aggregate([
      { $match: { severity: { $gte: 1 } } },
      { $group: { _id: '$agency', n: { $sum: 1 }, total: { $sum: '$severity' }, avg: { $avg: '$severity' }, worst: { $max: '$severity' }, refs: { $push: '$ref' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 'A', n: 2, total: 4, avg: 2, worst: 3, refs: ['c1', 'c2'] },
      { _id: 'B', n: 2, total: 7, avg: 3.5, worst: 5, refs: ['c3', 'c4'] },
    ]);
  });

  it('$project with computed fields, $skip and $limit', async () => {
    const out = await Case.aggregate([
      { $sort: { severity: -1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 0, ref: 1, double: { $multiply: ['$severity', 2] } } },
    ]);
    expect(out).toEqual([{ ref: 'c1', double: 6 }, { ref: 'c3', double: 4 }]);
  });

  it('$lookup on a scalar localField', async () => {
    const out = await Case.aggregate([
      { $match: { ref: { $in: ['c1', 'c3'] } } },
      { $lookup: { from: 'teams', localField: 'teamId', foreignField: '_id', as: 'team' } },
      { $sort: { ref: 1 } },
    ]);
    expect(out[0].team.map((t: { name: string }) => t.name)).toEqual(['red']);
    expect(out[1].team).toEqual([]);
  });

  it('$lookup on an array localField matches each element and nothing else', async () => {
    const out = await Case.aggregate([
      { $lookup: { from: 'teams', localField: 'teamIds', foreignField: '_id', as: 'teams' } },
      { $project: { ref: 1, names: '$teams.name' } },
      { $sort: { ref: 1 } },
    ]);
    expect(out.map((d) => [d.ref, [...d.names].sort()])).toEqual([
      ['c1', ['blue', 'red']], ['c2', ['blue']], ['c3', []], ['c4', ['green']],
    ]);
  });

  it('$lookup with a pipeline', async () => {
    const out = await Team.aggregate([
      { $match: { name: 'blue' } },
      { $lookup: { from: 'cases', let: { tid: '$_id' }, pipeline: [{ $match: { $expr: { $in: ['$$tid', '$teamIds'] } } }, { $project: { ref: 1 } }], as: 'cases' } },
    ]);
    expect(out[0].cases.map((c: { ref: string }) => c.ref).sort()).toEqual(['c1', 'c2']);
  });

  it('$unwind then $group counts tags; $count counts documents', async () => {
    const tags = await Case.aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }]);
    expect(tags).toEqual([{ _id: 'y', n: 2 }, { _id: 'x', n: 1 }, { _id: 'z', n: 1 }]);
    expect(await Case.aggregate([{ $match: { agency: 'A' } }, { $count: 'total' }])).toEqual([{ total: 2 }]);
  });

  it('$facet runs several pipelines over the same input', async () => {
    const [out] = await Case.aggregate([
      { $facet: { byAgency: [{ $group: { _id: '$agency', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], top: [{ $sort: { severity: -1 } }, { $limit: 1 }, { $project: { _id: 0, ref: 1 } }] } },
    ]);
    expect(out).toEqual({ byAgency: [{ _id: 'A', n: 2 }, { _id: 'B', n: 2 }], top: [{ ref: 'c4' }] });
  });

  it('does not change stored documents', async () => {
    await Case.aggregate([{ $addFields: { severity: 100, agency: 'changed' } }, { $unwind: '$tags' }]);
    await Case.aggregate([{ $lookup: { from: 'teams', localField: 'teamIds', foreignField: '_id', as: 'teamIds' } }]);
    const stored = await Case.findOne({ ref: 'c1' }).lean();
    expect(stored).toMatchObject({ severity: 3, agency: 'A', tags: ['x', 'y'] });
    expect(stored?.teamIds.map(String)).toEqual([String(teams[0]._id), String(teams[1]._id)]);
  });

  it('countDocuments with filter, skip and limit', async () => {
    expect(await Case.countDocuments()).toBe(4);
    expect(await Case.countDocuments({ agency: 'B' })).toBe(2);
    expect(await Case.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await Case.countDocuments({ agency: 'none' })).toBe(0);
  });
});
