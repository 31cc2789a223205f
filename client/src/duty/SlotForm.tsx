/** Add or change one weekly slot: the days, the hours (local time) and who is on call. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { AlertRegion } from '../components/Banner';
import { CheckboxGroup } from '../components/CheckboxGroup';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { WEEKDAYS, type Candidate, type SlotInput } from './rotaApi';
import { DAY_LABELS } from './rotaTime';

export function SlotForm({
  title,
  initial,
  candidates,
  busy,
  error,
  onSave,
  onCancel,
}: {
  title: string;
  initial: (SlotInput & { userName?: string }) | null;
  candidates: Candidate[];
  busy: boolean;
  /** The last save's failure, from the page. */
  error: string | null;
  onSave: (slot: SlotInput) => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [days, setDays] = useState<SlotInput['days']>(initial?.days ?? []);
  const [start, setStart] = useState(initial?.start ?? '18:00');
  const [end, setEnd] = useState(initial?.end ?? '09:00');
  const [userId, setUserId] = useState(initial?.userId ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    if (error) headingRef.current?.focus();
  }, [error]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const missing = days.length === 0 ? 'Choose at least one day.' : !/^\d{2}:\d{2}$/.test(start) || !/^\d{2}:\d{2}$/.test(end) ? 'Enter a start and an end time.' : !userId ? 'Choose who is on call.' : null;
    setProblem(missing);
    if (missing) {
      headingRef.current?.focus();
      return;
    }
    onSave({ days, start, end, userId });
  }

  return (
    <form className="form rota-form" aria-labelledby={titleId} onSubmit={submit} noValidate aria-busy={busy}>
      <h3 id={titleId} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <AlertRegion message={problem ?? error} />
      <CheckboxGroup legend="Days" options={WEEKDAYS} labels={DAY_LABELS} value={days} onChange={setDays} />
      <div className="field-grid">
        <TextField label="Starts at" type="time" required value={start} onChange={(e) => setStart(e.target.value)} hint="Local (UK) time." />
        <TextField
          label="Ends at"
          type="time"
          required
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          hint="At or before the start means the next day; 00:00 to 00:00 is a whole day."
        />
        <SelectField label="Who is on call" required value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">Choose a duty manager</option>
          {initial && !candidates.some((c) => c.id === initial.userId) ? <option value={initial.userId}>{initial.userName ?? 'Unknown user'} (cannot be on call now)</option> : null}
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save weekly slot'}
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
