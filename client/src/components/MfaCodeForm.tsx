import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { useAuth } from '../auth/AuthContext';
import { AlertRegion } from './Banner';
import { TextField } from './TextField';

/** Step two of signing in: a code from the authenticator app, or a recovery code. */
export function MfaCodeForm() {
  const { verifyMfa, cancelMfa } = useAuth();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (error && !busy) codeRef.current?.focus();
  }, [error, busy]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const value = code.replace(/\s+/g, '');
    if (!value) {
      setError('Enter the code from your authenticator app, or a recovery code.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await verifyMfa(value);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'invalid_code'
          ? 'That code was not accepted. Codes change every 30 seconds: enter the current one, or a recovery code you have not used.'
          : errorMessage(err),
      );
      setCode('');
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={handleSubmit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <TextField
        ref={codeRef}
        label="Authentication code"
        hint="The 6-digit code from your authenticator app, or one of your recovery codes (like abcd-efgh-ijkl)."
        name="code"
        autoComplete="one-time-code"
        spellCheck={false}
        autoCapitalize="none"
        maxLength={32}
        className="input-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        readOnly={busy}
        autoFocus
        required
      />
      <button type="submit" className="button button-block" disabled={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
      <button type="button" className="button-link" onClick={() => void cancelMfa()} disabled={busy}>
        Use a different account
      </button>
    </form>
  );
}
