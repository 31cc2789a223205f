/**
 * Re-keying stored encounters: a record whose blocking values were computed under other blocking
 * keys (fewer keys, another version, or before versions were stored) gets the values and version
 * of the current keys, so the link job finds it through keys added since; an up-to-date record is
 * not written, a record written since the re-key read it is not overwritten, and every record is
 * met whatever the batch size. Runs on the test run's store (the embedded one unless MONGODB_URI
 * names a real MongoDB).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Types } from 'mongoose';
import '../../server/store/connection';
import { useWorkerEnv } from '../helpers/workerContext';
import { buildAgency } from '../helpers/factories';
import { storeEncounter as record } from '../helpers/people';
import { firstKeys, makeStale, OLD_KEY_COUNT } from '../helpers/blockingKeys';
import { linkEncounter } from '../../server/linkage/linkEncounter';
import { readRekeyBatches, rekeyEncounters, writeRekeyBatch, type RekeyResult, type RekeyRow } from '../../server/linkage/rekey';
import { blockingValuesOf, blockingVersionOf, normaliseSubject } from '../../server/linkage/subject';
import { Encounter } from '../../server/models/Encounter';
import { MatchReview } from '../../server/models/MatchReview';
import { domainConfig } from '../../config/domain';

const env = useWorkerEnv('rekey');

/** The blocking values the current keys give the record's stored subject. */
async function currentValues(id: unknown): Promise<string[]> {
  const e = (await Encounter.findById(id).lean())!;
  return blockingValuesOf(normaliseSubject(String(e._id), String(e.agencyId), e.subject));
}

const stored = async (id: unknown) => (await Encounter.collection.findOne({ _id: new Types.ObjectId(String(id)) }))!;

beforeEach(async () => {
  await Encounter.collection.deleteMany({});
});

