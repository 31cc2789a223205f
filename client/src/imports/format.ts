/** Numbers, statuses and the downloadable report for imports. */
import type { ImportProblem, ImportStatus, ImportSummary } from '../api/imports';

const numberFormat = new Intl.NumberFormat('en-GB');

/** `10000` → `10,000`. */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  queued: 'Waiting to start',
  running: 'Importing',
  completed: 'Completed',
  failed: 'Failed',
};

export function importName(imp: Pick<ImportSummary, 'filename'>): string {
  return imp.filename || 'Untitled upload';
}

/** What the progress region says: always "Processed X of Y rows" once the file has been read. */
export function progressText(imp: ImportSummary): string {
  const counts = `Processed ${formatCount(imp.processed)} of ${formatCount(imp.total)} rows`;
  switch (imp.status) {
    case 'queued':
      return imp.total > 0 ? `Waiting to start. ${counts}.` : 'Waiting to start…';
    case 'running':
      return `${counts}.`;
    case 'completed':
      return `Import complete. ${counts}.`;
    case 'failed':
      return `Import failed. ${counts}.`;
  }
}

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(problems: readonly ImportProblem[]): string {
  const lines = [['row', 'column', 'problem'].join(',')];
  for (const p of problems) lines.push([cell(p.row), cell(p.field), cell(p.problem)].join(','));
  // The byte-order mark tells spreadsheets the file is UTF-8.
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** `visits.csv` → `visits-report.csv`. */
export function reportFilename(imp: Pick<ImportSummary, 'filename' | 'id'>): string {
  const base = (imp.filename ?? `import-${imp.id}`).replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_');
  return `${base || 'import'}-report.csv`;
}

/** Save text as a file, without a server round trip (a Blob and an object URL). */
export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers start the download after this returns: let the URL live a little.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
