import { useState } from 'react';

/** Recovery codes, shown once; the user confirms they stored them before moving on. */
export function RecoveryCodes({ codes, onConfirm }: { codes: string[]; onConfirm: () => void | Promise<void> }) {
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  async function confirm() {
    setBusy(true);
    await onConfirm();
  }

  return (
    <section className="recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Save your recovery codes</h2>
      <p>
        Two-step verification is now on. If you lose your phone, each of these codes lets you sign in once.
        Store them somewhere safe that others cannot read, such as your agency's password manager.{' '}
        <strong>They will not be shown again.</strong>
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={copy}>
          Copy codes
        </button>
        <button type="button" className="button" onClick={confirm} disabled={busy}>
          I have stored these
        </button>
      </div>
      <p role="status" className="small muted">
        {copied ? 'Codes copied to the clipboard.' : ''}
      </p>
    </section>
  );
}
