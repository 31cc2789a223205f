/**
 * "Share without consent": a decision to share a person's records on a lawful basis other than
 * consent (DESIGN.md §5.3). Only the bases the server offers for the person's consent state are
 * shown; sensitive fields are never shared unless ticked one by one. A decision needs an IG
 * lead's sign-off, unless a duty manager makes it as an out-of-hours emergency.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { agenciesApi } from '../api/agencies';
import {
  decisionsApi,
  type Decision,
  type DecisionBasis,
  type DecisionInput,
  type DecisionOptions,
  type SensitiveFieldId,
} from '../api/decisions';
import { DATA_CATEGORIES, PURPOSES, type DataCategory, type Purpose } from '../api/people';
import type { Agency } from '../api/types';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, Banner } from '../components/Banner';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import {
  DECISION_BASIS_HINTS,
  DECISION_BASIS_LABELS,
  daysFromTodayIso,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_REVIEW_DAYS,
  MAX_DECISION_DAYS,
} from '../decisions/vocab';
import { CATEGORY_LABELS, EFFECTIVE_CONSENT_WORDS, endOfDayIso, PURPOSE_LABELS, SENSITIVE_FIELDS, todayIso } from './vocab';
import './sharing.css';
import { CheckboxGroup } from '../components/CheckboxGroup';

type Load =
  | { status: 'loading' }
  | { status: 'hidden' }
  | { status: 'error'; message: string }
  | { status: 'ready'; options: DecisionOptions; agencies: Agency[] };

const MIN_JUSTIFICATION = 20;
const DAY_MS = 86_400_000;

export function DecisionPanel({ personId, consentState }: { personId: string; consentState: string }) {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);

  // Ask again whenever the person's consent changes: the bases on offer depend on it.
  useEffect(() => {
    let live = true;
    Promise.all([decisionsApi.options(personId), agenciesApi.list()]).then(
      ([options, { agencies }]) => live && setLoad({ status: 'ready', options, agencies }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) setLoad({ status: 'hidden' });
        else setLoad({ status: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [personId, consentState, version]);

  if (load.status === 'hidden') return null;

  return (
    <section className="panel decision-panel" aria-labelledby="decision-title">
      <h2 id="decision-title">Share without consent</h2>
      <p className="muted">
        Record a decision to share this person's information on another lawful basis. It needs a written justification, a
        scope and an expiry, and your IG lead's sign-off before it takes effect.
      </p>
      {load.status === 'loading' ? <p role="status">Loading…</p> : null}
      {load.status === 'error' ? (
        <>
          <Banner tone="error">{load.message}</Banner>
          <button type="button" className="button button-secondary" onClick={() => setVersion((v) => v + 1)}>
            Try again
          </button>
        </>
      ) : null}
      {load.status === 'ready' ? (
        <DecisionForm
          personId={personId}
          options={load.options}
          agencies={load.agencies.filter((agency) => agency.id !== user.agency.id)}
          mayDeclareEmergency={user.roles.includes('duty_manager')}
        />
      ) : null}
    </section>
  );
}

interface FormState {
  basis: DecisionBasis | '';
  justification: string;
  agencies: string[];
  purposes: Purpose[];
  categories: DataCategory[];
  sensitiveFields: SensitiveFieldId[];
  expires: string;
  review: string;
  emergency: boolean;
}

function emptyForm(): FormState {
  return {
    basis: '',
    justification: '',
    agencies: [],
    purposes: [],
    categories: [],
    sensitiveFields: [],
    expires: daysFromTodayIso(DEFAULT_EXPIRY_DAYS),
    review: daysFromTodayIso(DEFAULT_REVIEW_DAYS),
    emergency: false,
  };
}

function toggle<T extends string>(list: T[], value: T, on: boolean): T[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

/** The body to send, or what is missing (mirrors the server's rules). */
function toInput(form: FormState, offered: readonly DecisionBasis[], now = Date.now()): DecisionInput | string {
  if (!form.basis || !offered.includes(form.basis)) return 'Choose a basis for sharing.';
  const justification = form.justification.trim();
  if (justification.length < MIN_JUSTIFICATION) return `Justification: write at least ${MIN_JUSTIFICATION} characters.`;
  if (form.agencies.length === 0) return 'Choose at least one agency to share with.';
  if (form.purposes.length === 0) return 'Choose at least one purpose.';
  if (form.categories.length === 0) return 'Choose at least one kind of data to share.';
  if (!form.expires) return 'Choose when the decision expires.';
  if (form.expires < todayIso()) return 'The expiry date must be in the future.';
  if (form.expires > daysFromTodayIso(MAX_DECISION_DAYS)) return `A decision can last at most ${MAX_DECISION_DAYS} days.`;
  if (!form.review) return 'Choose a date to review the decision by.';
  if (form.review < todayIso()) return 'The review date must be in the future.';
  if (form.review > form.expires) return 'The review date must not be after the expiry date.';
  // End of the chosen day, but never past the server's limits.
  const expiresMs = Math.min(Date.parse(endOfDayIso(form.expires)), now + MAX_DECISION_DAYS * DAY_MS - 60_000);
  const reviewMs = Math.min(Date.parse(endOfDayIso(form.review)), expiresMs);
  return {
    basis: form.basis,
    justification,
    scope: {
      agencies: form.agencies,
      purposes: form.purposes,
      categories: form.categories,
      sensitiveFields: form.sensitiveFields,
    },
    expiresAt: new Date(expiresMs).toISOString(),
    reviewAt: new Date(reviewMs).toISOString(),
    emergency: form.emergency,
  };
}

function outcomeText(decision: Decision): string {
  if (decision.emergency) return 'In effect now (emergency) — your IG lead will review it';
  if (decision.status === 'active') return 'In effect now';
  return 'Sent to your IG lead for sign-off';
}

