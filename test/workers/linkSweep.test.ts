/**
 * The link sweep: a record whose link job was lost (stored, but the job never reached Redis or
 * Redis lost it) is queued again after a grace period and then linked; records that are recent,
 * already linked, or whose job is still queued are left alone, and sweeping twice queues once.
 */
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import '../../server/store/connection';
import { useWorkerEnv } from '../helpers/workerContext';
import { buildAgency } from '../helpers/factories';
import { storeEncounter } from '../helpers/people';
import { LINK_JOB } from '../../server/linkage/requestLink';
import { LINK_GRACE_MS } from '../../server/linkage/linkSweep';
import { Encounter } from '../../server/models/Encounter';
import { linkEncounter } from '../../workers/processors/linkEncounter';
import { linkSweep } from '../../workers/processors/linkSweep';
import { QUEUE_NAMES } from '../../workers/queues';
import type { AgencyDoc } from '../../server/models/Agency';

const { ctx } = useWorkerEnv('linksweep');

let n = 0;
async function record(agency: AgencyDoc, familyName: string, storedAgoMs = 0) {
  n += 1;
  const encounter = await storeEncounter(agency, { givenName: 'Imogen', familyName, dateOfBirth: `19${60 + n}-03-0${n}` }, { occurredAt: new Date(Date.now() - 86_400_000) });
  if (storedAgoMs > 0) {
    await Encounter.collection.updateOne({ _id: encounter._id }, { $set: { createdAt: new Date(Date.now() - storedAgoMs) } });
  }
  return encounter;
}

const linkQueue = () => ctx.queue(QUEUE_NAMES.linkage);
const sweep = async () => ((await linkSweep({ id: 'sweep', name: 'linkSweep', data: {} } as unknown as Job, ctx)) as { requeued: number }).requeued;

describe('link sweep', () => {
  it('queues a lost record again after the grace period, links it, and leaves the rest alone', async () => {
    const agency = await buildAgency();
    const lost = await record(agency, 'Abernethy', LINK_GRACE_MS + 60_000);
    const recent = await record(agency, 'Blackwood', LINK_GRACE_MS - 60_000);
    const linked = await record(agency, 'Carrington', LINK_GRACE_MS + 60_000);
    await linkEncounter({ id: linked.id, name: LINK_JOB, data: { encounterId: linked.id } } as unknown as Job, ctx);
    const queued = await record(agency, 'Drummond', LINK_GRACE_MS + 60_000);
    await linkQueue().add(LINK_JOB, { encounterId: queued.id }, { jobId: queued.id });

    // The lost record and the one still queued are pending past the grace period; only the
    // lost one gets a new job (the queued one's job id is taken, so nothing is added for it).
    expect(await sweep()).toBe(2);
    expect((await linkQueue().getJob(lost.id))?.data).toEqual({ encounterId: lost.id });
    expect(await linkQueue().getJob(recent.id)).toBeUndefined();
    expect(await linkQueue().getJob(linked.id)).toBeUndefined();
    expect(await linkQueue().getWaitingCount()).toBe(2);

    // Sweeping again adds nothing: the job ids are taken.
    await sweep();
    expect(await linkQueue().getWaitingCount()).toBe(2);

    // The re-queued job links the record like any other.
    const job = (await linkQueue().getJob(lost.id))!;
    expect(await linkEncounter(job, ctx)).toMatchObject({ outcome: 'new' });
    expect((await Encounter.findById(lost._id))!.link?.status).toBe('auto');
    await job.remove();
    await (await linkQueue().getJob(queued.id))!.remove();
    await linkEncounter({ id: queued.id, name: LINK_JOB, data: { encounterId: queued.id } } as unknown as Job, ctx);

    // Nothing old is pending any more: only the recent record is, inside its grace period.
    expect(await sweep()).toBe(0);
    expect(await Encounter.countDocuments({ 'link.status': 'pending' })).toBe(1);
  });
});
