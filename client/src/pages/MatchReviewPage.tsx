/**
 * `/match-reviews/:id`: the record under review beside each candidate, per-field evidence and
 * weights (the candidate's values only where sharing allows), and the decision buttons.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { matchReviewsApi, type ReviewDetail, type ReviewSummary } from '../api/matchReviews';
import { Badge } from '../components/Badge';
import { AlertRegion, Banner, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { DecisionForm } from '../matchReview/DecisionForm';
import { EvidenceTable } from '../matchReview/EvidenceTable';
import { formatWeight, STATUS_LABELS } from '../matchReview/vocab';
import { formatDateTime, humanise } from '../people/vocab';
import { Link } from '../router/Link';
import '../matchReview/matchReview.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; review: ReviewDetail };

export function MatchReviewPage({ id }: { id: string }) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const [stale, setStale] = useState<string | null>(null);
  const statusRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    matchReviewsApi.get(id).then(
      ({ review }) => live && setLoad({ status: 'ready', review }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const onDecided = useCallback(
    (_review: ReviewSummary, done: string) => {
      setMessage(done);
      setStale(null);
      reload();
      statusRef.current?.focus();
    },
    [reload],
  );

  const onStale = useCallback(
    (why: string) => {
      setStale(`${why} The review has been refreshed.`);
      reload();
      statusRef.current?.focus();
    },
    [reload],
  );

  const review = load.status === 'ready' ? load.review : null;
  const undecided = review ? review.status === 'open' || review.status === 'unsure' : false;

  return (
    <>
      <PageHeading title="Match review" />
      <p>
        <Link to="/match-reviews">All reviews</Link>
      </p>
      <p role="status" className="visually-hidden">
        {message}
      </p>
      <AlertRegion message={stale} />
      {message ? <Banner tone="success">{message}</Banner> : null}
      {load.status === 'loading' ? <p role="status">Loading the review…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}
      {review ? (
        <>
          <section className="panel" aria-labelledby="review-status">
            <h2 id="review-status" ref={statusRef} tabIndex={-1}>
              Status: <Badge tone={undecided ? 'warn' : 'muted'}>{STATUS_LABELS[review.status]}</Badge>
            </h2>
            {review.record ? (
              <p>
                Your record {review.record.externalRef}: {humanise(review.record.kind)} on {formatDateTime(review.record.occurredAt)} (
                {review.record.agencyName}). Raised for review {formatDateTime(review.createdAt)}.
              </p>
            ) : null}
            {review.decidedAt ? <p className="muted">Last decided {formatDateTime(review.decidedAt)}.</p> : null}
          </section>

          {review.candidates.map((c, i) => (
            <section key={c.personId} className="panel candidate" aria-labelledby={`candidate-${i}`}>
              <h3 id={`candidate-${i}`}>
                Candidate {i + 1}: match weight {formatWeight(c.score)}
              </h3>
              {c.matchedRecord.visible ? (
                <p className="muted">
                  Best-matching record: {c.matchedRecord.kind ? humanise(c.matchedRecord.kind) : 'record'}
                  {c.matchedRecord.occurredAt ? ` on ${formatDateTime(c.matchedRecord.occurredAt)}` : ''} ({c.matchedRecord.agencyName}).
                </p>
              ) : (
                <p className="candidate-withheld muted">
                  The candidate's values are withheld: {c.matchedRecord.reason} Only the comparison levels are shown.
                </p>
              )}
              <EvidenceTable candidate={c} ownAgency={review.record?.agencyName ?? 'your agency'} />
            </section>
          ))}

          {undecided ? (
            <section className="panel" aria-label="Decision">
              <DecisionForm reviewId={review.id} candidates={review.candidates} onDecided={onDecided} onStale={onStale} />
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
