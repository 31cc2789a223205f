/** This agency's recent uploads, newest first, each linking to its report. */
import type { ImportSummary } from '../api/imports';
import { Badge } from '../components/Badge';
import { formatDateTime } from '../people/vocab';
import { Link } from '../router/Link';
import { formatCount, IMPORT_STATUS_LABELS, importName } from './format';

export function RecentImports({ imports }: { imports: ImportSummary[] }) {
  if (imports.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-title">No uploads yet</p>
        <p className="muted">Files your agency uploads appear here with their reports.</p>
      </div>
    );
  }
  return (
    <ul className="result-list">
      {imports.map((imp) => (
        <li key={imp.id} className="result">
          <p className="import-item-title">
            <Link to={`/imports/${encodeURIComponent(imp.id)}`} className="result-link">
              {importName(imp)}
            </Link>{' '}
            <Badge tone={imp.status === 'failed' ? 'warn' : imp.status === 'completed' ? 'good' : 'neutral'}>
              {IMPORT_STATUS_LABELS[imp.status]}
            </Badge>
          </p>
          <p className="small muted result-meta">
            Uploaded <time dateTime={imp.createdAt}>{formatDateTime(imp.createdAt)}</time> · {formatCount(imp.total)}{' '}
            {imp.total === 1 ? 'row' : 'rows'}
            {imp.status === 'completed' || imp.status === 'failed' ? (
              <>
                {' '}
                · {formatCount(imp.created)} created · {formatCount(imp.duplicates)} already stored ·{' '}
                {formatCount(imp.rejected)} rejected
              </>
            ) : (
              <> · {formatCount(imp.processed)} processed so far</>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
