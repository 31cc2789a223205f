/**
 * A one-off change to the rota: an override (someone is on call for a period, whatever the
 * pattern says) or a swap (someone takes over a period of another person's cover). Times are
 * typed in UK time, whatever the browser's zone.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { AlertRegion } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import type { Candidate, RotaLevel } from './rotaApi';
import { fromLocalInput, toLocalInput } from './rotaTime';

export type ShiftInput =
  | { kind: 'override'; level: string; userId: string; from: string; to: string }
  | { kind: 'swap'; level: string; fromUserId: string; toUserId: string; from: string; to: string };

/** The next whole hour, and eight hours after it, as datetime-local values in the rota's zone. */
function defaults(timeZone: string): { from: string; to: string } {
  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  return { from: toLocalInput(start, timeZone), to: toLocalInput(new Date(start.getTime() + 8 * 3_600_000), timeZone) };
}

export function ShiftForm({
  levels,
  candidates,
  timeZone,
  busy,
  error,
  onSubmit,
}: {
  levels: RotaLevel[];
  candidates: Candidate[];
  timeZone: string;
  busy: boolean;
  error: string | null;
  /** Resolves true when the change was saved (the form then clears). */
  onSubmit: (input: ShiftInput) => Promise<boolean>;
}) {
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [kind, setKind] = useState<'override' | 'swap'>('override');
  const [level, setLevel] = useState(levels[0]?.level ?? '');
  const [userId, setUserId] = useState('');
  const [fromUserId, setFromUserId] = useState('');
  const [period, setPeriod] = useState(() => defaults(timeZone));
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (error) headingRef.current?.focus();
  }, [error]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const from = fromLocalInput(period.from, timeZone);
    const to = fromLocalInput(period.to, timeZone);
    let missing: string | null = null;
    if (!from || !to) missing = 'Enter when the change starts and ends, as a date and a time.';
    else if (Date.parse(to) <= Date.parse(from)) missing = 'The end must be after the start.';
    else if (!userId) missing = kind === 'override' ? 'Choose who is on call.' : 'Choose who takes the cover over.';
    else if (kind === 'swap' && !fromUserId) missing = 'Choose whose cover is being swapped.';
    else if (kind === 'swap' && fromUserId === userId) missing = 'Choose someone other than the person whose cover it is.';
    setProblem(missing);
    if (missing || !from || !to) {
      headingRef.current?.focus();
      return;
    }
    const input: ShiftInput = kind === 'override' ? { kind, level, userId, from, to } : { kind, level, fromUserId, toUserId: userId, from, to };
    if (await onSubmit(input)) {
      setUserId('');
      setFromUserId('');
    }
  }

  const people = (placeholder: string) => [
    <option key="" value="">
      {placeholder}
    </option>,
    ...candidates.map((c) => (
      <option key={c.id} value={c.id}>
        {c.name}
      </option>
    )),
  ];

  return (
    <form className="form rota-form" aria-labelledby={titleId} onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <h3 id={titleId} ref={headingRef} tabIndex={-1}>
        Add an override or a swap
      </h3>
      <AlertRegion message={problem ?? error} />
      <fieldset className="choice-group">
        <legend>Kind of change</legend>
        <div className="choice-list">
          <label className="choice">
            <input type="radio" name={`${titleId}-kind`} value="override" checked={kind === 'override'} onChange={() => setKind('override')} />
            <span>Override: someone is on call for a period</span>
          </label>
          <label className="choice">
            <input type="radio" name={`${titleId}-kind`} value="swap" checked={kind === 'swap'} onChange={() => setKind('swap')} />
            <span>Swap: someone takes over another person’s cover</span>
          </label>
        </div>
      </fieldset>
      <div className="field-grid">
        <SelectField label="Level" value={level} onChange={(e) => setLevel(e.target.value)}>
          {levels.map((l) => (
            <option key={l.level} value={l.level}>
              {l.label}
            </option>
          ))}
        </SelectField>
        {kind === 'swap' ? (
          <SelectField label="Whose cover" value={fromUserId} onChange={(e) => setFromUserId(e.target.value)} hint="They must be on call for the whole period.">
            {people('Choose a duty manager')}
          </SelectField>
        ) : null}
        <SelectField label={kind === 'swap' ? 'Who takes it over' : 'Who is on call'} value={userId} onChange={(e) => setUserId(e.target.value)}>
          {people('Choose a duty manager')}
        </SelectField>
        <TextField label="From" type="datetime-local" required value={period.from} onChange={(e) => setPeriod({ ...period, from: e.target.value })} hint="UK time." />
        <TextField label="Until" type="datetime-local" required value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} hint="UK time; at most 31 days after the start." />
      </div>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : kind === 'override' ? 'Add override' : 'Add swap'}
        </button>
      </div>
    </form>
  );
}
