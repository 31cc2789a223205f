/**
 * `/match-reviews` (the queue, `?status=`) and `/match-reviews/:id` (one review): records the
 * linker could not place with confidence, for panel chairs, IG leads and agency admins.
 */
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { isReviewFilter, matchReviewsApi, type ReviewFilter, type ReviewSummary } from '../api/matchReviews';
import { useCurrentUser } from '../auth/AuthContext';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { ReviewList } from '../matchReview/ReviewList';
import { FILTER_LABELS, FILTERS } from '../matchReview/vocab';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import { MatchReviewPage } from './MatchReviewPage';
import { ListOrDetail } from '../router/ListOrDetail';
import '../decisions/decisions.css';
import '../matchReview/matchReview.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; reviews: ReviewSummary[]; of: ReviewFilter };

function MatchReviewQueue() {
  const user = useCurrentUser();
  const { query } = useLocation();
  const raw = query.get('status');
  const filter: ReviewFilter = isReviewFilter(raw) ? raw : 'undecided';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setLoad({ status: 'loading' });
    matchReviewsApi.list(filter).then(
      ({ reviews }) => live && setLoad({ status: 'ready', reviews, of: filter }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [filter, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return (
    <>
      <PageHeading title="Match review">
        Records from {user.agency.name} that might belong to a person already known. Compare them field by field, then link,
        mark not a match, or leave unsure.
      </PageHeading>
      <nav className="status-filter" aria-label="Reviews by status">
        <ul>
          {FILTERS.map((f) => (
            <li key={f}>
              <Link to={`/match-reviews?status=${f}`} aria-current={f === filter ? 'page' : undefined}>
                {FILTER_LABELS[f]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {load.status === 'loading' ? <p role="status">Loading reviews…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}
      {load.status === 'ready' ? (
        load.reviews.length === 0 ? (
          <div className="empty-state panel">
            <p className="empty-title">No reviews here</p>
            <p className="muted">New records that might match someone already known appear here.</p>
          </div>
        ) : (
          <ReviewList reviews={load.reviews} caption={`${FILTER_LABELS[filter]} (${load.reviews.length})`} />
        )
      ) : null}
    </>
  );
}

export function MatchReviewsPage() {
  return <ListOrDetail base="/match-reviews" List={MatchReviewQueue} Detail={MatchReviewPage} />;
}
