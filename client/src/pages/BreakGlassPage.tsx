/**
 * `/break-glass` (IG leads): emergency (break-glass) access opened by users of the user's
 * agency, awaiting review first. Each is reviewed as appropriate or inappropriate; an
 * inappropriate review ends access that is still live.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { breakGlassApi, type BreakGlassForReview } from '../api/breakGlass';
import { useCurrentUser } from '../auth/AuthContext';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { GrantCard, OUTCOME_LABELS } from '../breakGlass/GrantCard';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../decisions/decisions.css';
import '../breakGlass/breakGlass.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; grants: BreakGlassForReview[]; reviewed: boolean };

const FILTERS = [
  { reviewed: false, label: 'Awaiting review' },
  { reviewed: true, label: 'Reviewed' },
] as const;

export function BreakGlassPage() {
  const user = useCurrentUser();
  const { query } = useLocation();
  const reviewed = query.get('reviewed') === 'true';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setLoad((current) => (current.status === 'ready' && current.reviewed === reviewed ? current : { status: 'loading' }));
    breakGlassApi.list(reviewed).then(
      ({ grants }) => live && setLoad({ status: 'ready', grants, reviewed }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [reviewed, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const replace = useCallback((grant: BreakGlassForReview) => {
    setLoad((current) =>
      current.status === 'ready' ? { ...current, grants: current.grants.map((g) => (g.id === grant.id ? grant : g)) } : current,
    );
    const outcome = grant.review?.outcome;
    setMessage(`Review recorded${outcome ? `: ${OUTCOME_LABELS[outcome].toLowerCase()}` : ''}.`);
  }, []);

  const ready = load.status === 'ready' && load.reviewed === reviewed;
  const grants = load.status === 'ready' ? load.grants : [];
  const filterLabel = FILTERS.find((f) => f.reviewed === reviewed)?.label ?? '';

  return (
    <>
      <PageHeading title="Emergency access reviews">
        Records opened by people in {user.agency.name} outside the usual sharing rules. Check each reason and record
        whether the access was appropriate.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      <nav className="status-filter" aria-label="Emergency access by review">
        <ul>
          {FILTERS.map((f) => (
            <li key={String(f.reviewed)}>
              <Link to={`/break-glass?reviewed=${f.reviewed}`} aria-current={f.reviewed === reviewed ? 'page' : undefined}>
                {f.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {!ready && load.status !== 'error' ? <p role="status">Loading emergency access…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {ready ? (
        <section className="panel" aria-labelledby="grants-title">
          <h2 id="grants-title" ref={listHeadingRef} tabIndex={-1}>
            {filterLabel} ({grants.length})
          </h2>
          {grants.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">{reviewed ? 'No reviewed emergency access yet' : 'Nothing awaits your review'}</p>
              <p className="muted">You are told at once when someone in your agency uses emergency access.</p>
            </div>
          ) : (
            <ul className="decision-list">
              {grants.map((grant) => (
                <li key={grant.id}>
                  <GrantCard grant={grant} onReviewed={replace} onStale={reload} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
