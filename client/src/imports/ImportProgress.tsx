/**
 * An import as it runs and once done: a progress bar with its words in a polite live region,
 * then the summary and the per-row report (capped on screen, complete in the download).
 */
import { useId } from 'react';
import { isFinished, type ImportProblem, type ImportReport, type ImportSummary } from '../api/imports';
import { Badge } from '../components/Badge';
import { Banner } from '../components/Banner';
import { formatDateTime } from '../people/vocab';
import { downloadText, formatCount, IMPORT_STATUS_LABELS, progressText, reportCsv, reportFilename } from './format';
import { useImportPoll, type ImportPoll } from './useImportPoll';

/** Most problem rows drawn on the page; the download has them all. */
export const MAX_SHOWN_PROBLEMS = 500;

export function ImportProgress({
  id,
  initial,
  onFinished,
}: {
  id: string;
  initial?: ImportSummary;
  onFinished?: (imp: ImportReport) => void;
}) {
  return <ImportProgressView poll={useImportPoll(id, initial, onFinished)} />;
}

/** The view of a poll the caller runs (when it needs the import too, e.g. for a heading). */
export function ImportProgressView({ poll }: { poll: ImportPoll }) {
  const { imp, notFound, error, retry } = poll;
  const progressId = useId();
  const finished = imp ? isFinished(imp.status) : false;

  if (notFound) {
    return <Banner tone="error">There is no import at this address that your agency may see.</Banner>;
  }

  return (
    <div className="import-progress">
      {imp ? (
        <div className="field">
          <label htmlFor={progressId}>
            Progress{' '}
            <Badge tone={imp.status === 'failed' ? 'warn' : imp.status === 'completed' ? 'good' : 'neutral'}>
              {IMPORT_STATUS_LABELS[imp.status]}
            </Badge>
          </label>
          {imp.total > 0 || imp.status !== 'queued' ? (
            <progress id={progressId} max={Math.max(imp.total, 1)} value={Math.min(imp.processed, Math.max(imp.total, 1))} />
          ) : (
            <progress id={progressId} />
          )}
        </div>
      ) : null}
      <p role="status" aria-live="polite" aria-atomic="true" className="import-progress-text">
        {imp ? progressText(imp) : 'Loading…'}
      </p>

      {error ? (
        <>
          <Banner tone="error">Could not check on the import: {error}</Banner>
          <button type="button" className="button button-secondary" onClick={retry}>
            Check again
          </button>
        </>
      ) : null}

      {imp?.status === 'failed' ? <Banner tone="error">{imp.error || 'The import failed. Please try again.'}</Banner> : null}
      {imp && finished ? <ImportSummaryView imp={imp} /> : null}
      {imp && finished && 'problems' in imp && Array.isArray(imp.problems) ? <ProblemReport imp={imp} /> : null}
    </div>
  );
}

function ImportSummaryView({ imp }: { imp: ImportSummary }) {
  return (
    <dl className="import-summary" aria-label="Summary">
      <div>
        <dt>Created</dt>
        <dd>{formatCount(imp.created)}</dd>
      </div>
      <div>
        <dt>Already stored</dt>
        <dd>{formatCount(imp.duplicates)}</dd>
      </div>
      <div>
        <dt>Rejected</dt>
        <dd>{formatCount(imp.rejected)}</dd>
      </div>
      <div>
        <dt>Rows in file</dt>
        <dd>{formatCount(imp.total)}</dd>
      </div>
      {imp.finishedAt ? (
        <div>
          <dt>Finished</dt>
          <dd>
            <time dateTime={imp.finishedAt}>{formatDateTime(imp.finishedAt)}</time>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function ProblemReport({ imp }: { imp: ImportReport }) {
  const problems: ImportProblem[] = imp.problems;
  if (problems.length === 0) {
    return imp.problemCount === 0 ? <p className="import-clean">No problems: every row was valid.</p> : null;
  }
  const shown = problems.slice(0, MAX_SHOWN_PROBLEMS);
  return (
    <section className="import-report" aria-label="Problems report">
      <div className="import-report-header">
        <h3>Problems ({formatCount(imp.problemCount)})</h3>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => downloadText(reportCsv(problems), reportFilename(imp))}
        >
          Download report (CSV)
        </button>
      </div>
      {problems.length > shown.length ? (
        <p className="muted small">
          Showing the first {formatCount(shown.length)} of {formatCount(problems.length)} problems. Download the report
          to see them all.
        </p>
      ) : null}
      {imp.problemCount > problems.length ? (
        <p className="muted small">
          The server kept the first {formatCount(problems.length)} of {formatCount(imp.problemCount)} problems.
        </p>
      ) : null}
      <div className="table-wrap" role="region" aria-label="Problems in this file (scrollable)" tabIndex={0}>
        <table className="data-table">
          <caption>Problems in this file</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p, index) => (
              <tr key={`${p.row}-${p.field}-${index}`}>
                <td className="num">{formatCount(p.row)}</td>
                <td>
                  <code>{p.field}</code>
                </td>
                <td>{p.problem}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
