import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { rekeyEncounters as rekey, type RekeyJobData } from '../../server/linkage/rekey';
import { blockingVersionOf } from '../../server/linkage/subject';
import { category } from '../../server/logger';

/**
 * Re-keys stored encounters to the current blocking keys (server/linkage/rekey.ts). Queued once
 * per blocking version when the workers start (job id `rekey-<version>`). A worker whose matching
 * model has another version (an old one still running in a rolling deploy) hands the job back to
 * be retried, so records are only ever re-keyed to the version the job names. Progress is the
 * running counts; nothing personal is logged or returned.
 */
export const rekeyEncounters: Processor = async (job, ctx) => {
  const log = category(ctx.logger, 'linkage');
  const { version } = job.data as RekeyJobData;
  if (typeof version !== 'string' || version === '') throw new UnrecoverableError('bad blocking version');
  const mine = blockingVersionOf();
  if (version !== mine) throw new Error(`job is for blocking version ${version}, this worker has ${mine}`);
  const result = await rekey({ onProgress: (p) => job.updateProgress({ ...p }) });
  log.info({ version, scanned: result.scanned, updated: result.updated }, 'encounters re-keyed');
  return result;
};
