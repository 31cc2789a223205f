/**
 * A person's consent: what holds now, the append-only history (newest first), and a form to
 * record a new decision. Hidden entirely when the viewer's agency holds no record of the person
 * (the server answers 404).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import {
  CONSENT_STATUSES,
  DATA_CATEGORIES,
  peopleApi,
  PURPOSES,
  type ConsentEntry,
  type ConsentInput,
  type ConsentsResponse,
  type ConsentStatus,
} from '../api/people';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, Banner } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import { hasAnyRole, PRACTICE_ROLES } from '../roles';
import { CheckboxGroup } from '../components/CheckboxGroup';
import {
  CATEGORY_LABELS,
  categoryLabel,
  CONSENT_STATUS_LABELS,
  EFFECTIVE_CONSENT_WORDS,
  endOfDayIso,
  formatDateTime,
  formatDay,
  PURPOSE_LABELS,
  purposeLabel,
  todayIso,
} from './vocab';

type Load =
  | { status: 'loading' }
  | { status: 'hidden' }
  | { status: 'error'; message: string }
  | { status: 'ready'; data: ConsentsResponse };

const CONSENT_PANEL_ID = 'consent-title';

export function ConsentPanel({
  personId,
  onRecorded,
  onLoaded,
}: {
  personId: string;
  onRecorded: () => void;
  /** Told the consents once read (`null`: the viewer's agency holds no record, so none are shown). */
  onLoaded?: (data: ConsentsResponse | null) => void;
}) {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const onLoadedRef = useRef(onLoaded);
  useEffect(() => {
    onLoadedRef.current = onLoaded;
  });

  useEffect(() => {
    let live = true;
    peopleApi.consents(personId).then(
      (data) => {
        if (!live) return;
        setLoad({ status: 'ready', data });
        onLoadedRef.current?.(data);
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) {
          setLoad({ status: 'hidden' });
          onLoadedRef.current?.(null);
        } else setLoad({ status: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [personId, version]);

  const recorded = useCallback(() => {
    setVersion((v) => v + 1);
    onRecorded();
  }, [onRecorded]);

  if (load.status === 'hidden') return null;

  // Reading consents is open to IG leads too, but recording one needs a practice role.
  const mayRecord = hasAnyRole(user, PRACTICE_ROLES);

  return (
    <section className="panel" aria-labelledby={CONSENT_PANEL_ID}>
      <h2 id={CONSENT_PANEL_ID}>Consent</h2>
      {load.status === 'loading' ? <p role="status">Loading consent…</p> : null}
      {load.status === 'error' ? (
        <>
          <Banner tone="error">{load.message}</Banner>
          <button type="button" className="button button-secondary" onClick={() => setVersion((v) => v + 1)}>
            Try again
          </button>
        </>
      ) : null}
      {load.status === 'ready' ? (
        <>
          <EffectiveConsent data={load.data} />
          <ConsentHistory history={load.data.history} ownAgencyId={user.agency.id} />
          {mayRecord ? <RecordConsentForm personId={personId} onRecorded={recorded} /> : null}
        </>
      ) : null}
    </section>
  );
}

function EffectiveConsent({ data }: { data: ConsentsResponse }) {
  const { state, expiresAt } = data.effective;
  return (
    <p className={`consent-state consent-state-${state}`}>
      <strong>{EFFECTIVE_CONSENT_WORDS[state] ?? state}</strong>
      {expiresAt && state === 'given' ? <> — until {formatDay(expiresAt)}</> : null}
      {expiresAt && state === 'expired' ? <> on {formatDay(expiresAt)}</> : null}
    </p>
  );
}

function scopeText(entry: ConsentEntry): string[] {
  const { scope } = entry;
  const parts: string[] = [];
  if (scope.allPanel) parts.push('All panel agencies');
  else if (scope.agencies.length) parts.push(`${scope.agencies.length} named ${scope.agencies.length === 1 ? 'agency' : 'agencies'}`);
  if (scope.purposes.length) parts.push(`For: ${scope.purposes.map(purposeLabel).join(', ')}`);
  if (scope.categories.length) parts.push(`Data: ${scope.categories.map(categoryLabel).join(', ')}`);
  return parts;
}

function ConsentHistory({ history, ownAgencyId }: { history: ConsentEntry[]; ownAgencyId: string }) {
  const sorted = [...history].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  return (
    <div className="consent-history">
      <h3>History</h3>
      {sorted.length === 0 ? (
        <p className="muted">No consent decision has been recorded yet.</p>
      ) : (
        <ol className="consent-list">
          {sorted.map((entry) => (
            <li key={entry.id} className="consent-item">
              <p className="consent-item-title">
                <strong>{CONSENT_STATUS_LABELS[entry.status] ?? entry.status}</strong>
                <span className="muted small">
                  {' '}
                  · recorded <time dateTime={entry.recordedAt}>{formatDateTime(entry.recordedAt)}</time> by{' '}
                  {entry.recordedByAgency === ownAgencyId ? 'your agency' : 'another agency'}
                </span>
              </p>
              {scopeText(entry).map((line) => (
                <p key={line} className="small consent-scope">
                  {line}
                </p>
              ))}
              {entry.evidence ? <p className="small">Evidence: {entry.evidence}</p> : null}
              {entry.expiresAt ? (
                <p className="small muted">
                  Expires <time dateTime={entry.expiresAt}>{formatDay(entry.expiresAt)}</time>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

interface FormState {
  status: ConsentStatus | '';
  allPanel: boolean;
  purposes: string[];
  categories: string[];
  evidence: string;
  expires: string;
}

const EMPTY: FormState = { status: '', allPanel: true, purposes: [], categories: [], evidence: '', expires: '' };

/** The body to send, or what is missing (mirrors the server's rules). */
function toInput(form: FormState): ConsentInput | string {
  if (!form.status) return 'Choose a status.';
  const given = form.status === 'given';
  if (given) {
    if (!form.allPanel) return 'Choose "All panel agencies": naming individual agencies is not available here yet.';
    if (form.purposes.length === 0) return 'Choose at least one purpose the person agreed to.';
    if (form.categories.length === 0) return 'Choose at least one kind of data the person agreed to share.';
  }
  const evidence = form.evidence.trim();
  if (['given', 'refused', 'withdrawn'].includes(form.status) && !evidence) {
    return 'Evidence: say how the person gave this decision.';
  }
  if (form.expires && form.expires <= todayIso()) return 'The expiry date must be in the future.';
  return {
    status: form.status,
    scope: given
      ? { allPanel: form.allPanel, agencies: [], purposes: form.purposes, categories: form.categories }
      : { allPanel: false, agencies: [], purposes: [], categories: [] },
    ...(evidence ? { evidence } : {}),
    ...(form.expires ? { expiresAt: endOfDayIso(form.expires) } : {}),
  };
}

function RecordConsentForm({ personId, onRecorded }: { personId: string; onRecorded: () => void }) {
  const [form, setForm] = useState<FormState>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
    setSaved(false);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input = toInput(form);
    if (typeof input === 'string') {
      setError(input);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await peopleApi.recordConsent(personId, input);
      setForm(EMPTY);
      setSaved(true);
      onRecorded();
    } catch (err) {
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  const given = form.status === 'given';

  return (
    <form className="form consent-form" aria-label="Record consent" onSubmit={submit} noValidate aria-busy={busy}>
      <h3>Record consent</h3>
      <AlertRegion message={error} />
      {saved ? <Banner tone="success">Consent recorded.</Banner> : null}

      <fieldset className="choice-group">
        <legend>Status</legend>
        <div className="choice-list">
          {CONSENT_STATUSES.map((status) => (
            <label key={status} className="choice">
              <input
                type="radio"
                name="status"
                value={status}
                checked={form.status === status}
                onChange={() => update({ status })}
              />
              <span>{CONSENT_STATUS_LABELS[status]}</span>
            </label>
          ))}
        </div>
      </fieldset>

      {given ? (
        <>
          <fieldset className="choice-group">
            <legend>Who may see it</legend>
            <label className="choice">
              <input type="checkbox" checked={form.allPanel} onChange={(e) => update({ allPanel: e.target.checked })} />
              <span>All panel agencies</span>
            </label>
          </fieldset>

          <CheckboxGroup legend="Purposes" options={PURPOSES} labels={PURPOSE_LABELS} value={form.purposes} onChange={(purposes) => update({ purposes })} />

          <CheckboxGroup legend="Data categories" options={DATA_CATEGORIES} labels={CATEGORY_LABELS} value={form.categories} onChange={(categories) => update({ categories })} />
        </>
      ) : null}

      <TextAreaField
        label="Evidence"
        hint="How did the person give this decision?"
        name="evidence"
        rows={3}
        maxLength={1000}
        value={form.evidence}
        onChange={(e) => update({ evidence: e.target.value })}
      />
      <TextField
        label="Expires (optional)"
        hint="Consent given without an expiry date is reviewed after a year."
        name="expires"
        type="date"
        min={todayIso()}
        className="input-date"
        value={form.expires}
        onChange={(e) => update({ expires: e.target.value })}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Recording…' : 'Record consent'}
      </button>
    </form>
  );
}
