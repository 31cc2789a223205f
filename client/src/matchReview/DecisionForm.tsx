/**
 * The reviewer's decision: link to a candidate, not a match, or unsure, with an optional note.
 * Plain buttons and radio inputs, so it works from the keyboard; errors are announced.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { matchReviewsApi, type ReviewCandidate, type ReviewDecision, type ReviewSummary } from '../api/matchReviews';
import { AlertRegion } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { formatWeight } from './vocab';

const DONE: Record<ReviewDecision, string> = {
  link: 'Linked: the record now belongs to the chosen person.',
  not_a_match: 'Marked not a match: the record stays with a person of its own.',
  unsure: 'Marked unsure: the review stays in the queue.',
};

export function DecisionForm({
  reviewId,
  candidates,
  onDecided,
  onStale,
}: {
  reviewId: string;
  candidates: ReviewCandidate[];
  onDecided: (review: ReviewSummary, message: string) => void;
  /** Decided elsewhere or the record moved (409/404): reload. */
  onStale: (message: string) => void;
}) {
  const [personId, setPersonId] = useState(candidates[0]?.personId ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<ReviewDecision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const legendId = useId();

  async function decide(decision: ReviewDecision) {
    if (busy) return;
    if (decision === 'link' && !personId) {
      setError('Choose the candidate to link this record to.');
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      const { review } = await matchReviewsApi.decide(reviewId, {
        decision,
        ...(decision === 'link' ? { personId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote('');
      onDecided(review, DONE[decision]);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) onStale(err.message);
      else setError(errorMessage(err));
    }
    setBusy(null);
  }

  // Enter in the form does nothing on its own: each decision is its own button.
  function onSubmit(event: FormEvent) {
    event.preventDefault();
  }

  return (
    <form className="review-decision" aria-label="Decide this review" aria-busy={busy !== null} onSubmit={onSubmit}>
      {candidates.length > 1 ? (
        <fieldset aria-labelledby={legendId}>
          <legend id={legendId}>Link to which candidate?</legend>
          {candidates.map((c, i) => (
            <label key={c.personId} className="radio">
              <input type="radio" name="candidate" value={c.personId} checked={personId === c.personId} onChange={() => setPersonId(c.personId)} />
              Candidate {i + 1} (match weight {formatWeight(c.score)})
            </label>
          ))}
        </fieldset>
      ) : null}
      <TextAreaField label="Note (optional)" hint="Why you decided as you did. Kept with the review; never shared." value={note} maxLength={1000} rows={3} onChange={(e) => setNote(e.target.value)} />
      <AlertRegion message={error} />
      <div className="button-row">
        <button type="button" className="button" disabled={busy !== null || candidates.length === 0} onClick={() => void decide('link')}>
          {busy === 'link' ? 'Linking…' : 'Link'}
        </button>
        <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void decide('not_a_match')}>
          {busy === 'not_a_match' ? 'Saving…' : 'Not a match'}
        </button>
        <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void decide('unsure')}>
          {busy === 'unsure' ? 'Saving…' : 'Unsure'}
        </button>
      </div>
    </form>
  );
}
