/**
 * `/agreements` (IG leads): the data-sharing agreements the user's agency is party to, their
 * status moves, and a form to draft a new one. Only active, in-date agreements count for sharing.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { agenciesApi } from '../api/agencies';
import { agreementsApi, type Agreement } from '../api/agreements';
import type { Agency } from '../api/types';
import { AgreementCard } from '../agreements/AgreementCard';
import { AgreementForm } from '../agreements/AgreementForm';
import { AGREEMENT_STATUS_LABELS } from '../agreements/vocab';
import { useCurrentUser } from '../auth/AuthContext';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import '../agreements/agreements.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; agreements: Agreement[]; agencies: Agency[] };

export function AgreementsPage() {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');

  useEffect(() => {
    let live = true;
    Promise.all([agreementsApi.list(), agenciesApi.list()]).then(
      ([{ agreements }, { agencies }]) => live && setLoad({ status: 'ready', agreements, agencies }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const agencies = load.status === 'ready' ? load.agencies : null;
  const agencyName = useMemo(() => {
    const names = new Map((agencies ?? []).map((agency) => [agency.id, agency.name]));
    names.set(user.agency.id, user.agency.name);
    return (id: string) => names.get(id) ?? 'An agency no longer active';
  }, [agencies, user.agency]);

  const replace = useCallback((agreement: Agreement) => {
    setLoad((current) =>
      current.status === 'ready'
        ? { ...current, agreements: current.agreements.map((a) => (a.id === agreement.id ? agreement : a)) }
        : current,
    );
    setMessage(`“${agreement.title}” is now ${(AGREEMENT_STATUS_LABELS[agreement.status] ?? agreement.status).toLowerCase()}.`);
  }, []);

  const add = useCallback((agreement: Agreement) => {
    setLoad((current) =>
      current.status === 'ready' ? { ...current, agreements: [agreement, ...current.agreements] } : current,
    );
  }, []);

  return (
    <>
      <PageHeading title="Data-sharing agreements">
        Agreements between {user.agency.name} and other agencies. Only active, in-date agreements count for sharing.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      {load.status === 'loading' ? <p role="status">Loading agreements…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {load.status === 'ready' ? (
        <>
          <section className="panel" aria-labelledby="agreements-title">
            <h2 id="agreements-title">Agreements ({load.agreements.length})</h2>
            {load.agreements.length === 0 ? (
              <div className="empty-state">
                <p className="empty-title">Your agency is not party to any agreement yet</p>
                <p className="muted">Draft one below. Records are shared with other agencies only under an agreement in force.</p>
              </div>
            ) : (
              <ul className="agreement-list">
                {load.agreements.map((agreement) => (
                  <li key={agreement.id}>
                    <AgreementCard agreement={agreement} agencyName={agencyName} onChanged={replace} onStale={reload} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="new-agreement-title">
            <h2 id="new-agreement-title">New agreement</h2>
            <AgreementForm agencies={load.agencies} ownAgency={user.agency} onCreated={add} />
          </section>
        </>
      ) : null}
    </>
  );
}
