/** `/admin/agencies` (system admins): every agency, active or not; create one; edit one. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { agenciesApi, type AdminAgency } from '../api/agencies';
import { AgencyEditor, NewAgencyForm } from '../admin/AgencyForms';
import { agencyKindLabel } from '../admin/vocab';
import { Badge } from '../components/Badge';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import '../components/table.css';
import '../admin/admin.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; agencies: AdminAgency[] };

const byName = (a: AdminAgency, b: AdminAgency) => a.name.localeCompare(b.name, 'en-GB');

export function AgenciesPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    agenciesApi.listAll().then(
      ({ agencies }) => live && setLoad({ status: 'ready', agencies }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const upsert = useCallback((agency: AdminAgency) => {
    setLoad((current) =>
      current.status === 'ready'
        ? { ...current, agencies: [...current.agencies.filter((a) => a.id !== agency.id), agency].sort(byName) }
        : current,
    );
  }, []);

  const saved = useCallback(
    (agency: AdminAgency) => {
      upsert(agency);
      setMessage(`Saved ${agency.name}.`);
    },
    [upsert],
  );

  const created = useCallback(
    (agency: AdminAgency) => {
      upsert(agency);
      setMessage(`Created ${agency.name}.`);
    },
    [upsert],
  );

  function close() {
    setSelectedId(null);
    listHeadingRef.current?.focus();
  }

  const selected = load.status === 'ready' ? (load.agencies.find((a) => a.id === selectedId) ?? null) : null;

  return (
    <>
      <PageHeading title="Agencies">The organisations taking part in the workspace.</PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      <section className="panel" aria-labelledby="agencies-title">
        <h2 id="agencies-title" ref={listHeadingRef} tabIndex={-1}>
          Agencies{load.status === 'ready' ? ` (${load.agencies.length})` : ''}
        </h2>

        {load.status === 'loading' ? <p role="status">Loading agencies…</p> : null}
        {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

        {load.status === 'ready' ? (
          load.agencies.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">No agencies yet</p>
              <p className="muted">Create the first one below.</p>
            </div>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="agencies-caption">
              <table className="record-table">
                <caption id="agencies-caption">All agencies</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Code</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {load.agencies.map((agency) => (
                    <tr key={agency.id} className={agency.id === selectedId ? 'row-selected' : undefined}>
                      <th scope="row" className="wrap">
                        {agency.name}
                      </th>
                      <td>
                        <code>{agency.code}</code>
                      </td>
                      <td>{agencyKindLabel(agency.kind)}</td>
                      <td>{agency.active ? <Badge tone="good">Active</Badge> : <Badge tone="muted">Inactive</Badge>}</td>
                      <td>
                        <button
                          type="button"
                          className="button button-secondary"
                          aria-expanded={agency.id === selectedId}
                          onClick={() => setSelectedId(agency.id)}
                        >
                          Edit<span className="visually-hidden"> {agency.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </section>

      {selected ? <AgencyEditor agency={selected} onSaved={saved} onStale={reload} onClose={close} /> : null}

      <section className="panel" aria-labelledby="new-agency-title">
        <h2 id="new-agency-title">New agency</h2>
        <NewAgencyForm onCreated={created} />
      </section>
    </>
  );
}
