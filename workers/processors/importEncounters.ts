/**
 * Imports one uploaded CSV of encounters: every valid row is stored (once per agency and
 * external ref), every invalid one is reported by row, column and problem, and progress is
 * written as it goes. Safe to retry: rows already stored by this import count as created.
 * Every stored row still waiting to be linked gets its link job (job id = encounter id, so a
 * retried import queues nothing twice).
 */
import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { ImportJob, MAX_REPORTED_PROBLEMS } from '../../server/models/ImportJob';
import { parseCsv, CsvSyntaxError } from '../../server/imports/csv';
import { readHeader, rowToInput, type RowProblem } from '../../server/imports/encounterRows';
import { loadCodeMap, recordEncounter } from '../../server/commands/encounterRecorder';
import { AppError } from '../../server/errors';
import { requestLink } from '../../server/linkage/requestLink';

/** Rows between progress writes. */
const PROGRESS_EVERY = 250;

/** Job data: ids only. */
export interface ImportJobData {
  importId: string;
}

export const importEncounters: Processor = async (job, ctx) => {
  const { importId } = job.data as ImportJobData;
  if (!Types.ObjectId.isValid(importId)) throw new UnrecoverableError('bad import id');
  const imp = await ImportJob.findById(importId);
  if (!imp || imp.status === 'completed' || imp.content === null) return { skipped: true };
  const fail = async (error: string) => {
    await ImportJob.updateOne({ _id: imp._id }, { $set: { status: 'failed', error, finishedAt: new Date(), content: null } });
    return { failed: error };
  };

  let records;
  try {
    records = [...parseCsv(imp.content ?? '')];
  } catch (err) {
    if (err instanceof CsvSyntaxError) return fail(`The file is not valid CSV (line ${err.line}: ${err.message}).`);
    throw err;
  }
  if (records.length === 0) return fail('The file is empty.');
  const header = readHeader(records[0].fields);
  if ('problems' in header) return fail(`The header row has problems: ${header.problems.map((p) => `${p.field} (${p.problem})`).join(', ')}.`);

  const total = records.length - 1;
  await ImportJob.updateOne(
    { _id: imp._id },
    { $set: { status: 'running', startedAt: new Date(), total, processed: 0, created: 0, duplicates: 0, rejected: 0, problemCount: 0, problems: [] } },
  );
  const codeMap = await loadCodeMap(imp.agencyId);
  const counts = { processed: 0, created: 0, duplicates: 0, rejected: 0, problemCount: 0 };
  let pending: RowProblem[] = [];
  let toLink: string[] = [];
  const flush = async () => {
    await requestLink((name) => ctx.queue(name), toLink);
    toLink = [];
    const room = Math.max(0, MAX_REPORTED_PROBLEMS - (counts.problemCount - pending.length));
    const keep = pending.slice(0, room);
    await ImportJob.updateOne({ _id: imp._id }, { $set: { ...counts }, ...(keep.length ? { $push: { problems: { $each: keep } } } : {}) });
    pending = [];
    await job.updateProgress(Math.round((counts.processed / Math.max(1, total)) * 100));
  };

  for (const rec of records.slice(1)) {
    const mapped = rowToInput(rec.fields, header.index, rec.line);
    if ('problems' in mapped) {
      counts.rejected++;
      counts.problemCount += mapped.problems.length;
      pending.push(...mapped.problems);
    } else {
      try {
        const { encounter, created } = await recordEncounter({
          agencyId: imp.agencyId,
          input: mapped.input,
          source: 'csv',
          createdBy: { userId: imp.createdBy },
          importId: imp._id,
          codeMap,
        });
        if (encounter.link?.status === 'pending') toLink.push(encounter.id as string);
        if (created || String(encounter.importId) === String(imp._id)) counts.created++;
        else counts.duplicates++;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        counts.rejected++;
        counts.problemCount++;
        const field = String(err.details?.field ?? '*').startsWith('riskIndicators') ? 'risk_local_code' : String(err.details?.field ?? '*');
        pending.push({ row: rec.line, field, problem: err.message.replace(/^[^:]+:\s*/, '') });
      }
    }
    counts.processed++;
    if (counts.processed % PROGRESS_EVERY === 0) await flush();
  }
  await flush();
  await ImportJob.updateOne({ _id: imp._id }, { $set: { status: 'completed', finishedAt: new Date(), content: null } });
  ctx.logger.info({ category: 'import', importId, total, created: counts.created, rejected: counts.rejected }, 'import completed');
  return counts;
};
