/**
 * The room's side panel: agenda, risk assessment (common taxonomy), decisions and actions, each
 * with a short form while the conference is live. What another agency recorded and your agency
 * may not see is counted, never shown.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { conferencesApi, type Conference } from '../api/conferences';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { formatDate, RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS, riskCategoryLabel } from '../people/vocab';
import { ACTION_STATUS_LABELS } from './vocab';

interface Props {
  conference: Conference;
  onChanged: (c: Conference) => void;
}

/** Runs a save, reporting its error in the section. */
function useSave(onChanged: (c: Conference) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(run: () => Promise<{ conference: Conference }>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      onChanged((await run()).conference);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, save };
}

const Err = ({ error }: { error: string | null }) => (error ? <p role="alert" className="banner banner-error">{error}</p> : null);

export function SidePanel({ conference, onChanged }: Props) {
  const live = conference.status === 'live';
  return (
    <div className="side-panel">
      <Agenda conference={conference} onChanged={onChanged} />
      <Risks conference={conference} onChanged={onChanged} live={live} />
      <Decisions conference={conference} onChanged={onChanged} live={live} />
      <Actions conference={conference} onChanged={onChanged} live={live} />
      {conference.withheld.length ? (
        <section aria-labelledby="withheld-title">
          <h2 id="withheld-title">Withheld from your agency</h2>
          <ul>
            {conference.withheld.map((w) => (
              <li key={`${w.agencyName}:${w.reason}`}>
                {w.count} {w.count === 1 ? 'item' : 'items'} from {w.agencyName}: {w.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function Agenda({ conference, onChanged }: Props) {
  const { busy, error, save } = useSave(onChanged);
  const [text, setText] = useState('');
  const chair = conference.you.isChair && conference.status !== 'closed';
  const items = conference.agenda.map(({ text: t, done }) => ({ text: t, done }));
  return (
    <section aria-labelledby="agenda-title">
      <h2 id="agenda-title">Agenda</h2>
      {items.length === 0 ? <p className="muted">No agenda yet.</p> : null}
      <ol className="item-list">
        {conference.agenda.map((a, i) => (
          <li key={a.id}>
            {chair ? (
              <label>
                <input
                  type="checkbox"
                  checked={a.done}
                  disabled={busy}
                  onChange={() => void save(() => conferencesApi.setAgenda(conference.id, items.map((x, j) => (j === i ? { ...x, done: !x.done } : x))))}
                />{' '}
                {a.text}
              </label>
            ) : (
              <span>
                {a.text}
                {a.done ? ' (covered)' : ''}
              </span>
            )}
          </li>
        ))}
      </ol>
      {chair ? (
        <form
          className="item-form"
          aria-label="Add agenda item"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (text.trim()) void save(() => conferencesApi.setAgenda(conference.id, [...items, { text: text.trim(), done: false }])).then((ok) => ok && setText(''));
          }}
        >
          <TextField label="Agenda item" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button button-secondary" disabled={busy}>Add to agenda</button>
        </form>
      ) : null}
      <Err error={error} />
    </section>
  );
}

function Risks({ conference, onChanged, live }: Props & { live: boolean }) {
  const { busy, error, save } = useSave(onChanged);
  const [category, setCategory] = useState('');
  const [level, setLevel] = useState('');
  const [rationale, setRationale] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await save(() => conferencesApi.addRisk(conference.id, { category, level, rationale }))) {
      setCategory('');
      setLevel('');
      setRationale('');
    }
  }
  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">Risk</h2>
      {conference.risks.length === 0 ? <p className="muted">No risk entries yet.</p> : null}
      <ul className="item-list">
        {conference.risks.map((r) => (
          <li key={r.id}>
            <strong>
              {riskCategoryLabel(r.category)}: {RISK_LEVEL_LABELS[r.level as keyof typeof RISK_LEVEL_LABELS] ?? r.level}
            </strong>
            <br />
            {r.rationale} <span className="muted small">({r.agencyName})</span>
          </li>
        ))}
      </ul>
      {live ? (
        <form className="item-form" aria-label="Record a risk" onSubmit={submit}>
          <SelectField label="Risk category" value={category} required onChange={(e) => setCategory(e.target.value)}>
            <option value="">Choose…</option>
            {Object.entries(RISK_CATEGORY_LABELS).map(([id, label]) => (
              <option key={id} value={id}>{label}</option>
            ))}
          </SelectField>
          <SelectField label="Risk level" value={level} required onChange={(e) => setLevel(e.target.value)}>
            <option value="">Choose…</option>
            {Object.entries(RISK_LEVEL_LABELS).map(([id, label]) => (
              <option key={id} value={id}>{label}</option>
            ))}
          </SelectField>
          <TextField label="Rationale" value={rationale} required maxLength={2000} onChange={(e) => setRationale(e.target.value)} />
          <button type="submit" className="button button-secondary" disabled={busy}>Record risk</button>
        </form>
      ) : null}
      <Err error={error} />
    </section>
  );
}

function Decisions({ conference, onChanged, live }: Props & { live: boolean }) {
  const { busy, error, save } = useSave(onChanged);
  const [text, setText] = useState('');
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">Decisions</h2>
      {conference.decisions.length === 0 ? <p className="muted">No decisions yet.</p> : null}
      <ol className="item-list">
        {conference.decisions.map((d) => (
          <li key={d.id}>
            {d.text} <span className="muted small">({d.agencyName})</span>
          </li>
        ))}
      </ol>
      {live ? (
        <form
          className="item-form"
          aria-label="Record a decision"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void save(() => conferencesApi.addDecision(conference.id, text)).then((ok) => ok && setText(''));
          }}
        >
          <TextField label="Decision" value={text} required maxLength={2000} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button button-secondary" disabled={busy}>Record decision</button>
        </form>
      ) : null}
      <Err error={error} />
    </section>
  );
}

