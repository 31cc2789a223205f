/** Hand over my alerts now, or leave a note for the automatic handover at the end of my shift. */
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { dutyApi } from '../api/duty';

export function HandoverPanel({ onDone }: { onDone: (message: string) => void }) {
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(kind: 'now' | 'save', event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'now') {
        const { moved } = await dutyApi.handOver(note.trim() ? { note: note.trim() } : {});
        onDone(moved.length === 1 ? 'Handed over 1 alert.' : `Handed over ${moved.length} alerts.`);
      } else {
        await dutyApi.saveHandoverNote(note.trim());
        onDone('Handover note saved for the end of your shift.');
      }
      setNote('');
    } catch (err) {
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  return (
    <section className="panel" aria-labelledby="handover-title">
      <h2 id="handover-title">Hand over</h2>
      <form onSubmit={(e) => void run('now', e)}>
        <label htmlFor={noteId}>Handover note</label>
        <p className="hint">What the next duty manager needs to know. No names or personal details: they can open each alert.</p>
        <textarea id={noteId} rows={3} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
        {error ? <p role="alert" className="banner banner-error">{error}</p> : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            Hand over my alerts now
          </button>
          <button type="button" className="button button-secondary" disabled={busy || !note.trim()} onClick={() => void run('save')}>
            Save note for shift end
          </button>
        </div>
      </form>
    </section>
  );
}
