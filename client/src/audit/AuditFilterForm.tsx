/**
 * The audit log's filters. Times are read as UK wall-clock time and sent as ISO date-times with
 * their offset; ids must be whole 24-character ids (the server refuses anything else).
 */
import { useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, type AuditFilters } from '../api/audit';
import { AlertRegion } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { actionLabel, FILTER_ACTIONS, londonLocalToIso, OUTCOME_LABELS } from './vocab';

interface FormState {
  action: string;
  outcome: string;
  userId: string;
  personId: string;
  from: string;
  to: string;
}

const EMPTY: FormState = { action: '', outcome: '', userId: '', personId: '', from: '', to: '' };
const ID = /^[a-f0-9]{24}$/;

/** The filters to send, or what is wrong. */
function toFilters(form: FormState): AuditFilters | string {
  const userId = form.userId.trim().toLowerCase();
  const personId = form.personId.trim().toLowerCase();
  if (userId && !ID.test(userId)) return 'User id: enter the whole 24-character id, or leave it empty.';
  if (personId && !ID.test(personId)) return 'Person id: enter the whole 24-character id, or leave it empty.';
  const from = form.from ? londonLocalToIso(form.from, 0) : undefined;
  const to = form.to ? londonLocalToIso(form.to, 59) : undefined;
  if (from === null) return 'From: enter a date and time, or leave it empty.';
  if (to === null) return 'To: enter a date and time, or leave it empty.';
  if (from && to && Date.parse(from) > Date.parse(to)) return 'To must be after From.';
  return {
    action: form.action || undefined,
    outcome: form.outcome || undefined,
    userId: userId || undefined,
    personId: personId || undefined,
    from,
    to,
  };
}

export function AuditFilterForm({ busy, onApply }: { busy: boolean; onApply: (filters: AuditFilters) => void }) {
  const [form, setForm] = useState<FormState>(EMPTY);
  const [error, setError] = useState<string | null>(null);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const filters = toFilters(form);
    if (typeof filters === 'string') {
      setError(filters);
      return;
    }
    setError(null);
    onApply(filters);
  }

  function clear() {
    setForm(EMPTY);
    setError(null);
    onApply({});
  }

  return (
    <form className="form audit-filters" aria-label="Filter audit events" onSubmit={submit} noValidate>
      <AlertRegion message={error} />
      <div className="field-grid">
        <SelectField label="Action" name="action" value={form.action} onChange={(e) => update({ action: e.target.value })}>
          <option value="">Any</option>
          {FILTER_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {actionLabel(action)} ({action})
            </option>
          ))}
        </SelectField>
        <SelectField label="Outcome" name="outcome" value={form.outcome} onChange={(e) => update({ outcome: e.target.value })}>
          <option value="">Any</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {OUTCOME_LABELS[outcome]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="User id"
          name="userId"
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          value={form.userId}
          onChange={(e) => update({ userId: e.target.value })}
        />
        <TextField
          label="Person id"
          name="personId"
          autoComplete="off"
          spellCheck={false}
          maxLength={24}
          value={form.personId}
          onChange={(e) => update({ personId: e.target.value })}
        />
        <TextField
          label="From"
          hint="UK time."
          name="from"
          type="datetime-local"
          value={form.from}
          max={form.to || undefined}
          onChange={(e) => update({ from: e.target.value })}
        />
        <TextField
          label="To"
          hint="UK time, up to the end of that minute."
          name="to"
          type="datetime-local"
          value={form.to}
          min={form.from || undefined}
          onChange={(e) => update({ to: e.target.value })}
        />
      </div>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          Show events
        </button>
        <button type="button" className="button button-secondary" disabled={busy} onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
