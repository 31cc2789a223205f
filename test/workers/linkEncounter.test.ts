import { spawn } from 'node:child_process';
import path from 'node:path';
import mongoose, { trusted, Types } from 'mongoose';
import { Redis } from 'ioredis';
import { Worker, type Job } from 'bullmq';
import '../../server/store/connection';
import { testDbUri } from '../helpers/db';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { directContext } from '../helpers/workerContext';
import { buildAgency } from '../helpers/factories';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { storeEncounter as record } from '../helpers/people';
import { requestLink, LINK_JOB } from '../../server/linkage/requestLink';
import { Encounter } from '../../server/models/Encounter';
import { Person } from '../../server/models/Person';
import { MatchReview } from '../../server/models/MatchReview';
import { linkEncounter } from '../../workers/processors/linkEncounter';
import { linkEncounter as linkStored } from '../../server/linkage/linkEncounter';
import { domainConfig } from '../../config/domain';
import { startWorkers } from '../../workers/runtime';
import { bullPrefix, QUEUE_NAMES } from '../../workers/queues';
import { DETECT_JOB } from '../../server/alerts/requestDetection';
import { releaseDetectionLock, tryDetectionLock } from '../../server/alerts/detectionLock';
import { detectAlertsProcessor } from '../../workers/processors/detectAlerts';
import { resolveDuty } from '../../server/duty/options';
import { until } from '../helpers/until';

const prefix = uniquePrefix('linkjob');
const dbUri = testDbUri('linkjob');
const redis = new Redis(TEST_REDIS_URL);
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const logger = createLogger('silent');
const ctx = directContext({ redis, logger, redisPrefix: prefix });

beforeAll(async () => {
  await mongoose.connect(dbUri);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
});
afterAll(async () => {
  await ctx.closeQueues();
  await closeRedis(connection);
  await closeRedis(redis);
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
  await cleanupPrefix(prefix);
});

function jobFor(encounterId: string): Job {
  return { id: encounterId, name: LINK_JOB, data: { encounterId }, attemptsMade: 0 } as unknown as Job;
}

