/**
 * `/conferences`: the conferences you take part in — live, upcoming and closed — and, for panel
 * chairs, a form to schedule one about a person or from an alert (`?personId=` / `?alertId=`
 * prefill it, so other pages can link here).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { conferencesApi, type ConferenceSummary } from '../api/conferences';
import { useCurrentUser } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { Banner } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import { STATUS_LABELS } from '../conferences/vocab';
import { formatDateTime } from '../people/vocab';
import { navigate, useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../conferences/conferences.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; conferences: ConferenceSummary[] };

const GROUPS = [
  { status: 'live', title: 'Live now', empty: 'No conference is live.' },
  { status: 'scheduled', title: 'Upcoming', empty: 'Nothing scheduled.' },
  { status: 'closed', title: 'Closed', empty: 'No closed conferences yet.' },
] as const;

export function ConferencesPage() {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    conferencesApi.list().then(
      ({ conferences }) => live && setLoad({ status: 'ready', conferences }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <>
      <PageHeading title="Conferences">Multi-agency risk panels and case conferences you take part in.</PageHeading>
      {user.roles.includes('panel_chair') ? <NewConferenceForm /> : null}
      {load.status === 'loading' ? <p role="status">Loading conferences…</p> : null}
      {load.status === 'error' ? (
        <>
          <Banner tone="error">{load.message}</Banner>
          <button type="button" className="button" onClick={reload}>Try again</button>
        </>
      ) : null}
      {load.status === 'ready'
        ? GROUPS.map((g) => {
            const list = load.conferences.filter((c) => c.status === g.status);
            return (
              <section key={g.status} className="panel" aria-labelledby={`group-${g.status}`}>
                <h2 id={`group-${g.status}`}>
                  {g.title} ({list.length})
                </h2>
                {list.length === 0 ? <p className="muted">{g.empty}</p> : null}
                <ul className="conference-list">
                  {list.map((c) => (
                    <li key={c.id} className="conference-card">
                      <h3>
                        <Link to={`/conferences/room/${c.id}`}>{c.title}</Link> <Badge tone={c.status === 'live' ? 'good' : 'neutral'}>{STATUS_LABELS[c.status]}</Badge>
                      </h3>
                      <p className="small muted">
                        {formatDateTime(c.scheduledFor)} · chaired by {c.isChair ? 'you' : c.chairName} · {c.participantCount} participants
                      </p>
                      {c.status === 'closed' ? <Link to={`/conferences/minutes/${c.id}`}>Minutes</Link> : null}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        : null}
    </>
  );
}

/** Two hours from now, as a datetime-local value. */
function soon(): string {
  const d = new Date(Date.now() + 2 * 3_600_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function NewConferenceForm() {
  const { query } = useLocation();
  const alertId = query.get('alertId') ?? '';
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(soon);
  const [personId, setPersonId] = useState(query.get('personId') ?? '');
  const [agenda, setAgenda] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { conference } = await conferencesApi.create({
        title,
        scheduledFor: new Date(when).toISOString(),
        ...(alertId ? { alertId } : { personId: personId.trim() }),
        agenda: agenda.split('\n').map((l) => l.trim()).filter(Boolean),
      });
      navigate(`/conferences/room/${conference.id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <details className="panel" open={Boolean(alertId || query.get('personId'))}>
      <summary>Schedule a conference</summary>
      <form className="item-form" aria-label="Schedule a conference" onSubmit={submit}>
        <TextField label="Title" value={title} required minLength={3} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        <TextField label="When" type="datetime-local" value={when} required onChange={(e) => setWhen(e.target.value)} />
        {alertId ? (
          <p>From the alert you opened; the person is the alert's.</p>
        ) : (
          <TextField label="Person reference" hint="The id from the person's page." value={personId} required onChange={(e) => setPersonId(e.target.value)} />
        )}
        <TextAreaField label="Agenda" hint="One item per line." value={agenda} onChange={(e) => setAgenda(e.target.value)} />
        {error ? <p role="alert" className="banner banner-error">{error}</p> : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>{busy ? 'Scheduling…' : 'Schedule'}</button>
        </div>
      </form>
    </details>
  );
}
