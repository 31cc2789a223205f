/**
 * Asks the workers to re-evaluate the detection rules for people whose records changed (a link,
 * an unlink, a merge or a split). Requests for one person coalesce: while one evaluation waits,
 * further requests join it; while one runs, one more is kept to run after it, so the latest
 * evidence is always evaluated and one person is never evaluated twice at once.
 */
import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../workers/queues';

/** The job name of a detection run on the alerts queue. */
export const DETECT_JOB = 'detectAlerts';

/** Job data: ids only. */
export interface DetectJobData {
  personId: string;
}

/** Queues one detection run per person (deduplicated per person). */
export async function requestDetection(queue: (name: string) => Queue, personIds: Iterable<string>): Promise<void> {
  const q = queue(QUEUE_NAMES.alerts);
  const unique = [...new Set([...personIds].map(String))];
  await Promise.all(
    unique.map((personId) =>
      q.add(DETECT_JOB, { personId } satisfies DetectJobData, {
        deduplication: { id: `detect:${personId}`, keepLastIfActive: true },
        removeOnComplete: { age: 3600, count: 1000 },
      }),
    ),
  );
}