describe('linkEncounter processor', () => {
  it('stores a record unlinked, then links it once however often the job runs', async () => {
    const agency = await buildAgency();
    const e = await record(agency, { givenName: 'Harriet', familyName: 'Oyelaran', dateOfBirth: '1984-05-09', postcode: 'LS6 2AB' });
    expect(e.personId).toBeNull();
    expect(e.link?.status).toBe('pending');
    expect(e.blockingKeys.length).toBeGreaterThan(3);
    // Blocking values stay in the store; they never reach Redis (job data is the id only).
    const first = (await linkEncounter(jobFor(e.id), ctx)) as { outcome: string; personId: string; detection: string };
    const second = (await linkEncounter(jobFor(e.id), ctx)) as { outcome: string; reason: string; personId: string };
    expect(first.outcome).toBe('new');
    expect(second).toMatchObject({ outcome: 'skipped', reason: 'not_pending', personId: first.personId });
    expect(first.personId).toBe(e.id);
    expect(await Person.countDocuments({ agencyIds: agency._id })).toBe(1);
    const linked = await Encounter.findById(e._id);
    expect(linked!.link).toMatchObject({ status: 'auto', method: 'new_person' });
    // The person was evaluated by the link job itself (nobody else held them): no job between.
    expect(first.detection).toBe('ran');
    expect(second).not.toHaveProperty('detection', expect.anything());
    const detect = await ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(detect.filter((j) => j.name === DETECT_JOB && j.data.personId === first.personId)).toHaveLength(0);
  });

  it('hands detection the person as the link left them, and keeps those facts out of the job result', async () => {
    const [a, b] = [await buildAgency(), await buildAgency({ kind: 'acute' })];
    const subject = { givenName: 'Marguerite', familyName: 'Oduya', dateOfBirth: '1966-03-28', postcode: 'LS7 3QT' };
    const e1 = await record(a, subject);
    const r1 = await linkStored({ encounterId: e1._id });
    expect(r1.outcome).toBe('new');
    expect(r1.person).toEqual({ agencyIds: [a._id], mergedInto: null });
    const e2 = await record(b, subject);
    const r2 = await linkStored({ encounterId: e2._id });
    const stored = (await Person.findById(r2.personId).lean())!;
    expect([r2.outcome, r2.personId]).toEqual(['link', e1.id]);
    expect(r2.person!.agencyIds.map(String).sort()).toEqual(stored.agencyIds.map(String).sort());
    expect(r2.person!.agencyIds).toHaveLength(2);
    const e3 = await record(a, { ...subject, postcode: 'LS7 3QU' });
    const r3 = (await linkEncounter(jobFor(e3.id), ctx)) as Record<string, unknown>;
    expect(r3).toMatchObject({ outcome: 'link', personId: e1.id, detection: 'ran' });
    expect(r3).not.toHaveProperty('person');
  });

  it('fills a gap in the person\'s demographics from a linked record, and never overwrites a value', async () => {
    const [a, b, c] = [await buildAgency(), await buildAgency({ kind: 'acute' }), await buildAgency({ kind: 'police' })];
    const subject = { givenName: 'Perpetua', familyName: 'Lindqvist-Obi', dateOfBirth: '1958-09-14' };
    const e1 = await record(a, subject);
    await linkStored({ encounterId: e1._id });
    expect((await Person.findById(e1._id).lean())?.demographics?.postcode).toBeNull();
    const r2 = await linkStored({ encounterId: (await record(b, { ...subject, postcode: 'BD7 1DP' }))._id });
    expect([r2.outcome, r2.personId]).toEqual(['link', e1.id]);
    expect((await Person.findById(e1._id).lean())?.demographics?.postcode).toBe('BD7 1DP');
    const r3 = await linkStored({ encounterId: (await record(c, { ...subject, postcode: 'BD7 1DQ' }))._id });
    expect([r3.outcome, r3.personId]).toEqual(['link', e1.id]);
    const person = (await Person.findById(e1._id).lean())!;
    expect(person.demographics?.postcode).toBe('BD7 1DP');
    expect(person.agencyIds.map(String).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(r3.person!.agencyIds.map(String).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('queues detection instead when another run is evaluating the person, and that job waits for it', async () => {
    const agency = await buildAgency();
    const e = await record(agency, { givenName: 'Ottilie', familyName: 'Brennan-Achebe', dateOfBirth: '1992-02-17' });
    // Another run holds the person (the person made for this record takes its id).
    const lock = { redis, redisPrefix: prefix };
    const token = await tryDetectionLock(lock, e.id);
    expect(token).not.toBeNull();
    const r = (await linkEncounter(jobFor(e.id), ctx)) as { outcome: string; personId: string; detection: string };
    expect([r.outcome, r.detection]).toEqual(['new', 'queued']);
    const queued = (await ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'prioritized'])).filter((j) => j.name === DETECT_JOB && j.data.personId === r.personId);
    expect(queued).toHaveLength(1);
    // The queued run waits while the lock is held, and runs once it is released.
    let done = false;
    const run = detectAlertsProcessor(resolveDuty())(queued[0], ctx).then(() => (done = true));
    await new Promise((res) => setTimeout(res, 150));
    expect(done).toBe(false);
    await releaseDetectionLock(lock, e.id, token!);
    await run;
    expect(done).toBe(true);
    expect(await tryDetectionLock(lock, e.id)).not.toBeNull(); // released by the run
  });

  it('links a second agency\'s record of the same person to the same person and adds the agency', async () => {
    const [a, b] = [await buildAgency(), await buildAgency({ kind: 'acute' })];
    const subject = { givenName: 'Tobias', familyName: 'Ferreira-Lund', dateOfBirth: '1979-12-01', postcode: 'M14 5RT' };
    const e1 = await record(a, subject);
    await linkEncounter(jobFor(e1.id), ctx);
    const e2 = await record(b, { ...subject, givenName: 'Toby', postcode: 'm145rt' });
    const r = (await linkEncounter(jobFor(e2.id), ctx)) as { outcome: string; personId: string };
    expect(r).toMatchObject({ outcome: 'link', personId: e1.id });
    const person = await Person.findById(e1._id);
    expect(person!.agencyIds.map(String).sort()).toEqual([a.id, b.id].sort());
    expect(person!.searchTerms).toEqual(expect.arrayContaining(['g:toby', 'g:tobias', 'f:ferreira lund']));
  });

  it('refuses a job without a valid encounter id permanently, and skips an unknown one', async () => {
    await expect(linkEncounter({ id: 'x', data: { encounterId: { $gt: '' } } } as unknown as Job, ctx)).rejects.toThrow('bad encounter id');
    expect(await linkEncounter(jobFor(new Types.ObjectId().toHexString()), ctx)).toMatchObject({ outcome: 'skipped', reason: 'not_found' });
  });
});

describe('candidate blocks', () => {
  const capped = (maxBlockSize: number) => ({ ...domainConfig().matching, blocking: { ...domainConfig().matching.blocking, maxBlockSize } });

  it('skips a block past the cap and still links through the blocks within it', async () => {
    const agency = await buildAgency();
    // Three records of one person: the blocks they share with a fourth hold three records each.
    const subject = { givenName: 'Ottoline', familyName: 'Venkataraman', dateOfBirth: '1961-02-17', postcode: 'BD7 1DP' };
    for (let i = 0; i < 3; i++) await linkStored({ encounterId: (await record(agency, subject)).id });
    const fourth = await record(agency, subject);
    const person = (await Encounter.findOne({ 'subject.familyName': 'Venkataraman', personId: trusted({ $ne: null }) }))!.personId;
    // Cap 3: the blocks are at the cap, so the fourth joins the person.
    expect(await linkStored({ encounterId: fourth.id, config: capped(3) })).toMatchObject({ outcome: 'link', personId: String(person) });
    // Cap 3 again: the blocks now hold four records, past the cap, so there is nobody to compare with.
    const fifth = await record(agency, subject);
    expect(await linkStored({ encounterId: fifth.id, config: capped(3) })).toMatchObject({ outcome: 'new' });
  });

  it('finds the one matching record behind a block far past the cap (each block then read on its own)', async () => {
    const agency = await buildAgency();
    // 40 different people with one name: the name blocks alone hold more rows than one read of
    // every block takes at cap 2, so the blocks are read one by one.
    for (let i = 0; i < 40; i++) {
      const e = await record(agency, { givenName: 'Peregrine', familyName: 'Osei-Bonsu', dateOfBirth: `19${40 + i}-0${1 + (i % 9)}-1${i % 10}`, postcode: `LS${1 + i} 1AA` });
      await linkStored({ encounterId: e.id });
    }
    const target = await Encounter.findOne({ 'subject.familyName': 'Osei-Bonsu', 'subject.dateOfBirth': '1957-09-17' });
    expect(target!.personId).not.toBeNull();
    const again = await record(agency, { givenName: 'Peregrine', familyName: 'Osei-Bonsu', dateOfBirth: '1957-09-17', postcode: 'LS18 1AA' });
    expect(await linkStored({ encounterId: again.id, config: capped(2) })).toMatchObject({ outcome: 'link', personId: String(target!.personId) });
  });
});

describe('link workers', () => {
  it('ends 20 records of one new person, linked at once by two workers, as one person', async () => {
    const linkOnly = [{ queue: QUEUE_NAMES.linkage, concurrency: 4, processors: { linkEncounter } }];
    const w1 = await startWorkers({ registry: linkOnly, connection, ctx: { redis, logger, redisPrefix: prefix } });
    const w2 = await startWorkers({ registry: linkOnly, connection, ctx: { redis, logger, redisPrefix: prefix } });
    try {
      const agencies = await Promise.all(Array.from({ length: 4 }, () => buildAgency()));
      const subject = { givenName: 'Wilhelmina', familyName: 'Achterberg', dateOfBirth: '1966-02-14', postcode: 'YO1 7HH' };
      const records = [];
      for (let i = 0; i < 20; i++) records.push(await record(agencies[i % 4], subject));
      await requestLink((name) => ctx.queue(name), records.map((e) => e.id as string));
      const ids = records.map((e) => e._id);
      await until(async () => (await Encounter.countDocuments({ _id: mongoose.trusted({ $in: ids }), 'link.status': 'pending' })) === 0, 20_000);
      const linked = await Encounter.find({ _id: mongoose.trusted({ $in: ids }) });
      const people = new Set(linked.map((e) => String(e.personId)));
      expect(people.size).toBe(1);
      expect(await Person.countDocuments({ 'demographics.familyName': 'Achterberg' })).toBe(1);
      const person = await Person.findById([...people][0]);
      expect(person!.agencyIds).toHaveLength(4);
      expect(await MatchReview.countDocuments({ encounterId: mongoose.trusted({ $in: ids }) })).toBe(0);
    } finally {
      await w1.close(5000);
      await w2.close(5000);
    }
  }, 60_000);

  it('leaves no half-linked record when a worker is killed mid-job, and the retry makes one person', async () => {
    const agency = await buildAgency();
    const e = await record(agency, { givenName: 'Ingrid', familyName: 'Maclachlan', dateOfBirth: '1958-08-30', postcode: 'EH3 9QG' });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../fixtures/linkWorker.ts')], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, MONGODB_URI: dbUri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let worker: Worker | undefined;
    try {
      await until(async () => out.includes('ready'), 30_000);
      await requestLink((name) => ctx.queue(name), [e.id as string]);
      await until(async () => out.includes('person-written'), 20_000);

      // Killed between the two writes: the person exists, the record is still pending and unlinked.
      child.kill('SIGKILL');
      await exited;
      expect(await Person.exists({ _id: e._id })).toBeTruthy();
      const halfway = await Encounter.findById(e._id);
      expect(halfway!.link?.status).toBe('pending');
      expect(halfway!.personId).toBeNull();

      // Another worker notices the stalled job and runs it again.
      worker = new Worker(QUEUE_NAMES.linkage, (job) => linkEncounter(job, ctx), { connection, prefix: bullPrefix(prefix), stalledInterval: 500 });
      // Read the job once it is completed: a copy read just before would lack its return value.
      const queue = ctx.queue(QUEUE_NAMES.linkage);
      await until(async () => (await queue.getJobState(e.id as string)) === 'completed', 40_000);
      const done = (await queue.getJob(e.id as string))!;
      expect(done.returnvalue).toMatchObject({ outcome: 'new', personId: e.id });
      const linked = await Encounter.findById(e._id);
      expect(linked!.link?.status).toBe('auto');
      expect(String(linked!.personId)).toBe(e.id);
      expect(await Person.countDocuments({ 'demographics.familyName': 'Maclachlan' })).toBe(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await worker?.close();
    }
  }, 90_000);
});
