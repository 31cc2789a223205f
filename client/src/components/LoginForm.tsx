import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { useAuth } from '../auth/AuthContext';
import { AlertRegion } from './Banner';
import { TextField } from './TextField';

const MAX_PASSWORD = 128;

/** What to tell the user for a failed sign-in; never which of email or password was wrong. */
function loginErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'invalid_credentials') {
      return 'Email or password is incorrect, or the account is locked. Contact your agency administrator if this continues.';
    }
    if (err.code === 'too_many_attempts') {
      return err.retryAfter
        ? `Too many sign-in attempts. Please wait ${err.retryAfter} seconds and try again.`
        : 'Too many sign-in attempts. Please wait a few minutes and try again.';
    }
    if (err.code === 'validation_failed') return 'Enter a valid email address and your password.';
  }
  return errorMessage(err);
}

/** Step one of signing in: email and password. */
export function LoginForm() {
  const { login } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // After a refusal, put the cursor back where the user will type next.
  useEffect(() => {
    if (error && !busy) (emailRef.current?.value ? passwordRef : emailRef).current?.focus();
  }, [error, busy]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email address and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(loginErrorText(err));
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={handleSubmit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <TextField
        ref={emailRef}
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        inputMode="email"
        spellCheck={false}
        autoCapitalize="none"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        readOnly={busy}
        required
      />
      <TextField
        ref={passwordRef}
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        maxLength={MAX_PASSWORD}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        readOnly={busy}
        required
      />
      <button type="submit" className="button button-block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
