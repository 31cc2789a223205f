/**
 * Map one of the agency's local risk codes onto the common taxonomy (agency admins). A new code
 * is typed in; editing an existing one pre-fills the form and keeps the code read-only.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  codeMapApi,
  LOCAL_CODE,
  RISK_CATEGORIES,
  RISK_LEVELS,
  type CodeMapping,
  type RiskCategory,
  type RiskLevel,
} from '../api/codeMap';
import { AlertRegion, Banner } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from '../people/vocab';
import { adminErrorMessage } from './vocab';

export function CodeMapForm({
  editing,
  existingCodes,
  onSaved,
  onCancelEdit,
}: {
  /** The mapping being edited, or null for a new code. */
  editing: CodeMapping | null;
  /** Codes already mapped, to say when saving a typed code replaces one. */
  existingCodes: readonly string[];
  onSaved: (mapping: CodeMapping) => void;
  onCancelEdit: () => void;
}) {
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [category, setCategory] = useState<RiskCategory | ''>('');
  const [level, setLevel] = useState<RiskLevel | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const categoryRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    setError(null);
    if (editing) {
      setCode(editing.localCode);
      setLabel(editing.label ?? '');
      setCategory(editing.category);
      setLevel(editing.level);
      setSaved(null);
      categoryRef.current?.focus();
    } else {
      setCode('');
      setLabel('');
      setCategory('');
      setLevel('');
    }
  }, [editing]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const localCode = editing ? editing.localCode : code.trim();
    if (!LOCAL_CODE.test(localCode)) {
      setError('Local code: use 1–50 letters, digits or . _ : / - (no spaces).');
      if (!editing) codeRef.current?.focus();
      return;
    }
    if (!category) {
      setError('Category: choose one.');
      categoryRef.current?.focus();
      return;
    }
    if (!level) return setError('Level: choose one.');
    const trimmedLabel = label.trim();
    const replacing = !editing && existingCodes.includes(localCode);
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const { mapping } = await codeMapApi.save(localCode, { category, level, ...(trimmedLabel ? { label: trimmedLabel } : {}) });
      setSaved(
        `${mapping.localCode} ${editing || replacing ? 'now maps' : 'maps'} to ${RISK_CATEGORY_LABELS[mapping.category] ?? mapping.category}, ${
          RISK_LEVEL_LABELS[mapping.level] ?? mapping.level
        }.`,
      );
      setCode('');
      setLabel('');
      setCategory('');
      setLevel('');
      onSaved(mapping);
      codeRef.current?.focus();
    } catch (err) {
      setError(adminErrorMessage(err));
    }
    setBusy(false);
  }

  return (
    <form className="form admin-form" aria-label="Map a local code" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      {saved ? <Banner tone="success">{saved}</Banner> : null}
      <TextField
        ref={codeRef}
        label="Local code"
        hint={
          editing
            ? 'The code cannot be changed. To use a different code, remove this one and map the new one.'
            : 'The code your systems send, e.g. SH2 or risk/violence. Up to 50 letters, digits or . _ : / - (no spaces).'
        }
        name="localCode"
        autoComplete="off"
        spellCheck={false}
        maxLength={50}
        className="input-code"
        readOnly={Boolean(editing)}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <TextField
        label="Label (optional)"
        hint="What the code means in your agency, e.g. “Self-harm, moderate”."
        name="label"
        autoComplete="off"
        maxLength={200}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
      />
      <SelectField
        ref={categoryRef}
        label="Category"
        name="category"
        value={category}
        onChange={(e) => setCategory(e.target.value as RiskCategory | '')}
      >
        <option value="">Choose…</option>
        {RISK_CATEGORIES.map((id) => (
          <option key={id} value={id}>
            {RISK_CATEGORY_LABELS[id]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Level" name="level" value={level} onChange={(e) => setLevel(e.target.value as RiskLevel | '')}>
        <option value="">Choose…</option>
        {RISK_LEVELS.map((id) => (
          <option key={id} value={id}>
            {RISK_LEVEL_LABELS[id]}
          </option>
        ))}
      </SelectField>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save mapping'}
        </button>
        {editing ? (
          <button type="button" className="button button-secondary" disabled={busy} onClick={onCancelEdit}>
            Cancel editing
          </button>
        ) : null}
      </div>
    </form>
  );
}
