import { useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { useAuth } from '../auth/AuthContext';

/** Signs out; says so if the server could not be told (the session would still be live). */
export function SignOutButton() {
  const { signOut } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleClick() {
    setBusy(true);
    setError(null);
    try {
      await signOut();
    } catch (err) {
      setError(`Sign-out did not complete. ${errorMessage(err)}`);
      setBusy(false);
    }
  }

  return (
    <div className="sign-out">
      <button type="button" className="button button-secondary" onClick={handleClick} disabled={busy}>
        Sign out
      </button>
      {error ? (
        <p role="alert" className="sign-out-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
