/**
 * `/audit` (IG leads): browse and filter the hash-chained audit log, newest first, page by page;
 * check the chain's integrity; download the filtered events as a FHIR R4 Bundle of AuditEvents.
 * Every read here is itself audited by the server (`audit.read`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { AUDIT_PAGE_MAX, auditApi, type AuditEvent, type AuditFilters } from '../api/audit';
import { AuditFilterForm } from '../audit/AuditFilterForm';
import { AuditTable } from '../audit/AuditTable';
import { IntegrityCheck } from '../audit/IntegrityCheck';
import { fileStamp } from '../audit/vocab';
import { AlertRegion, Banner } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { saveFile } from '../people/saveFile';
import '../components/table.css';
import '../audit/audit.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; events: AuditEvent[]; nextBefore: number | null };

export function AuditLogPage() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [version, setVersion] = useState(0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [more, setMore] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [download, setDownload] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [message, setMessage] = useState('');
  const request = useRef(0);

  useEffect(() => {
    const mine = ++request.current;
    setLoad({ status: 'loading' });
    setMore({ busy: false, error: null });
    auditApi.list(filters).then(
      (page) => {
        if (mine !== request.current) return;
        setLoad({ status: 'ready', events: page.events, nextBefore: page.nextBefore });
        setMessage(`${page.events.length} ${page.events.length === 1 ? 'event' : 'events'} shown.`);
      },
      (err: unknown) => mine === request.current && setLoad({ status: 'error', message: errorMessage(err) }),
    );
  }, [filters, version]);

  const apply = useCallback((next: AuditFilters) => {
    setFilters(next);
    setVersion((v) => v + 1);
  }, []);

  async function loadOlder() {
    if (load.status !== 'ready' || load.nextBefore === null || more.busy) return;
    const mine = request.current;
    setMore({ busy: true, error: null });
    try {
      const page = await auditApi.list(filters, load.nextBefore);
      if (mine !== request.current) return;
      setLoad((current) =>
        current.status === 'ready'
          ? { status: 'ready', events: [...current.events, ...page.events], nextBefore: page.nextBefore }
          : current,
      );
      setMessage(`${page.events.length} older ${page.events.length === 1 ? 'event' : 'events'} added.`);
      setMore({ busy: false, error: null });
    } catch (err) {
      if (mine === request.current) setMore({ busy: false, error: errorMessage(err) });
    }
  }

  async function downloadFhir() {
    if (download.busy) return;
    setDownload({ busy: true, error: null });
    try {
      const { blob } = await auditApi.fhir(filters);
      saveFile(new Blob([blob], { type: 'application/fhir+json' }), `audit-events-${fileStamp()}.fhir.json`);
      setMessage('FHIR Bundle downloaded.');
      setDownload({ busy: false, error: null });
    } catch (err) {
      setDownload({ busy: false, error: errorMessage(err) });
    }
  }

  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeading title="Audit log">
        Every read, write, denial, search, export and emergency access, in a tamper-evident log. Your reads here are
        audited too.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      <section className="panel" aria-labelledby="integrity-title">
        <h2 id="integrity-title">Integrity</h2>
        <p className="muted">
          Each event's hash covers its content and the previous event's hash, and signed checkpoints are kept outside
          the database, so a changed, removed or rewritten event is detected.
        </p>
        <IntegrityCheck />
      </section>

      <section className="panel" aria-labelledby="filters-title">
        <h2 id="filters-title">Filters</h2>
        <AuditFilterForm busy={load.status === 'loading'} onApply={apply} />
      </section>

      <section className="panel" aria-labelledby="events-title" aria-busy={load.status === 'loading' || more.busy}>
        <h2 id="events-title">Events{filtered ? ' matching your filters' : ''}</h2>
        <div className="audit-tools">
          <button
            type="button"
            className="button button-secondary"
            disabled={download.busy}
            onClick={() => void downloadFhir()}
          >
            {download.busy ? 'Preparing…' : 'Download as FHIR'}
          </button>
          <p className="small muted">
            A FHIR R4 Bundle of AuditEvents: the newest {AUDIT_PAGE_MAX} events matching these filters (the Bundle
            links to the next page).
          </p>
        </div>
        <AlertRegion message={download.error} />

        {load.status === 'loading' ? <p role="status">Loading events…</p> : null}
        {load.status === 'error' ? (
          <>
            <Banner tone="error">{load.message}</Banner>
            <button type="button" className="button" onClick={() => setVersion((v) => v + 1)}>
              Try again
            </button>
          </>
        ) : null}

        {load.status === 'ready' ? (
          load.events.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">No events{filtered ? ' match these filters' : ''}</p>
              {filtered ? <p className="muted">Widen the time range or clear a filter.</p> : null}
            </div>
          ) : (
            <>
              <AuditTable events={load.events} />
              <AlertRegion message={more.error} />
              <div className="table-footer">
                <p className="muted">
                  Showing {load.events.length.toLocaleString('en-GB')} {load.events.length === 1 ? 'event' : 'events'}
                  {load.nextBefore === null ? ', back to the start of the log.' : '.'}
                </p>
                {load.nextBefore !== null ? (
                  <button type="button" className="button button-secondary" disabled={more.busy} onClick={() => void loadOlder()}>
                    {more.busy ? 'Loading…' : 'Older events'}
                  </button>
                ) : null}
              </div>
            </>
          )
        ) : null}
      </section>
    </>
  );
}
