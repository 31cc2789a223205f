/**
 * The "tell it once" summary at the top of a person page, and (for practice roles whose agency
 * holds a record of the person) a form to write or change it. The server refuses a summary
 * until the person's consent is on file (409 `consent_needed`), and says so.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { peopleApi } from '../api/people';
import { AlertRegion, Banner } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import './sharing.css';

const MIN = 10;
const MAX = 2000;

export function TellItOncePanel({
  personId,
  text,
  canEdit,
  onSaved,
}: {
  personId: string;
  text: string | null;
  /** A practice role whose agency holds a record of the person. */
  canEdit: boolean;
  /** Saved: reload the person. */
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);

  if (!text && !canEdit) return null;

  function close(didSave: boolean) {
    setEditing(false);
    setSaved(didSave);
    if (didSave) {
      onSaved();
      window.setTimeout(() => headingRef.current?.focus(), 0);
    } else {
      window.setTimeout(() => editButtonRef.current?.focus(), 0);
    }
  }

  return (
    <section className={`panel${text ? ' tell-it-once' : ''}`} aria-labelledby="story-title">
      <h2 id="story-title" ref={headingRef} tabIndex={-1}>
        Their story, in their words
      </h2>
      {saved ? <Banner tone="success">Summary saved.</Banner> : null}
      {text ? (
        <p className="tell-it-once-text">{text}</p>
      ) : (
        <p className="muted">
          No summary yet. With the person's consent, write a short account they agree to share, so they need not tell
          their story again at every hand-off.
        </p>
      )}
      {canEdit && !editing ? (
        <button
          ref={editButtonRef}
          type="button"
          className="button button-secondary tell-it-once-edit"
          aria-expanded={false}
          onClick={() => {
            setSaved(false);
            setEditing(true);
          }}
        >
          {text ? 'Edit summary' : 'Write a summary'}
        </button>
      ) : null}
      {canEdit && editing ? <TellItOnceForm personId={personId} initial={text ?? ''} onDone={close} /> : null}
    </section>
  );
}

function TellItOnceForm({
  personId,
  initial,
  onDone,
}: {
  personId: string;
  initial: string;
  onDone: (saved: boolean) => void;
}) {
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => fieldRef.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const text = value.trim();
    if (text.length < MIN) {
      setError(`Write at least ${MIN} characters.`);
      fieldRef.current?.focus();
      return;
    }
    if (text.length > MAX) {
      setError(`Keep it to ${MAX} characters or fewer.`);
      fieldRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await peopleApi.saveTellItOnce(personId, text);
      setBusy(false);
      onDone(true);
    } catch (err) {
      // 409 consent_needed carries the words to show.
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form className="form tell-it-once-form" aria-label="Tell it once summary" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <TextAreaField
        ref={fieldRef}
        label="Summary to share"
        hint={`In the person's words, only what they agreed to share (${MIN}–${MAX} characters). Every agency that may see their records will read it.`}
        name="tellItOnce"
        rows={6}
        maxLength={MAX}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <p className="small muted">{value.trim().length} of {MAX} characters</p>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save summary'}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