function Actions({ conference, onChanged, live }: Props & { live: boolean }) {
  const { busy, error, save } = useSave(onChanged);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await save(() => conferencesApi.addAction(conference.id, { text, ownerUserId: owner, dueAt: due }))) {
      setText('');
      setOwner('');
      setDue('');
    }
  }
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {conference.actions.length === 0 ? <p className="muted">No actions yet.</p> : null}
      <ul className="item-list">
        {conference.actions.map((a) => (
          <li key={a.id}>
            <strong>{a.text}</strong>
            <br />
            {a.owner.name} ({a.owner.agencyName}), due {formatDate(a.dueAt)} — {a.overdue ? 'Overdue' : ACTION_STATUS_LABELS[a.status]}
            {a.status === 'open' && (conference.you.isChair || a.owner.id === conference.you.userId) ? (
              <div className="button-row small">
                <button type="button" className="button-link" disabled={busy} onClick={() => void save(() => conferencesApi.setActionStatus(conference.id, a.id, 'done'))}>
                  Mark done<span className="visually-hidden">: {a.text}</span>
                </button>
                <button type="button" className="button-link" disabled={busy} onClick={() => void save(() => conferencesApi.setActionStatus(conference.id, a.id, 'cancelled'))}>
                  Cancel<span className="visually-hidden"> action: {a.text}</span>
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {live ? (
        <form className="item-form" aria-label="Record an action" onSubmit={submit}>
          <TextField label="Action" value={text} required maxLength={1000} onChange={(e) => setText(e.target.value)} />
          <SelectField label="Owner" value={owner} required onChange={(e) => setOwner(e.target.value)}>
            <option value="">Choose…</option>
            {conference.participants.map((p) => (
              <option key={p.userId} value={p.userId}>
                {p.name} ({p.agencyName})
              </option>
            ))}
          </SelectField>
          <TextField label="Due date" type="date" className="input-date" value={due} required onChange={(e) => setDue(e.target.value)} />
          <button type="submit" className="button button-secondary" disabled={busy}>Record action</button>
        </form>
      ) : null}
      <Err error={error} />
    </section>
  );
}
