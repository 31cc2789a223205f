import type { ImportJobDoc } from '../models/ImportJob';

/** An import's progress and its per-row report. */
export function presentImport(j: ImportJobDoc, withProblems = true) {
  return {
    id: j.id as string,
    filename: j.filename ?? null,
    status: j.status,
    total: j.total,
    processed: j.processed,
    created: j.created,
    duplicates: j.duplicates,
    rejected: j.rejected,
    problemCount: j.problemCount,
    problems: withProblems ? j.problems.map((p) => ({ row: p.row, field: p.field, problem: p.problem })) : undefined,
    error: j.error ?? null,
    createdAt: (j as unknown as { createdAt: Date }).createdAt.toISOString(),
    startedAt: j.startedAt ? j.startedAt.toISOString() : null,
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
  };
}
