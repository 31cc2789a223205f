/**
 * The `rekeyEncounters` job on the maintenance queue: queued once per blocking version when the
 * workers start (job id `rekey-<version>`), it re-keys stale records through a real worker and
 * reports its counts as progress; starting again under the same version does not run it again,
 * a job that failed is retried, and a worker on another blocking version hands the job back.
 */
import { Types } from 'mongoose';
import { Redis } from 'ioredis';
import { UnrecoverableError, type Job } from 'bullmq';
import '../../server/store/connection';
import { useWorkerEnv } from '../helpers/workerContext';
import { buildAgency } from '../helpers/factories';
import { TEST_REDIS_URL } from '../helpers/redis';
import { until } from '../helpers/until';
import { closeRedis } from '../../server/redis';
import { storeEncounter } from '../helpers/people';
import { makeStale } from '../helpers/blockingKeys';
import { REKEY_JOB, rekeyJobId, requestRekey } from '../../server/linkage/rekey';
import { blockingValuesOf, blockingVersionOf, normaliseSubject } from '../../server/linkage/subject';
import { Encounter } from '../../server/models/Encounter';
import { rekeyEncounters } from '../../workers/processors/rekeyEncounters';
import { REGISTRY } from '../../workers/registry';
import { startWorkers } from '../../workers/runtime';
import { QUEUE_NAMES } from '../../workers/queues';
import type { AgencyDoc } from '../../server/models/Agency';

const env = useWorkerEnv('rekeyjob');
const { ctx } = env;
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  await closeRedis(connection);
});
// Each test counts what a run over the whole collection does.
beforeEach(async () => {
  await Encounter.collection.deleteMany({});
});

/** A record as stored under the first 18 keys, before versions were kept. */
async function staleRecord(agency: AgencyDoc, familyName: string) {
  const encounter = await storeEncounter(agency, { givenName: 'Imogen', familyName, dateOfBirth: '1975-04-12' });
  await makeStale(encounter._id);
  return encounter;
}

async function isCurrent(id: Types.ObjectId): Promise<boolean> {
  const e = (await Encounter.collection.findOne({ _id: id }))!;
  const values = blockingValuesOf(normaliseSubject(String(e._id), String(e.agencyId), e.subject));
  return e.blockingVersion === blockingVersionOf() && JSON.stringify(e.blockingKeys) === JSON.stringify(values);
}

const maintenanceQueue = () => ctx.queue(QUEUE_NAMES.maintenance);
const maintenanceOnly = () => REGISTRY.filter((r) => r.queue === QUEUE_NAMES.maintenance);

function fakeJob(data: unknown, progress: unknown[] = []): Job {
  return { id: 'rekey-test', name: REKEY_JOB, data, attemptsMade: 0, updateProgress: async (p: unknown) => void progress.push(p) } as unknown as Job;
}

describe('rekeyEncounters processor', () => {
  it('is registered on a queue of its own, not on the system queue whose heartbeat and sweeps would wait behind it', () => {
    expect(maintenanceOnly()).toHaveLength(1);
    expect(maintenanceOnly()[0].processors[REKEY_JOB]).toBe(rekeyEncounters);
    expect(REGISTRY.filter((r) => REKEY_JOB in r.processors).map((r) => r.queue)).toEqual([QUEUE_NAMES.maintenance]);
  });

  it('re-keys stale records and reports the counts as progress', async () => {
    const agency = await buildAgency();
    const a = await staleRecord(agency, 'Abernethy');
    const b = await staleRecord(agency, 'Blackwood');
    const progress: unknown[] = [];
    const result = await rekeyEncounters(fakeJob({ version: blockingVersionOf() }, progress), ctx);
    expect(result).toMatchObject({ updated: 2 });
    expect(progress.at(-1)).toEqual(result);
    expect(await isCurrent(a._id)).toBe(true);
    expect(await isCurrent(b._id)).toBe(true);
  });

  it('refuses bad job data for good, and hands back a job for another blocking version', async () => {
    const e = await staleRecord(await buildAgency(), 'Carrington');
    await expect(rekeyEncounters(fakeJob({}), ctx)).rejects.toBeInstanceOf(UnrecoverableError);
    const other = rekeyEncounters(fakeJob({ version: '0123456789abcdef' }), ctx);
    await expect(other).rejects.toThrow('blocking version 0123456789abcdef');
    await expect(other).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(await isCurrent(e._id)).toBe(false);
  });
});

describe('rekeyEncounters through a worker', () => {
  it('runs once per blocking version, and again after it failed', async () => {
    const agency = await buildAgency();
    const first = await staleRecord(agency, 'Drummond');
    const jobId = rekeyJobId(blockingVersionOf());

    // A worker whose job fails for good: the job is kept as failed.
    const broken = await startWorkers({
      registry: [{ queue: QUEUE_NAMES.maintenance, concurrency: 1, processors: { [REKEY_JOB]: async () => { throw new UnrecoverableError('broken'); } } }],
      connection,
      ctx: env.ctx,
    });
    try {
      expect(await requestRekey((name) => ctx.queue(name))).toBe(jobId);
      await until(async () => (await maintenanceQueue().getJobState(jobId)) === 'failed', 10_000, 'job failed');
    } finally {
      await broken.close(5000);
    }
    expect(await isCurrent(first._id)).toBe(false);

    // The next start queues it again (retried), and the real worker re-keys.
    await requestRekey((name) => ctx.queue(name));
    const running = await startWorkers({ registry: maintenanceOnly(), connection, ctx: env.ctx });
    try {
      await until(async () => (await maintenanceQueue().getJobState(jobId)) === 'completed', 15_000, 'job completed');
      const job = (await maintenanceQueue().getJob(jobId))!;
      expect(job.returnvalue).toMatchObject({ updated: 1 });
      expect(job.progress).toEqual(job.returnvalue);
      expect(job.data).toEqual({ version: blockingVersionOf() });
      // Kept past the queue's usual day, so a start a week later does not scan again.
      expect(job.opts.removeOnComplete).toBe(false);
      expect(await isCurrent(first._id)).toBe(true);

      // Starting again under the same version adds nothing: the completed job is kept.
      const later = await staleRecord(agency, 'Ellingham');
      await requestRekey((name) => ctx.queue(name));
      await new Promise((r) => setTimeout(r, 500));
      expect((await maintenanceQueue().getJob(jobId))!.finishedOn).toBe(job.finishedOn);
      expect(await maintenanceQueue().getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 1 });
      expect(await isCurrent(later._id)).toBe(false);
    } finally {
      await running.close(5000);
    }
  }, 60_000);
});
