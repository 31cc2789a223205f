/**
 * A just-created API key, shown this once: a read-only field, a Copy button (the clipboard API,
 * or the text selected for the user to copy when the browser refuses), and a clear warning.
 */
import { useEffect, useRef, useState } from 'react';
import { TextField } from '../components/TextField';

export function KeyReveal({ name, apiKey, onDone }: { name: string; apiKey: string; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [apiKey]);

  function selectKey() {
    inputRef.current?.focus();
    inputRef.current?.select();
  }

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(apiKey);
      setCopied('Key copied to the clipboard.');
    } catch {
      selectKey();
      setCopied('Your browser did not allow copying: the key is selected, press Ctrl+C (or ⌘C) to copy it.');
    }
  }

  return (
    <section className="panel key-reveal" aria-labelledby="key-reveal-title">
      <h2 id="key-reveal-title" ref={headingRef} tabIndex={-1}>
        New API key for {name}
      </h2>
      <p className="key-warning">This is the only time the key is shown. Copy it now and store it securely.</p>
      <p className="muted">Only a hash is kept: if the key is lost, revoke it and create a new one.</p>
      <div className="key-row">
        <TextField
          ref={inputRef}
          label="API key"
          name="apiKey"
          className="key-value"
          readOnly
          spellCheck={false}
          autoComplete="off"
          value={apiKey}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status">{copied}</p>
      <button type="button" className="button button-secondary" onClick={onDone}>
        I have stored the key
      </button>
    </section>
  );
}
