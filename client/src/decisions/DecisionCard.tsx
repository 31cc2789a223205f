/** One decision to share without consent, for the IG lead: what, why, for whom, until when, and the sign-off actions. */
import { useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { decisionsApi, type Decision } from '../api/decisions';
import { Badge } from '../components/Badge';
import { AlertRegion } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { categoryLabel, formatDateTime, formatDay, purposeLabel, SENSITIVE_FIELDS } from '../people/vocab';
import { Link } from '../router/Link';
import { basisLabel, DECISION_STATUS_LABELS } from './vocab';

type Action = 'sign_off' | 'reject' | 'revoke';

const STATUS_TONES: Record<Decision['status'], 'neutral' | 'good' | 'warn' | 'muted'> = {
  pending_signoff: 'warn',
  active: 'good',
  rejected: 'muted',
  revoked: 'muted',
};

const DONE_WORDS: Record<Action, string> = {
  sign_off: 'signed off',
  reject: 'rejected',
  revoke: 'revoked',
};

function sensitiveLabel(id: string): string {
  return SENSITIVE_FIELDS.find((field) => field.id === id)?.label ?? id;
}

export function DecisionCard({
  decision,
  agencyName,
  onChanged,
  onStale,
}: {
  decision: Decision;
  agencyName: (id: string) => string;
  /** The server accepted an action. */
  onChanged: (decision: Decision, done: string) => void;
  /** Decided elsewhere (409): say so and fetch the list again. */
  onStale: () => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const titleId = `decision-${decision.id}-title`;
  const pending = decision.status === 'pending_signoff';
  const revocable = pending || decision.status === 'active';
  const title = `${basisLabel(decision.basis)} — decided ${formatDateTime(decision.decidedAt)}`;

  async function act(action: Action) {
    if (busy) return;
    const text = note.trim();
    if (action === 'reject' && !text) {
      setError('Write a note saying why you are rejecting this decision.');
      noteRef.current?.focus();
      return;
    }
    setBusy(action);
    setError(null);
    try {
      const { decision: updated } =
        action === 'sign_off'
          ? await decisionsApi.signOff(decision.id, text || undefined)
          : action === 'reject'
            ? await decisionsApi.reject(decision.id, text)
            : await decisionsApi.revoke(decision.id);
      setNote('');
      onChanged(updated, `${basisLabel(updated.basis)} decision ${DONE_WORDS[action]}.`);
      // The pressed button may be gone now: keep focus in this decision.
      headingRef.current?.focus();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        onStale();
      } else {
        setError(errorMessage(err));
      }
    }
    setBusy(null);
  }

  const { scope } = decision;

  return (
    <article
      className={`decision${decision.emergency ? ' decision-emergency' : ''}`}
      aria-labelledby={titleId}
      aria-busy={busy !== null}
    >
      <header className="decision-header">
        <h3 id={titleId} className="decision-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        <p className="decision-badges">
          <span className="visually-hidden">Status: </span>
          <Badge tone={STATUS_TONES[decision.status]}>{DECISION_STATUS_LABELS[decision.status] ?? decision.status}</Badge>
          {decision.emergency ? <Badge tone="warn">Emergency (out of hours)</Badge> : null}
        </p>
      </header>
      {decision.emergency && pending ? (
        <p className="small decision-note">In effect now: a duty manager made it out of hours. Review it today.</p>
      ) : null}

      <dl className="decision-details">
        <div>
          <dt>Justification</dt>
          <dd className="decision-justification">{decision.justification}</dd>
        </div>
        <div>
          <dt>Share with</dt>
          <dd>{scope.agencies.map(agencyName).join(', ') || 'No agency named'}</dd>
        </div>
        <div>
          <dt>Purposes</dt>
          <dd>{scope.purposes.map(purposeLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Data categories</dt>
          <dd>{scope.categories.map(categoryLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Sensitive fields</dt>
          <dd className={scope.sensitiveFields.length ? 'decision-sensitive' : undefined}>
            {scope.sensitiveFields.length ? scope.sensitiveFields.map(sensitiveLabel).join(', ') : 'None'}
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>
            <time dateTime={decision.expiresAt}>{formatDay(decision.expiresAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Review by</dt>
          <dd>
            <time dateTime={decision.reviewAt}>{formatDay(decision.reviewAt)}</time>
          </dd>
        </div>
        {decision.signOff ? (
          <div>
            <dt>{decision.status === 'rejected' ? 'Rejected' : 'Signed off'}</dt>
            <dd>
              <time dateTime={decision.signOff.at}>{formatDateTime(decision.signOff.at)}</time>
              {decision.signOff.note ? <> — {decision.signOff.note}</> : null}
            </dd>
          </div>
        ) : null}
      </dl>

      <p className="decision-person">
        <Link to={`/people/${encodeURIComponent(decision.personId)}`} aria-describedby={titleId}>
          Open the person's page
        </Link>
      </p>

      <AlertRegion message={error} />

      {revocable ? (
        <div className="decision-actions">
          {pending ? (
            <TextAreaField
              ref={noteRef}
              label="Note"
              hint="Optional when signing off; required to reject."
              name={`note-${decision.id}`}
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          ) : null}
          <div className="button-row">
            {pending ? (
              <>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  aria-describedby={titleId}
                  onClick={() => void act('sign_off')}
                >
                  {busy === 'sign_off' ? 'Signing off…' : 'Sign off'}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={busy !== null}
                  aria-describedby={titleId}
                  onClick={() => void act('reject')}
                >
                  {busy === 'reject' ? 'Rejecting…' : 'Reject'}
                </button>
              </>
            ) : null}
            <button
              type="button"
              className="button button-secondary"
              disabled={busy !== null}
              aria-describedby={titleId}
              onClick={() => void act('revoke')}
            >
              {busy === 'revoke' ? 'Revoking…' : 'Revoke'}
            </button>
          </div>
        </div>
      ) : null}
    </article>
  );
}
