/** Create an agency, and edit one's name, kind and whether it is active (system admins). */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/ApiError';
import { AGENCY_KINDS, agenciesApi, type AdminAgency, type AgencyInput, type AgencyKind } from '../api/agencies';
import { AlertRegion, Banner } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { adminErrorMessage, AGENCY_KIND_LABELS } from './vocab';

const CODE = /^[A-Z0-9_-]{2,20}$/;

function KindSelect({ value, onChange }: { value: string; onChange: (kind: AgencyKind | '') => void }) {
  return (
    <SelectField label="Kind" name="kind" value={value} onChange={(e) => onChange(e.target.value as AgencyKind | '')}>
      <option value="">Choose…</option>
      {AGENCY_KINDS.map((kind) => (
        <option key={kind} value={kind}>
          {AGENCY_KIND_LABELS[kind]}
        </option>
      ))}
    </SelectField>
  );
}

export function NewAgencyForm({ onCreated }: { onCreated: (agency: AdminAgency) => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<AgencyKind | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input: Partial<AgencyInput> = { code: code.trim().toUpperCase(), name: name.trim(), kind: kind || undefined };
    if (!CODE.test(input.code!)) return setError('Code: use 2–20 letters, digits, _ or -.');
    if ((input.name ?? '').length < 2) return setError('Name: enter at least 2 characters.');
    if (!input.kind) return setError('Kind: choose one.');
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const { agency } = await agenciesApi.create(input as AgencyInput);
      setCode('');
      setName('');
      setKind('');
      setSaved(`${agency.name} (${agency.code}) is set up and active.`);
      onCreated(agency);
    } catch (err) {
      setError(adminErrorMessage(err));
      if (err instanceof ApiError && err.code === 'duplicate_code') codeRef.current?.focus();
    }
    setBusy(false);
  }

  return (
    <form className="form admin-form" aria-label="New agency" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      {saved ? <Banner tone="success">{saved}</Banner> : null}
      <TextField
        ref={codeRef}
        label="Code"
        hint="A short unique code, e.g. NPOL. 2–20 letters, digits, _ or -."
        name="code"
        autoComplete="off"
        spellCheck={false}
        maxLength={20}
        className="input-code"
        value={code}
        onChange={(e) => setCode(e.target.value.toUpperCase())}
      />
      <TextField label="Name" name="name" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <KindSelect value={kind} onChange={setKind} />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create agency'}
      </button>
    </form>
  );
}

export function AgencyEditor({
  agency,
  onSaved,
  onStale,
  onClose,
}: {
  agency: AdminAgency;
  onSaved: (agency: AdminAgency) => void;
  onStale: () => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(agency.name);
  const [kind, setKind] = useState<AgencyKind | ''>(agency.kind as AgencyKind);
  const [active, setActive] = useState(agency.active);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = `agency-${agency.id}-title`;

  useEffect(() => {
    setName(agency.name);
    setKind(agency.kind as AgencyKind);
    setActive(agency.active);
    setError(null);
  }, [agency]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [agency.id]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const patch: Partial<AgencyInput> = {};
    const trimmed = name.trim();
    if (trimmed.length < 2) return setError('Name: enter at least 2 characters.');
    if (!kind) return setError('Kind: choose one.');
    if (trimmed !== agency.name) patch.name = trimmed;
    if (kind !== agency.kind) patch.kind = kind;
    if (active !== agency.active) patch.active = active;
    if (Object.keys(patch).length === 0) return setError('Nothing has changed yet.');
    setBusy(true);
    setError(null);
    try {
      const { agency: updated } = await agenciesApi.update(agency.id, patch);
      onSaved(updated);
      headingRef.current?.focus();
    } catch (err) {
      setError(adminErrorMessage(err));
      if (err instanceof ApiError && (err.status === 404 || err.status === 409)) onStale();
    }
    setBusy(false);
  }

  return (
    <section className="panel edit-panel" aria-labelledby={titleId} aria-busy={busy}>
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        Edit {agency.name} ({agency.code})
      </h2>
      <form className="form admin-form" aria-label={`Edit ${agency.name}`} onSubmit={submit} noValidate>
        <AlertRegion message={error} />
        <TextField label="Name" name="name" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <KindSelect value={kind} onChange={setKind} />
        <fieldset className="choice-group" aria-describedby={`${titleId}-active-hint`}>
          <legend>Status</legend>
          <p className="hint" id={`${titleId}-active-hint`}>
            An inactive agency is left out of pickers and new agreements; its records and accounts stay.
          </p>
          <label className="choice">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            <span>Active</span>
          </label>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
