/** One agreement in the list: who, what, why, when, whether it counts now, and its status moves. */
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { AGREEMENT_TRANSITIONS, agreementsApi, type Agreement, type AgreementStatus } from '../api/agreements';
import { Badge } from '../components/Badge';
import { AlertRegion } from '../components/Banner';
import { categoryLabel, purposeLabel } from '../people/vocab';
import { AGREEMENT_STATUS_LABELS, inForceText, TRANSITION_LABELS, validityText } from './vocab';

const STATUS_TONES: Record<AgreementStatus, 'neutral' | 'good' | 'warn' | 'muted'> = {
  draft: 'neutral',
  active: 'good',
  suspended: 'warn',
  ended: 'muted',
};

export function AgreementCard({
  agreement,
  agencyName,
  onChanged,
  onStale,
}: {
  agreement: Agreement;
  agencyName: (id: string) => string;
  /** The server accepted a status move. */
  onChanged: (agreement: Agreement) => void;
  /** The agreement changed elsewhere (409): fetch the list again. */
  onStale: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const endButtonRef = useRef<HTMLButtonElement>(null);
  const titleId = `agreement-${agreement.id}-title`;
  const moves = AGREEMENT_TRANSITIONS[agreement.status] ?? [];

  useEffect(() => {
    if (confirmingEnd) confirmRef.current?.focus();
  }, [confirmingEnd]);

  async function move(status: AgreementStatus) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { agreement: updated } = await agreementsApi.setStatus(agreement.id, status);
      setConfirmingEnd(false);
      onChanged(updated);
      // The pressed button may be gone now: keep focus in this agreement.
      headingRef.current?.focus();
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) onStale();
    }
    setBusy(false);
  }

  function cancelEnd() {
    setConfirmingEnd(false);
    // Wait for the End button to come back before focusing it.
    window.setTimeout(() => endButtonRef.current?.focus(), 0);
  }

  const inForce = inForceText(agreement);

  return (
    <article className="agreement" aria-labelledby={titleId} aria-busy={busy}>
      <header className="agreement-header">
        <h3 id={titleId} className="agreement-title" ref={headingRef} tabIndex={-1}>
          {agreement.title}
        </h3>
        <p className="agreement-badges">
          <span className="visually-hidden">Status: </span>
          <Badge tone={STATUS_TONES[agreement.status]}>{AGREEMENT_STATUS_LABELS[agreement.status] ?? agreement.status}</Badge>
          <span className={agreement.inForce ? 'in-force' : 'not-in-force'}>{inForce}</span>
        </p>
      </header>

      <dl className="agreement-details">
        <div>
          <dt>Parties</dt>
          <dd>{agreement.parties.map(agencyName).join(', ')}</dd>
        </div>
        <div>
          <dt>Purposes</dt>
          <dd>{agreement.purposes.map(purposeLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Data categories</dt>
          <dd>{agreement.categories.map(categoryLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Lawful basis</dt>
          <dd>
            {agreement.lawfulBasis.article6 ?? 'Article 6 basis not recorded'}
            {agreement.lawfulBasis.article9 ? <>; {agreement.lawfulBasis.article9}</> : null}
          </dd>
        </div>
        <div>
          <dt>Valid</dt>
          <dd>{validityText(agreement)}</dd>
        </div>
      </dl>

      <AlertRegion message={error} />

      {moves.length > 0 && !confirmingEnd ? (
        <div className="button-row">
          {moves.map((status) =>
            status === 'ended' ? (
              <button
                key={status}
                ref={endButtonRef}
                type="button"
                className="button button-secondary"
                disabled={busy}
                aria-describedby={titleId}
                onClick={() => setConfirmingEnd(true)}
              >
                {TRANSITION_LABELS[status]}
              </button>
            ) : (
              <button
                key={status}
                type="button"
                className="button"
                disabled={busy}
                aria-describedby={titleId}
                onClick={() => void move(status)}
              >
                {busy ? 'Saving…' : TRANSITION_LABELS[status]}
              </button>
            ),
          )}
        </div>
      ) : null}

      {confirmingEnd ? (
        <div className="confirm" role="group" aria-labelledby={`${titleId}-confirm`} ref={confirmRef} tabIndex={-1}>
          <p id={`${titleId}-confirm`} className="confirm-text">
            End “{agreement.title}”? Sharing under it stops at once, and an ended agreement cannot be restarted.
          </p>
          <div className="button-row">
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void move('ended')}>
              {busy ? 'Ending…' : 'Yes, end agreement'}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={cancelEnd}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </article>
  );
}
