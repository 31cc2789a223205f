/**
 * Draft a new data-sharing agreement. The user's own agency is always a party (preselected and
 * locked: the server refuses an agreement without it). A new agreement starts as a draft.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { agreementsApi, type Agreement, type AgreementInput } from '../api/agreements';
import { DATA_CATEGORIES, PURPOSES, type DataCategory, type Purpose } from '../api/people';
import type { Agency } from '../api/types';
import { AlertRegion, Banner } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { CATEGORY_LABELS, endOfDayIso, PURPOSE_LABELS, todayIso } from '../people/vocab';
import { ARTICLE_6_OPTIONS, ARTICLE_9_OPTIONS, startOfDayIso } from './vocab';
import { CheckboxGroup } from '../components/CheckboxGroup';

interface FormState {
  title: string;
  /** Other agencies' ids; the user's own is added when sending. */
  otherParties: string[];
  purposes: Purpose[];
  categories: DataCategory[];
  article6: string;
  article9: string;
  validFrom: string;
  validTo: string;
}

const emptyForm = (): FormState => ({
  title: '',
  otherParties: [],
  purposes: [],
  categories: [],
  article6: '',
  article9: '',
  validFrom: todayIso(),
  validTo: '',
});

function toggle<T extends string>(list: T[], value: T, on: boolean): T[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The body to send, or what is missing (mirrors the server's rules). */
function toInput(form: FormState, ownAgencyId: string): AgreementInput | string {
  const title = form.title.trim();
  if (title.length < 3) return 'Title: enter at least 3 characters.';
  if (form.otherParties.length === 0) return 'Parties: choose at least one other agency.';
  if (form.purposes.length === 0) return 'Purposes: choose at least one.';
  if (form.categories.length === 0) return 'Data categories: choose at least one.';
  if (!form.article6) return 'Article 6 basis: choose one.';
  if (!DATE.test(form.validFrom)) return 'Valid from: enter a date.';
  if (form.validTo && !DATE.test(form.validTo)) return 'Valid to: enter a full date, or leave it empty.';
  if (form.validTo && form.validTo < form.validFrom) return 'Valid to must be on or after the valid-from date.';
  return {
    title,
    parties: [ownAgencyId, ...form.otherParties.filter((id) => id !== ownAgencyId)],
    purposes: form.purposes,
    categories: form.categories,
    lawfulBasis: { article6: form.article6, ...(form.article9 ? { article9: form.article9 } : {}) },
    validFrom: startOfDayIso(form.validFrom),
    ...(form.validTo ? { validTo: endOfDayIso(form.validTo) } : {}),
  };
}

export function AgreementForm({
  agencies,
  ownAgency,
  onCreated,
}: {
  agencies: Agency[];
  ownAgency: Agency;
  onCreated: (agreement: Agreement) => void;
}) {
  const [form, setForm] = useState<FormState>(emptyForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const others = agencies.filter((agency) => agency.id !== ownAgency.id);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
    setSaved(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input = toInput(form, ownAgency.id);
    if (typeof input === 'string') {
      setError(input);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { agreement } = await agreementsApi.create(input);
      setForm(emptyForm());
      setSaved(`“${agreement.title}” saved as a draft. Activate it from the list once every party has signed it.`);
      onCreated(agreement);
    } catch (err) {
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  return (
    <form className="form agreement-form" aria-label="New agreement" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      {saved ? <Banner tone="success">{saved}</Banner> : null}

      <TextField
        label="Title"
        name="title"
        autoComplete="off"
        maxLength={200}
        value={form.title}
        onChange={(e) => update({ title: e.target.value })}
      />

      <fieldset className="choice-group" aria-describedby="agreement-parties-hint">
        <legend>Parties</legend>
        <p className="hint" id="agreement-parties-hint">
          Your agency is always a party. Choose at least one other agency.
        </p>
        <div className="choice-list choice-columns">
          <label className="choice">
            <input type="checkbox" checked disabled />
            <span>{ownAgency.name} (your agency)</span>
          </label>
          {others.map((agency) => (
            <label key={agency.id} className="choice">
              <input
                type="checkbox"
                checked={form.otherParties.includes(agency.id)}
                onChange={(e) => update({ otherParties: toggle(form.otherParties, agency.id, e.target.checked) })}
              />
              <span>{agency.name}</span>
            </label>
          ))}
        </div>
        {others.length === 0 ? <p className="muted small">No other agencies are set up yet.</p> : null}
      </fieldset>

      <CheckboxGroup legend="Purposes" options={PURPOSES} labels={PURPOSE_LABELS} value={form.purposes} onChange={(purposes) => update({ purposes })} />

      <CheckboxGroup legend="Data categories" options={DATA_CATEGORIES} labels={CATEGORY_LABELS} value={form.categories} onChange={(categories) => update({ categories })} />

      <div className="field-grid">
        <SelectField
          label="Article 6 basis"
          name="article6"
          hint="UK GDPR lawful basis for processing."
          value={form.article6}
          onChange={(e) => update({ article6: e.target.value })}
        >
          <option value="">Choose…</option>
          {ARTICLE_6_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Article 9 condition (optional)"
          name="article9"
          hint="Needed for health and other special category data."
          value={form.article9}
          onChange={(e) => update({ article9: e.target.value })}
        >
          <option value="">None</option>
          {ARTICLE_9_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </SelectField>
      </div>

      <div className="field-grid">
        <TextField
          label="Valid from"
          name="validFrom"
          type="date"
          className="input-date"
          value={form.validFrom}
          onChange={(e) => update({ validFrom: e.target.value })}
        />
        <TextField
          label="Valid to (optional)"
          hint="Leave empty for no end date."
          name="validTo"
          type="date"
          className="input-date"
          min={form.validFrom || undefined}
          value={form.validTo}
          onChange={(e) => update({ validTo: e.target.value })}
        />
      </div>

      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save as draft'}
      </button>
    </form>
  );
}