describe('rekeyEncounters', () => {
  it('stores new records with the current blocking version', async () => {
    const e = await record(await buildAgency(), { givenName: 'Harriet', familyName: 'Oyelaran', dateOfBirth: '1984-05-09' });
    expect(blockingVersionOf()).toMatch(/^[0-9a-f]{16}$/);
    expect((await stored(e._id)).blockingVersion).toBe(blockingVersionOf());
    // The version follows the keys: one key fewer is another version.
    const matching = domainConfig().matching;
    const fewer = { ...matching, blocking: { ...matching.blocking, keys: matching.blocking.keys.slice(0, OLD_KEY_COUNT) } };
    expect(blockingVersionOf(fewer)).not.toBe(blockingVersionOf());
    expect(blockingVersionOf(structuredClone(matching))).toBe(blockingVersionOf());
  });

  it('gives stale records the current keys and version, and leaves up-to-date ones unwritten', async () => {
    const agency = await buildAgency();
    const unversioned = await record(agency, { givenName: 'Harriet', familyName: 'Oyelaran', dateOfBirth: '1984-05-09', postcode: 'LS6 2AB' });
    const oldVersion = await record(agency, { givenName: 'Tobias', familyName: 'Wainwright', dateOfBirth: '1971-11-30', nhsNumber: '9434765919' });
    const nullVersion = await record(agency, { givenName: 'Agnieszka', familyName: 'Kowalczyk', address: '12 Mill Lane, Leeds' });
    const current = await record(agency, { givenName: 'Mabel', familyName: 'Ferreira', dateOfBirth: '1990-01-02' });
    await makeStale(unversioned._id, 'unset');
    await makeStale(oldVersion._id, '0123456789abcdef');
    await makeStale(nullVersion._id, null);
    // An up-to-date version is trusted: the record is not read for values, let alone written.
    await Encounter.collection.updateOne({ _id: current._id }, { $set: { blockingKeys: ['marker'] } });
    expect('blockingVersion' in (await stored(unversioned._id))).toBe(false);
    for (const e of [unversioned, oldVersion, nullVersion]) expect((await stored(e._id)).blockingKeys).not.toEqual(await currentValues(e._id));

    expect(await rekeyEncounters()).toEqual({ scanned: 4, updated: 3 });
    for (const e of [unversioned, oldVersion, nullVersion]) {
      const after = await stored(e._id);
      expect(after.blockingKeys).toEqual(await currentValues(e._id));
      expect(after.blockingKeys.some((v: string) => Number(v.split('|')[0]) >= OLD_KEY_COUNT)).toBe(true);
      expect(after.blockingVersion).toBe(blockingVersionOf());
    }
    expect((await stored(current._id)).blockingKeys).toEqual(['marker']);

    // A second run finds nothing to do.
    expect(await rekeyEncounters()).toEqual({ scanned: 4, updated: 0 });
  });

  it('does not overwrite a record written after the re-key read it', async () => {
    const agency = await buildAgency();
    const e = await record(agency, { givenName: 'Harriet', familyName: 'Oyelaran', dateOfBirth: '1984-05-09' });
    const other = await record(agency, { givenName: 'Tobias', familyName: 'Wainwright', dateOfBirth: '1971-11-30' });
    await makeStale(e._id, 'unset');
    await makeStale(other._id, '0123456789abcdef');
    let rows: RekeyRow[] = [];
    for await (const batch of readRekeyBatches(10)) {
      rows = batch;
      break;
    }
    expect(rows.map((r) => String(r._id))).toEqual([String(e._id), String(other._id)]);

    // Meanwhile another re-key (say, under newer keys) writes both records.
    await Encounter.collection.updateMany({}, { $set: { blockingKeys: ['newer'], blockingVersion: 'fedcba9876543210' } });

    expect(await writeRekeyBatch(rows)).toBe(0);
    for (const id of [e._id, other._id]) {
      expect((await stored(id)).blockingKeys).toEqual(['newer']);
      expect((await stored(id)).blockingVersion).toBe('fedcba9876543210');
    }
  });

  it('walks every record across batch boundaries, in id order', async () => {
    const agency = await buildAgency();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const e = await record(agency, { givenName: 'Imogen', familyName: `Batchley${String.fromCharCode(97 + i)}`, dateOfBirth: `1970-03-0${i + 1}` });
      await makeStale(e._id, i % 2 ? '0123456789abcdef' : 'unset');
      ids.push(String(e._id));
    }
    const progress: RekeyResult[] = [];
    expect(await rekeyEncounters({ batchSize: 3, onProgress: (p) => void progress.push(p) })).toEqual({ scanned: 7, updated: 7 });
    expect(progress).toEqual([{ scanned: 3, updated: 3 }, { scanned: 6, updated: 6 }, { scanned: 7, updated: 7 }]);
    for (const id of ids) expect((await stored(id)).blockingVersion).toBe(blockingVersionOf());

    // A count that fills its last batch exactly ends on the empty read after it.
    await Encounter.collection.deleteOne({ _id: new Types.ObjectId(ids[6]) });
    await Encounter.collection.updateMany({}, { $set: { blockingVersion: null } });
    progress.length = 0;
    expect(await rekeyEncounters({ batchSize: 3, onProgress: (p) => void progress.push(p) })).toEqual({ scanned: 6, updated: 6 });
    expect(progress).toEqual([{ scanned: 3, updated: 3 }, { scanned: 6, updated: 6 }]);
  });

  it('lets the link job find an old record through a key added since, once re-keyed', async () => {
    // Swapped names, nothing else: the two spellings share only the name_pair key (position 25).
    const names = (given: string, family: string) => ({ givenName: given, familyName: family });
    const sharedNewKeys = (a: string[], b: string[]) => a.filter((v) => b.includes(v));
    const police = await buildAgency();
    const trust = await buildAgency({ kind: 'mental_health' });

    // Before the re-key: the old record stays out of reach.
    const oldA = await record(police, names('Perpetua', 'Okonkwo'));
    await linkEncounter({ encounterId: oldA._id });
    const full = (await stored(oldA._id)).blockingKeys as string[];
    await makeStale(oldA._id, 'unset');
    const newA = await record(trust, names('Okonkwo', 'Perpetua'));
    const valuesA = (await stored(newA._id)).blockingKeys as string[];
    const shared = sharedNewKeys(full, valuesA);
    expect(shared).toHaveLength(1);
    expect(Number(shared[0].split('|')[0])).toBeGreaterThanOrEqual(OLD_KEY_COUNT);
    expect(sharedNewKeys(firstKeys(full), valuesA)).toEqual([]);
    const before = await linkEncounter({ encounterId: newA._id });
    expect(before.outcome).toBe('new');
    expect(before.personId).not.toBe(String((await stored(oldA._id)).personId));

    // After it: the same situation (other people, so the first pair stays out of it) finds it.
    const oldB = await record(police, names('Ottoline', 'Adebayo'));
    await linkEncounter({ encounterId: oldB._id });
    await makeStale(oldB._id, 'unset');
    expect(await rekeyEncounters()).toMatchObject({ updated: 2 });
    const newB = await record(trust, names('Adebayo', 'Ottoline'));
    // Swapped names alone score between the thresholds: a reviewer is asked, with the old record.
    const after = await linkEncounter({ encounterId: newB._id });
    expect(after.outcome).toBe('review');
    const review = await MatchReview.findById(after.reviewId).lean();
    expect(review!.candidates.map((c) => String(c.matchedEncounterId))).toEqual([String(oldB._id)]);
    expect(review!.candidates.map((c) => String(c.personId))).toEqual([String((await stored(oldB._id)).personId)]);
  });
});

