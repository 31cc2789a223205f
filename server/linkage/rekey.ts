/**
 * Brings the blocking key values stored on encounters up to date with the matching model. Each
 * value is prefixed by its key's position in `blocking.keys`, so after the key list changes a
 * record stored before holds values the link job no longer asks for, and the new keys never find
 * it. A record's subject is never edited after it is stored, so its values only go stale this
 * way; each record carries the version of the keys it was computed under (`blockingVersion`), and
 * a record of another version (or of none) gets fresh values and the current version.
 *
 * Walks every encounter in `_id` order through one cursor, a batch at a time (records stored
 * meanwhile are met or not; they were keyed by the current model anyway), and writes one
 * `bulkWrite` per batch. Each write is guarded by the version it read, so it never overwrites
 * a newer write. Safe to run twice or at once with itself: an up-to-date record is not written.
 * Plain find/sort/limit and bulk updateOne only, so it runs on the embedded store and on MongoDB.
 */
import type { Queue } from 'bullmq';
import type { Types } from 'mongoose';
import { domainConfig, type MatchingConfig } from '../../config/domain';
import { QUEUE_NAMES } from '../../workers/queues';
import { Encounter } from '../models/Encounter';
import { blockingValuesOf, blockingVersionOf, normaliseSubject, type LinkSubject } from './subject';

/** Records read and written per batch. */
export const REKEY_BATCH_SIZE = 500;

/** The job name on the maintenance queue. */
export const REKEY_JOB = 'rekeyEncounters';

/** Job data: the blocking version the job brings records to (no personal data). */
export interface RekeyJobData {
  version: string;
}

/** What a run did: records read, and records given new values. */
export interface RekeyResult {
  scanned: number;
  updated: number;
}

export interface RekeyOptions {
  /** Records per batch (REKEY_BATCH_SIZE by default). */
  batchSize?: number;
  /** Called after each batch with the running counts. */
  onProgress?: (progress: RekeyResult) => void | Promise<void>;
  /** The matching model (the shipped matching.json by default). */
  config?: MatchingConfig;
}

/** The fields of a stored encounter a re-key reads. */
export interface RekeyRow {
  _id: Types.ObjectId;
  agencyId: Types.ObjectId;
  subject?: LinkSubject;
  blockingKeys?: string[];
  blockingVersion?: string | null;
}

const PROJECTION = { _id: 1, agencyId: 1, subject: 1, blockingKeys: 1, blockingVersion: 1 };

/**
 * Every encounter in `_id` order, `size` at a time, through one cursor (one sort: the embedded
 * store's indexes are hashes, so asking again after the last id read would sort every batch).
 * Raw driver: there is no filter, and the rows are plain data.
 */
export async function* readRekeyBatches(size: number): AsyncGenerator<RekeyRow[]> {
  const cursor = Encounter.collection.find<RekeyRow>({}, { projection: PROJECTION, sort: { _id: 1 }, batchSize: size });
  try {
    let batch: RekeyRow[] = [];
    for await (const row of cursor) {
      batch.push(row);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await cursor.close();
  }
}

/**
 * Writes fresh values and the current version to the rows read under another version, in one
 * bulkWrite; returns how many records changed. Each write matches only while the record still
 * holds the version it was read with, so a record written since (another re-key) is left alone.
 */
export async function writeRekeyBatch(rows: readonly RekeyRow[], config: MatchingConfig = domainConfig().matching): Promise<number> {
  const version = blockingVersionOf(config);
  const writes = rows
    .filter((row) => row.blockingVersion !== version)
    .map((row) => ({
      updateOne: {
        // A missing field reads as undefined; `blockingVersion: null` matches it (and a null).
        filter: { _id: row._id, blockingVersion: row.blockingVersion ?? null },
        update: { $set: { blockingKeys: blockingValuesOf(normaliseSubject(String(row._id), String(row.agencyId), row.subject), config), blockingVersion: version } },
      },
    }));
  if (writes.length === 0) return 0;
  const res = await Encounter.collection.bulkWrite(writes, { ordered: false });
  return res.modifiedCount;
}

/** Re-keys every encounter whose blocking version is not the model's (see the module comment). */
export async function rekeyEncounters(opts: RekeyOptions = {}): Promise<RekeyResult> {
  const config = opts.config ?? domainConfig().matching;
  const batchSize = opts.batchSize ?? REKEY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive whole number');
  const counts: RekeyResult = { scanned: 0, updated: 0 };
  for await (const rows of readRekeyBatches(batchSize)) {
    counts.scanned += rows.length;
    counts.updated += await writeRekeyBatch(rows, config);
    await opts.onProgress?.({ ...counts });
  }
  return counts;
}

/** The job id of the re-key for a blocking version: one job per version, however many workers start. */
export function rekeyJobId(version: string): string {
  return `rekey-${version}`;
}

/**
 * Queues the re-key for the current blocking keys, once per version: an add under a job id that
 * is kept is ignored, and the job is kept once it completes. A job that failed every attempt
 * (kept too) is retried, so the next start of the workers tries again.
 */
export async function requestRekey(queue: (name: string) => Queue, config: MatchingConfig = domainConfig().matching): Promise<string> {
  const version = blockingVersionOf(config);
  const q = queue(QUEUE_NAMES.maintenance);
  const jobId = rekeyJobId(version);
  await q.add(REKEY_JOB, { version } satisfies RekeyJobData, {
    jobId,
    removeOnComplete: false,
    // A worker still on another model (a rolling deploy) hands the job back; give a new one time.
    attempts: 10,
    backoff: { type: 'exponential', delay: 5000 },
  });
  if ((await q.getJobState(jobId)) === 'failed') await (await q.getJob(jobId))?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return jobId;
}
