/**
 * The chair's controls: participants (invite from agencies the sharing basis covers — the list
 * says why other agencies' staff cannot be invited — and remove), start, and close with an
 * outcome. Other participants see the participant list only.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { CONFERENCE_OUTCOMES, conferencesApi, type CandidateAgency, type Conference, type ConferenceOutcome } from '../api/conferences';
import { SelectField } from '../components/SelectField';
import { TextAreaField } from '../components/TextAreaField';
import { OUTCOME_LABELS } from './vocab';

interface Props {
  conference: Conference;
  onChanged: (c: Conference) => void;
}

export function ChairPanel({ conference, onChanged }: Props) {
  const chair = conference.you.isChair && conference.status !== 'closed';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<CandidateAgency[] | null>(null);
  const [outcome, setOutcome] = useState<ConferenceOutcome | ''>('');
  const [summary, setSummary] = useState('');
  const participantCount = conference.participants.length;

  useEffect(() => {
    if (!chair) return;
    let live = true;
    conferencesApi.candidates(conference.id).then(
      (r) => live && setCandidates(r.agencies),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [chair, conference.id, participantCount]);

  async function run(action: () => Promise<{ conference: Conference }>) {
    setBusy(true);
    setError(null);
    try {
      onChanged((await action()).conference);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function close(e: FormEvent) {
    e.preventDefault();
    if (outcome) void run(() => conferencesApi.close(conference.id, outcome, summary));
  }

  return (
    <section aria-labelledby="participants-title" className="panel">
      <h2 id="participants-title">Participants ({participantCount})</h2>
      <ul className="item-list">
        {conference.participants.map((p) => (
          <li key={p.userId}>
            {p.name} <span className="muted small">({p.agencyName}{p.role === 'chair' ? ', chair' : ''})</span>
            {chair && p.role !== 'chair' ? (
              <>
                {' '}
                <button type="button" className="button-link" disabled={busy} onClick={() => void run(() => conferencesApi.remove(conference.id, p.userId))}>
                  Remove<span className="visually-hidden"> {p.name}</span>
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {error ? <p role="alert" className="banner banner-error">{error}</p> : null}

      {chair && candidates ? (
        <details className="no-print">
          <summary>Invite participants</summary>
          {candidates.map((agency) => (
            <div key={agency.id} className="candidate-agency">
              <h3>{agency.name}</h3>
              {!agency.eligible ? <p className="muted">Cannot be invited: {agency.reason}</p> : null}
              {agency.eligible && agency.users.length === 0 ? <p className="muted">No staff with a practice role.</p> : null}
              <ul className="item-list">
                {agency.users
                  .filter((u) => !u.participant)
                  .map((u) => (
                    <li key={u.id}>
                      {u.name}{' '}
                      <button type="button" className="button-link" disabled={busy} onClick={() => void run(() => conferencesApi.invite(conference.id, u.id))}>
                        Invite<span className="visually-hidden"> {u.name}</span>
                      </button>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </details>
      ) : null}

      {chair && conference.status === 'scheduled' ? (
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => void run(() => conferencesApi.start(conference.id))}>
            Start the conference
          </button>
        </div>
      ) : null}

      {chair ? (
        <form className="item-form" aria-label="Close the conference" onSubmit={close}>
          <h3>Close the conference</h3>
          <SelectField label="Outcome" value={outcome} required onChange={(e) => setOutcome(e.target.value as ConferenceOutcome)}>
            <option value="">Choose…</option>
            {CONFERENCE_OUTCOMES.map((o) => (
              <option key={o} value={o}>{OUTCOME_LABELS[o]}</option>
            ))}
          </SelectField>
          <TextAreaField label="Closing summary" value={summary} maxLength={4000} onChange={(e) => setSummary(e.target.value)} />
          <button type="submit" className="button" disabled={busy || !outcome}>Close the conference</button>
        </form>
      ) : null}
    </section>
  );
}