function DecisionForm({
  personId,
  options,
  agencies,
  mayDeclareEmergency,
}: {
  personId: string;
  options: DecisionOptions;
  agencies: Agency[];
  mayDeclareEmergency: boolean;
}) {
  const [form, setForm] = useState<FormState>(emptyForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const offered = options.offeredBases;
  const refusedWithCapacity =
    !offered.includes('vital_interests') && (options.consentState === 'refused' || options.consentState === 'withdrawn');

  // A basis no longer on offer (the consent changed) cannot stay chosen.
  useEffect(() => {
    setForm((current) => (current.basis && !offered.includes(current.basis) ? { ...current, basis: '' } : current));
  }, [offered]);

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
    setDone(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input = toInput(form, offered);
    if (typeof input === 'string') {
      setError(input);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { decision } = await decisionsApi.create(personId, input);
      setForm(emptyForm());
      setDone(outcomeText(decision));
    } catch (err) {
      // basis_not_available, emergency_not_available, validation_failed: the server's words.
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  const maxExpiry = daysFromTodayIso(MAX_DECISION_DAYS);

  return (
    <>
      <p className="consent-now">
        <span className="muted">Consent now: </span>
        <strong>{EFFECTIVE_CONSENT_WORDS[options.consentState] ?? options.consentState}</strong>
      </p>
      {done ? (
        <div className="banner banner-success" role="status" ref={doneRef} tabIndex={-1}>
          {done}
        </div>
      ) : null}
      {offered.length === 0 ? (
        <p>No lawful basis for sharing without consent is available for this person.</p>
      ) : (
        <form
          className="form decision-form"
          aria-label="Decision to share without consent"
          onSubmit={submit}
          noValidate
          aria-busy={busy}
        >
          <AlertRegion message={error} />

          <fieldset className="choice-group">
            <legend>Basis</legend>
            {refusedWithCapacity ? (
              <p className="hint basis-note">
                Vital interests can't override the refusal of a person with capacity, so it is not offered here.
              </p>
            ) : null}
            <div className="basis-options">
              {offered.map((basis) => (
                <label key={basis} className="choice basis-option">
                  <input
                    type="radio"
                    name="basis"
                    value={basis}
                    checked={form.basis === basis}
                    onChange={() => update({ basis })}
                  />
                  <span>
                    <span className="basis-option-label">{DECISION_BASIS_LABELS[basis] ?? basis}</span>
                    <span className="small muted basis-option-hint"> — {DECISION_BASIS_HINTS[basis] ?? ''}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>

          <TextAreaField
            label="Justification"
            hint={`Why sharing is necessary and proportionate without consent (at least ${MIN_JUSTIFICATION} characters).`}
            name="justification"
            rows={4}
            maxLength={4000}
            value={form.justification}
            onChange={(e) => update({ justification: e.target.value })}
          />

          <fieldset className="choice-group">
            <legend>Agencies to share with</legend>
            {agencies.length === 0 ? (
              <p className="muted">There are no other agencies to share with.</p>
            ) : (
              <div className="choice-list choice-columns">
                {agencies.map((agency) => (
                  <label key={agency.id} className="choice">
                    <input
                      type="checkbox"
                      checked={form.agencies.includes(agency.id)}
                      onChange={(e) => update({ agencies: toggle(form.agencies, agency.id, e.target.checked) })}
                    />
                    <span>{agency.name}</span>
                  </label>
                ))}
              </div>
            )}
          </fieldset>

          <CheckboxGroup legend="Purposes" options={PURPOSES} labels={PURPOSE_LABELS} value={form.purposes} onChange={(purposes) => update({ purposes })} />

          <CheckboxGroup legend="Data categories" options={DATA_CATEGORIES} labels={CATEGORY_LABELS} value={form.categories} onChange={(categories) => update({ categories })} />

          <fieldset className="choice-group sensitive-choice" aria-describedby="decision-sensitive-warning">
            <legend>Sensitive fields</legend>
            <p className="sensitive-warning" id="decision-sensitive-warning">
              <strong>Never shared unless ticked here.</strong> A safe address, a new phone number or a domestic abuse
              disclosure can put the person in danger if it reaches the wrong person. Tick one only when this decision
              needs it.
            </p>
            <div className="choice-list">
              {SENSITIVE_FIELDS.map((field) => (
                <label key={field.id} className="choice">
                  <input
                    type="checkbox"
                    checked={form.sensitiveFields.includes(field.id)}
                    onChange={(e) => update({ sensitiveFields: toggle(form.sensitiveFields, field.id, e.target.checked) })}
                  />
                  <span>{field.label}</span>
                </label>
              ))}
            </div>
          </fieldset>

          <div className="field-grid">
            <TextField
              label="Expires"
              hint={`At most ${MAX_DECISION_DAYS} days from today.`}
              name="expires"
              type="date"
              min={todayIso()}
              max={maxExpiry}
              className="input-date"
              value={form.expires}
              onChange={(e) => update({ expires: e.target.value })}
            />
            <TextField
              label="Review by"
              hint="On or before the expiry date."
              name="review"
              type="date"
              min={todayIso()}
              max={form.expires || maxExpiry}
              className="input-date"
              value={form.review}
              onChange={(e) => update({ review: e.target.value })}
            />
          </div>

          {mayDeclareEmergency ? (
            <label className="choice emergency-choice">
              <input type="checkbox" checked={form.emergency} onChange={(e) => update({ emergency: e.target.checked })} />
              <span>Emergency (out of hours) — takes effect now, IG lead reviews next working day</span>
            </label>
          ) : null}

          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Sending…' : form.emergency ? 'Record emergency decision' : 'Send for sign-off'}
          </button>
        </form>
      )}
    </>
  );
}