describe('a record stored under other blocking keys and linked before any re-key', () => {
  it('gets the current values and version with its link, in the same write', async () => {
    const e = await record(await buildAgency(), { givenName: 'Ingrid', familyName: 'Castellanos', dateOfBirth: '1969-10-03', postcode: 'NE1 4LP' });
    await makeStale(e._id, '0123456789abcdef');
    expect((await stored(e._id)).blockingKeys.length).toBeLessThan((await currentValues(e._id)).length);
    const r = await linkEncounter({ encounterId: e._id });
    expect(r.outcome).toBe('new');
    const after = await stored(e._id);
    expect(after.blockingKeys).toEqual(await currentValues(e._id));
    expect(after.blockingVersion).toBe(blockingVersionOf());
    expect(after.link.status).toBe('auto');
  });

  it('leaves an up-to-date record\'s values as they were', async () => {
    const e = await record(await buildAgency(), { givenName: 'Ingrid', familyName: 'Castellanos', dateOfBirth: '1969-10-03' });
    await Encounter.collection.updateOne({ _id: e._id }, { $set: { blockingKeys: ['marker'] } });
    await linkEncounter({ encounterId: e._id });
    expect((await stored(e._id)).blockingKeys).toEqual(['marker']);
  });
});

describe('npm run linkage:rekey', () => {
  function run(args: string[], extraEnv: Record<string, string | undefined>): Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../server/linkage/rekeyCli.ts'), ...args], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, MONGODB_URI: undefined, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  }

  it('re-keys the stored records and prints the counts, progress on stderr', async () => {
    const agency = await buildAgency();
    const a = await record(agency, { givenName: 'Harriet', familyName: 'Oyelaran', dateOfBirth: '1984-05-09' });
    const b = await record(agency, { givenName: 'Tobias', familyName: 'Wainwright', dateOfBirth: '1971-11-30' });
    await record(agency, { givenName: 'Mabel', familyName: 'Ferreira', dateOfBirth: '1990-01-02' });
    await makeStale(a._id, 'unset');
    await makeStale(b._id, '0123456789abcdef');

    const res = await run(['--batch-size', '2'], { MONGODB_URI: env.dbUri });
    expect(res.code).toBe(0);
    expect(res.out).toBe('scanned=3 updated=2\n');
    expect(res.err).toContain('scanned 2, updated');
    expect(res.err).not.toMatch(/Harriet|Oyelaran|Wainwright|1984/);
    expect((await stored(a._id)).blockingVersion).toBe(blockingVersionOf());
    expect((await stored(b._id)).blockingKeys).toEqual(await currentValues(b._id));
  }, 60_000);

  it('refuses to run without MONGODB_URI or with a bad batch size', async () => {
    const missing = await run([], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('MONGODB_URI is not set');
    const bad = await run(['--batch-size', '0'], { MONGODB_URI: env.dbUri });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--batch-size needs a positive whole number');
  }, 60_000);
});
