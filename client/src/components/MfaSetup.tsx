/**
 * Setting up two-step verification: start (the server makes a secret), scan the QR code or
 * type the secret, confirm with a code, then see the recovery codes once.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { authApi } from '../api/auth';
import { ApiError, errorMessage } from '../api/ApiError';
import type { MfaActivation, MfaEnrollment, User } from '../api/types';
import { AlertRegion } from './Banner';
import { RecoveryCodes } from './RecoveryCodes';
import { TextField } from './TextField';

/** `ABCDEFGH...` as `ABCD EFGH ...`, easier to type from the screen. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function MfaSetup({ onDone }: { onDone: (user: User) => void | Promise<void> }) {
  const [enrollment, setEnrollment] = useState<MfaEnrollment | null>(null);
  const [activation, setActivation] = useState<MfaActivation | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (error && !busy) codeRef.current?.focus();
  }, [error, busy]);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setEnrollment(await authApi.enrollMfa());
    } catch (err) {
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  async function activate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const value = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(value)) {
      setError('Enter the 6-digit code your authenticator app shows.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setActivation(await authApi.activateMfa(value));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'invalid_code'
          ? 'That code was not accepted. Check the time on your phone is correct and enter the current code.'
          : errorMessage(err),
      );
      setCode('');
    }
    setBusy(false);
  }

  if (activation) {
    return <RecoveryCodes codes={activation.recoveryCodes} onConfirm={() => onDone(activation.user)} />;
  }

  if (!enrollment) {
    return (
      <div className="form">
        <AlertRegion message={error} />
        <p>
          You will need an authenticator app on your work phone (for example Microsoft Authenticator or
          Google Authenticator). It shows a new 6-digit code every 30 seconds.
        </p>
        <button type="button" className="button" onClick={start} disabled={busy}>
          {busy ? 'Preparing…' : 'Set up authenticator app'}
        </button>
      </div>
    );
  }

  return (
    <form className="form" onSubmit={activate} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <ol className="steps">
        <li>
          <p>In your authenticator app, add an account and scan this QR code.</p>
          <img
            className="qr"
            src={enrollment.qrDataUrl}
            width={200}
            height={200}
            alt="QR code for adding Crisis Care Workspace to your authenticator app"
          />
          <p className="small">
            Cannot scan it? Choose to enter a key instead and type this one:
            <br />
            <code className="secret">{groupSecret(enrollment.secret)}</code>
          </p>
        </li>
        <li>
          <TextField
            ref={codeRef}
            label="6-digit code from the app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            className="input-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            readOnly={busy}
            required
          />
        </li>
      </ol>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Checking…' : 'Turn on two-step verification'}
      </button>
    </form>
  );
}
