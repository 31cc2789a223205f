/** What the CSV file should hold: its columns, which are required, and the no-duplicates rule. */
import { IMPORT_COLUMNS } from './columns';

export function ImportHelp() {
  return (
    <aside className="panel import-help" aria-labelledby="import-help-title">
      <h2 id="import-help-title">What the file should contain</h2>
      <p className="small">
        A header row naming these columns, in any order. Required: <code>external_ref</code>, <code>occurred_at</code>{' '}
        (ISO 8601 with a time-zone offset), <code>kind</code> and <code>categories</code> (separated by <code>;</code>).
      </p>
      <ul className="column-list small">
        {IMPORT_COLUMNS.map((column) => (
          <li key={column.name}>
            <code>{column.name}</code>
            {column.required ? <strong> (required)</strong> : null}
            {column.note ? <span className="muted"> — {column.note}</span> : null}
          </li>
        ))}
      </ul>
      <p className="small">
        Uploading the same file again creates no duplicates: rows whose <code>external_ref</code> your agency has already
        stored are counted as “already stored”. Invalid rows are skipped and listed in the report.
      </p>
    </aside>
  );
}
