/** One emergency (break-glass) access for the IG lead: who, when, why, and the review form. */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { breakGlassApi, type BreakGlassForReview, type BreakGlassOutcome } from '../api/breakGlass';
import { Badge } from '../components/Badge';
import { AlertRegion } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { formatDateTime } from '../people/vocab';
import { Link } from '../router/Link';

export const OUTCOME_LABELS: Record<BreakGlassOutcome, string> = {
  appropriate: 'Appropriate',
  inappropriate: 'Inappropriate',
};

/** Still open: not yet expired, and not ended by an "inappropriate" review. */
export function isLive(grant: BreakGlassForReview, now = Date.now()): boolean {
  if (grant.review?.outcome === 'inappropriate') return false;
  const ends = Date.parse(grant.expiresAt);
  return !Number.isNaN(ends) && ends > now;
}

export function GrantCard({
  grant,
  onReviewed,
  onStale,
}: {
  grant: BreakGlassForReview;
  onReviewed: (grant: BreakGlassForReview) => void;
  /** Reviewed elsewhere (409/404): fetch the list again. */
  onStale: () => void;
}) {
  const [outcome, setOutcome] = useState<BreakGlassOutcome | ''>('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRadioRef = useRef<HTMLInputElement>(null);
  const titleId = `grant-${grant.id}-title`;
  const live = isLive(grant);
  const title = `Emergency access opened ${formatDateTime(grant.grantedAt)}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!outcome) {
      setError('Choose whether the access was appropriate.');
      firstRadioRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { grant: updated } = await breakGlassApi.review(grant.id, outcome, note.trim() || undefined);
      onReviewed(updated);
      headingRef.current?.focus();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        setError('Already reviewed — refreshed');
        onStale();
      } else {
        setError(errorMessage(err));
      }
    }
    setBusy(false);
  }

  return (
    <article className={`decision grant${live ? ' grant-live' : ''}`} aria-labelledby={titleId} aria-busy={busy}>
      <header className="decision-header">
        <h3 id={titleId} className="decision-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        <p className="decision-badges">
          {live ? <Badge tone="warn">Live now</Badge> : <Badge tone="muted">Ended</Badge>}
          {grant.review?.outcome ? (
            <Badge tone={grant.review.outcome === 'appropriate' ? 'good' : 'warn'}>
              Reviewed: {OUTCOME_LABELS[grant.review.outcome]}
            </Badge>
          ) : (
            <Badge tone="neutral">Awaiting review</Badge>
          )}
        </p>
      </header>

      <dl className="decision-details">
        <div>
          <dt>Reason given</dt>
          <dd className="decision-justification">{grant.reason}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <time dateTime={grant.grantedAt}>{formatDateTime(grant.grantedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>{live ? 'Access until' : 'Access ended'}</dt>
          <dd>
            <time dateTime={grant.expiresAt}>{formatDateTime(grant.expiresAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Opened by</dt>
          <dd>
            A user in your agency <span className="small muted">(user ref {grant.userId.slice(-6)})</span>
          </dd>
        </div>
        {grant.review ? (
          <div>
            <dt>Review</dt>
            <dd>
              {grant.review.outcome ? OUTCOME_LABELS[grant.review.outcome] : 'Reviewed'},{' '}
              <time dateTime={grant.review.at}>{formatDateTime(grant.review.at)}</time>
              {grant.review.note ? <> — {grant.review.note}</> : null}
            </dd>
          </div>
        ) : null}
      </dl>

      <p className="decision-person">
        <Link to={`/people/${encodeURIComponent(grant.personId)}`} aria-describedby={titleId}>
          Open the person's page
        </Link>
      </p>

      {grant.review ? (
        <AlertRegion message={error} />
      ) : (
        <form
          className="decision-review-form"
          aria-label={`Review: ${title}`}
          onSubmit={submit}
          noValidate
          aria-busy={busy}
        >
          <AlertRegion message={error} />
          <fieldset className="choice-group">
            <legend>Was this access appropriate?</legend>
            <p className="hint">
              {live ? 'Inappropriate ends the access at once. ' : null}Either way, the review is kept with the record.
            </p>
            <div className="choice-list">
              {(['appropriate', 'inappropriate'] as const).map((value, index) => (
                <label key={value} className="choice">
                  <input
                    ref={index === 0 ? firstRadioRef : undefined}
                    type="radio"
                    name={`outcome-${grant.id}`}
                    value={value}
                    checked={outcome === value}
                    onChange={() => setOutcome(value)}
                  />
                  <span>{OUTCOME_LABELS[value]}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <TextAreaField
            label="Note (optional)"
            name={`review-note-${grant.id}`}
            rows={2}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Recording…' : 'Record review'}
          </button>
        </form>
      )}
    </article>
  );
}
