/**
 * `/imports`: upload a CSV of contacts, watch it import with a per-row report, and see the
 * agency's recent uploads.
 */
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { importsApi, type ImportSummary } from '../api/imports';
import { Banner } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { importName } from '../imports/format';
import { ImportHelp } from '../imports/ImportHelp';
import { ImportProgress } from '../imports/ImportProgress';
import { ImportUpload } from '../imports/ImportUpload';
import { RecentImports } from '../imports/RecentImports';
import { Link } from '../router/Link';
import '../imports/imports.css';

type ListLoad = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; imports: ImportSummary[] };

export function ImportUploadPage() {
  const [current, setCurrent] = useState<ImportSummary | null>(null);
  const [list, setList] = useState<ListLoad>({ status: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    importsApi.list().then(
      ({ imports }) => live && setList({ status: 'ready', imports }),
      (err: unknown) => live && setList({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const reloadList = useCallback(() => setVersion((v) => v + 1), []);
  const uploaded = useCallback(
    (imp: ImportSummary) => {
      setCurrent(imp);
      reloadList();
    },
    [reloadList],
  );

  return (
    <>
      <PageHeading title="Import records">
        Upload contacts from your agency's own system as a CSV file. Valid rows are stored; the others are listed so
        you can correct and upload them again.
      </PageHeading>

      <div className="import-layout">
        <div className="import-main">
          <section className="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">Upload a file</h2>
            <ImportUpload onUploaded={uploaded} />
          </section>

          {current ? (
            <section className="panel" aria-labelledby="current-import-title">
              <h2 id="current-import-title">Importing {importName(current)}</h2>
              <ImportProgress key={current.id} id={current.id} initial={current} onFinished={reloadList} />
              <p className="small">
                <Link to={`/imports/${encodeURIComponent(current.id)}`}>Open this report on its own page</Link> (you
                can leave this page: the import carries on).
              </p>
            </section>
          ) : null}
        </div>
        <ImportHelp />
      </div>

      <section className="panel" aria-labelledby="recent-imports-title">
        <h2 id="recent-imports-title">Recent uploads</h2>
        {list.status === 'loading' ? <p role="status">Loading…</p> : null}
        {list.status === 'error' ? (
          <>
            <Banner tone="error">{list.message}</Banner>
            <button type="button" className="button button-secondary" onClick={reloadList}>
              Try again
            </button>
          </>
        ) : null}
        {list.status === 'ready' ? <RecentImports imports={list.imports} /> : null}
      </section>
    </>
  );
}
