/**
 * Queues the link job for stored encounters: one `linkEncounter` job per encounter, its job id
 * the encounter id, so a re-sent record or a retried import never links twice.
 */
import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../workers/queues';

/** The job name on the linkage queue. */
export const LINK_JOB = 'linkEncounter';

/** Job data: ids only. */
export interface LinkJobData {
  encounterId: string;
}

/** Queues a link job per encounter id (an id already queued or running is left alone). */
export async function requestLink(queue: (name: string) => Queue, encounterIds: Iterable<string>): Promise<void> {
  const ids = [...new Set([...encounterIds].map(String))];
  if (ids.length === 0) return;
  const q = queue(QUEUE_NAMES.linkage);
  // One record (every ingest) is one add; a bulk add builds a Redis pipeline, which costs more
  // than the add itself.
  if (ids.length === 1) await q.add(LINK_JOB, { encounterId: ids[0] } satisfies LinkJobData, { jobId: ids[0] });
  else await q.addBulk(ids.map((id) => ({ name: LINK_JOB, data: { encounterId: id } satisfies LinkJobData, opts: { jobId: id } })));
}
