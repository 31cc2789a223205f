/** CSV imports of encounters (server/routes/imports): upload, then poll progress and the report. */
import { api } from './client';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Largest file the server accepts (its limit is 20 MB). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export interface ImportProblem {
  /** The row number in the file. */
  row: number;
  /** The column, e.g. `occurred_at`. */
  field: string;
  problem: string;
}

export interface ImportSummary {
  id: string;
  filename: string | null;
  status: ImportStatus;
  total: number;
  processed: number;
  created: number;
  duplicates: number;
  rejected: number;
  problemCount: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportReport extends ImportSummary {
  problems: ImportProblem[];
}

export function isFinished(status: ImportStatus): boolean {
  return status === 'completed' || status === 'failed';
}

const importPath = (id: string) => `/api/imports/${encodeURIComponent(id)}`;

export const importsApi = {
  /** Send the file's text; answers 202 at once, the import runs in the background. */
  upload: (filename: string, csv: string) =>
    api.postText<{ import: ImportSummary }>(
      `/api/imports/encounters?${new URLSearchParams({ filename: filename.slice(0, 200) }).toString()}`,
      csv,
      'text/csv',
    ),
  list: () => api.get<{ imports: ImportSummary[] }>('/api/imports'),
  get: (id: string) => api.get<{ import: ImportReport }>(importPath(id)),
};
