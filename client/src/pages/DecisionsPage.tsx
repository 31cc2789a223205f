/**
 * `/decisions` (IG leads): decisions to share without consent made in the user's agency, by
 * status (awaiting sign-off first). Sign off, reject with a reason, or revoke.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { agenciesApi } from '../api/agencies';
import { DECISION_STATUSES, decisionsApi, isDecisionStatus, type Decision, type DecisionStatus } from '../api/decisions';
import type { Agency } from '../api/types';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { DecisionCard } from '../decisions/DecisionCard';
import { DECISION_STATUS_LABELS } from '../decisions/vocab';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../decisions/decisions.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; decisions: Decision[]; agencies: Agency[]; of: DecisionStatus };

const EMPTY_TEXT: Record<DecisionStatus, string> = {
  pending_signoff: 'Nothing awaits your sign-off',
  active: 'No decision is in effect',
  rejected: 'No rejected decisions',
  revoked: 'No revoked decisions',
};

export function DecisionsPage() {
  const user = useCurrentUser();
  const { query } = useLocation();
  const raw = query.get('status');
  const status: DecisionStatus = isDecisionStatus(raw) ? raw : 'pending_signoff';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const [stale, setStale] = useState(false);
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    // A reload keeps the list on screen; another status starts afresh.
    setLoad((current) => (current.status === 'ready' && current.of === status ? current : { status: 'loading' }));
    Promise.all([decisionsApi.list(status), agenciesApi.list()]).then(
      ([{ decisions }, { agencies }]) => live && setLoad({ status: 'ready', decisions, agencies, of: status }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [status, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => setStale(false), [status]);

  const onStale = useCallback(() => {
    setStale(true);
    setMessage('');
    reload();
    listHeadingRef.current?.focus();
  }, [reload]);

  const agencies = load.status === 'ready' ? load.agencies : null;
  const agencyName = useMemo(() => {
    const names = new Map((agencies ?? []).map((agency) => [agency.id, agency.name]));
    names.set(user.agency.id, user.agency.name);
    return (id: string) => names.get(id) ?? 'An agency no longer active';
  }, [agencies, user.agency]);

  const replace = useCallback((decision: Decision, done: string) => {
    setLoad((current) =>
      current.status === 'ready'
        ? { ...current, decisions: current.decisions.map((d) => (d.id === decision.id ? decision : d)) }
        : current,
    );
    setMessage(done);
    setStale(false);
  }, []);

  const ready = load.status === 'ready' && load.of === status;
  const decisions = load.status === 'ready' ? load.decisions : [];

  return (
    <>
      <PageHeading title="Decisions">
        Decisions to share without consent made in {user.agency.name}. A decision takes effect once you sign it off;
        emergency decisions are in effect already and need your review.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>
      <AlertRegion message={stale ? 'Already decided — refreshed' : null} />

      <nav className="status-filter" aria-label="Decisions by status">
        <ul>
          {DECISION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={`/decisions?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                {DECISION_STATUS_LABELS[s]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {load.status === 'loading' || (load.status === 'ready' && !ready) ? <p role="status">Loading decisions…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {ready ? (
        <section className="panel" aria-labelledby="decisions-title">
          <h2 id="decisions-title" ref={listHeadingRef} tabIndex={-1}>
            {DECISION_STATUS_LABELS[status]} ({decisions.length})
          </h2>
          {decisions.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">{EMPTY_TEXT[status]}</p>
              <p className="muted">Decisions are made on a person's page, under "Share without consent".</p>
            </div>
          ) : (
            <ul className="decision-list">
              {decisions.map((decision) => (
                <li key={decision.id}>
                  <DecisionCard decision={decision} agencyName={agencyName} onChanged={replace} onStale={onStale} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
