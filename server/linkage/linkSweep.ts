/**
 * Finds records still waiting to be linked long after they were stored, and queues their link job
 * again. A record is stored first and its job queued after; if Redis lost the job (a restart of a
 * Redis that keeps nothing on disk, or a crash between the two writes), nothing else would ever
 * link it and it would never count towards an alert. The job id is the record id, so a job that is
 * still waiting, running or kept as failed is left alone: only lost ones come back.
 */
import type { Queue } from 'bullmq';
import { trusted } from 'mongoose';
import { Encounter } from '../models/Encounter';
import { requestLink } from './requestLink';

/** How long a record may wait for its link job before the sweep queues it again. */
export const LINK_GRACE_MS = 5 * 60_000;
/** Records re-queued per sweep at most (the next sweep takes the rest). */
export const LINK_SWEEP_LIMIT = 1000;

/** Queues the link job again for records pending since before `now - graceMs`; returns how many. */
export async function sweepPendingLinks(queue: (name: string) => Queue, now = new Date(), graceMs = LINK_GRACE_MS, limit = LINK_SWEEP_LIMIT): Promise<number> {
  const waiting = await Encounter.find({ 'link.status': 'pending', createdAt: trusted({ $lt: new Date(now.getTime() - graceMs) }) }, { _id: 1 })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  await requestLink(queue, waiting.map((e) => String(e._id)));
  return waiting.length;
}
