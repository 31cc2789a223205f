/** `/imports/:id`: one upload's progress (polled while it runs), summary and per-row report. */
import { PageHeading } from '../components/PageHeading';
import { importName } from '../imports/format';
import { ImportProgressView } from '../imports/ImportProgress';
import { useImportPoll } from '../imports/useImportPoll';
import { formatDateTime } from '../people/vocab';
import { Link } from '../router/Link';
import '../imports/imports.css';

export function ImportReportPage({ id }: { id: string }) {
  const poll = useImportPoll(id);
  const { imp } = poll;
  return (
    <>
      <PageHeading title="Import report">
        {imp ? (
          <>
            {importName(imp)}, uploaded {formatDateTime(imp.createdAt)}
          </>
        ) : null}
      </PageHeading>
      <p>
        <Link to="/imports">All uploads</Link>
      </p>
      <section className="panel" aria-label="Import">
        <ImportProgressView poll={poll} />
      </section>
    </>
  );
}
