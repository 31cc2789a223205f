/**
 * Subject access request (IG leads of an agency holding a record of the person): download
 * everything the workspace holds about the person, as JSON or a readable page. A bulk export,
 * so each download needs a fresh code from the authenticator app (each code works once).
 */
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { subjectAccessApi, type SarFormat } from '../api/subjectAccess';
import { AlertRegion } from '../components/Banner';
import { TextField } from '../components/TextField';
import { Link } from '../router/Link';
import { saveFile } from './saveFile';
import './sharing.css';

export function SubjectAccessPanel({ personId }: { personId: string }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<SarFormat | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [done, setDone] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);

  async function download(format: SarFormat) {
    if (busy) return;
    const digits = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) {
      setError('Enter the 6-digit code from your authenticator app.');
      setDone('');
      codeRef.current?.focus();
      return;
    }
    setBusy(format);
    setError(null);
    setDone('');
    try {
      const { blob } = await subjectAccessApi.export(personId, digits, format);
      const filename = `sar-${personId}.${format}`;
      saveFile(blob, filename);
      setDone(`Downloaded ${filename}. For another copy, enter a new code.`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_required') {
        setError(
          <>
            {err.message} <Link to="/account/security">Go to Account security</Link>
          </>,
        );
      } else if (err instanceof ApiError && err.code === 'step_up_failed') {
        setError("That code wasn't accepted. Enter the current code from your authenticator app.");
      } else {
        setError(errorMessage(err));
      }
    }
    // Each code works once, whatever happened.
    setCode('');
    setBusy(null);
    codeRef.current?.focus();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void download('json');
  }

  return (
    <section className="panel" aria-labelledby="sar-title">
      <h2 id="sar-title">Subject access request</h2>
      <p className="muted">
        Everything the workspace holds about this person: records from every agency, consents, decisions and the audit
        trail. The export is recorded in the audit log.
      </p>
      <form className="form sar-form" aria-label="Subject access request" onSubmit={submit} noValidate aria-busy={busy !== null}>
        <AlertRegion message={error} />
        <p role="status" className={done ? 'banner banner-success' : 'visually-hidden'}>
          {done}
        </p>
        <TextField
          ref={codeRef}
          label="Current code from your authenticator app"
          hint="Each code works once: enter a fresh one for each download."
          name="sarCode"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          className="input-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy !== null}>
            {busy === 'json' ? 'Preparing…' : 'Download JSON'}
          </button>
          <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void download('html')}>
            {busy === 'html' ? 'Preparing…' : 'Download readable copy'}
          </button>
        </div>
      </form>
    </section>
  );
}
