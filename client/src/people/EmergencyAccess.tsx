/**
 * Break-glass on a person page: open the person's records outside the sharing rules with a
 * written reason and a fresh code from the authenticator app. Access is time-limited, flagged
 * on every record it opens, and queued for the IG lead's review.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { breakGlassApi, type BreakGlassGrant } from '../api/breakGlass';
import { AlertRegion } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import { formatTime } from '../decisions/vocab';
import { Link } from '../router/Link';
import { formatDateTime } from './vocab';
import './sharing.css';

const MIN_REASON = 20;
const FORM_ID = 'emergency-access-form';

/** The "Emergency access" button and, once pressed, its form. */
export function EmergencyAccess({ personId, onOpened }: { personId: string; onOpened: (grant: BreakGlassGrant) => void }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);

  function close() {
    setOpen(false);
    window.setTimeout(() => buttonRef.current?.focus(), 0);
  }

  return (
    <div className="emergency-access">
      {!open ? (
        <>
          <p className="small emergency-access-intro">
            Need these records now to keep someone safe? Emergency access opens them for a limited time. It is recorded,
            flagged on every record, and reviewed by your IG lead.
          </p>
          <button
            ref={buttonRef}
            type="button"
            className="button button-emergency"
            aria-expanded={false}
            onClick={() => setOpen(true)}
          >
            Emergency access
          </button>
        </>
      ) : (
        <EmergencyAccessForm
          personId={personId}
          onCancel={close}
          onOpened={(grant) => {
            setOpen(false);
            onOpened(grant);
          }}
        />
      )}
    </div>
  );
}

function EmergencyAccessForm({
  personId,
  onCancel,
  onOpened,
}: {
  personId: string;
  onCancel: () => void;
  onOpened: (grant: BreakGlassGrant) => void;
}) {
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReactNode>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => reasonRef.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const why = reason.trim();
    const digits = code.replace(/\s+/g, '');
    if (why.length < MIN_REASON) {
      setError(`Reason: write at least ${MIN_REASON} characters.`);
      reasonRef.current?.focus();
      return;
    }
    if (!/^\d{6}$/.test(digits)) {
      setError('Enter the 6-digit code from your authenticator app.');
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { grant } = await breakGlassApi.open(personId, why, digits);
      setBusy(false);
      onOpened(grant);
      return;
    } catch (err) {
      // A code is spent once tried; ask for the next one.
      setCode('');
      if (err instanceof ApiError && err.code === 'mfa_required') {
        setError(
          <>
            {err.message} <Link to="/account/security">Go to Account security</Link>
          </>,
        );
      } else if (err instanceof ApiError && err.code === 'step_up_failed') {
        setError("That code wasn't accepted. Enter the current code from your authenticator app.");
        codeRef.current?.focus();
      } else {
        setError(errorMessage(err));
      }
    }
    setBusy(false);
  }

  return (
    <form id={FORM_ID} className="form emergency-form" aria-label="Emergency access" onSubmit={submit} noValidate aria-busy={busy}>
      <h3>Emergency access</h3>
      <AlertRegion message={error} />
      <TextAreaField
        ref={reasonRef}
        label="Reason"
        hint="Why do you need this now? Your IG lead will review it."
        name="reason"
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <TextField
        ref={codeRef}
        label="Current code from your authenticator app"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        className="input-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <div className="button-row">
        <button type="submit" className="button button-emergency" disabled={busy}>
          {busy ? 'Opening…' : 'Open records'}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The banner shown while a grant lasts. */
export function EmergencyAccessBanner({ grant, justOpened }: { grant: BreakGlassGrant; justOpened: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  // Move focus here only when the user has just opened access (not on a later visit).
  useEffect(() => {
    if (justOpened) ref.current?.focus();
  }, [grant.id, justOpened]);
  return (
    <div className="banner emergency-banner" role="status" ref={ref} tabIndex={-1}>
      <strong>
        Emergency access until <time dateTime={grant.expiresAt}>{formatTime(grant.expiresAt)}</time> — recorded and sent
        for review
      </strong>
      <span className="small emergency-banner-detail">
        {' '}
        Opened <time dateTime={grant.grantedAt}>{formatDateTime(grant.grantedAt)}</time>. Records opened this way are
        flagged.
      </span>
    </div>
  );
}
