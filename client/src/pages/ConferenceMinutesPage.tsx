/**
 * `/conferences/minutes/:id`: the minutes of a closed conference as your agency may see them —
 * attendees, agencies, risk summary, decisions and actions — ready to print, or to download as a
 * file (the printable page).
 */
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { conferencesApi, type Minutes } from '../api/conferences';
import { Banner } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { refusalText } from '../conferences/vocab';
import { formatDate, formatDateTime } from '../people/vocab';
import { saveFile } from '../people/saveFile';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../conferences/conferences.css';

type Load = { status: 'loading' } | { status: 'error'; message: string; code: string } | { status: 'ready'; minutes: Minutes };

export function ConferenceMinutesPage() {
  const { pathname } = useLocation();
  const id = pathname.split('/')[3] ?? '';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [downloadError, setDownloadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    conferencesApi.minutes(id).then(
      ({ minutes }) => live && setLoad({ status: 'ready', minutes }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err), code: err instanceof ApiError ? err.code : 'error' }),
    );
    return () => {
      live = false;
    };
  }, [id]);

  async function download() {
    setDownloadError(null);
    try {
      const file = await conferencesApi.downloadMinutes(id);
      saveFile(file.blob, file.filename ?? `conference-minutes-${id}.html`);
    } catch (err) {
      setDownloadError(errorMessage(err));
    }
  }

  if (load.status === 'loading') return <p role="status">Loading the minutes…</p>;
  if (load.status === 'error') {
    return (
      <>
        <PageHeading title="Minutes" />
        <Banner tone="error">{load.code === 'not_closed' ? load.message : refusalText(load.code, load.message)}</Banner>
        <Link to={`/conferences/room/${id}`}>Back to the conference</Link>
      </>
    );
  }
  const m = load.minutes;
  return (
    <article className="minutes">
      <PageHeading title={`Minutes: ${m.title}`}>
        {m.person.name ? `About ${m.person.name}. ` : ''}Chaired by {m.chair.name} ({m.chair.agencyName}). Closed {m.closedAt ? formatDateTime(m.closedAt) : '—'}.
      </PageHeading>
      <div className="button-row no-print">
        <button type="button" className="button" onClick={() => window.print()}>Print</button>
        <button type="button" className="button button-secondary" onClick={() => void download()}>Download minutes</button>
        <a href={conferencesApi.printableUrl(id)} target="_blank" rel="noopener">Open the printable page</a>
      </div>
      {downloadError ? <p role="alert" className="banner banner-error">{downloadError}</p> : null}
      <p className="muted small">Prepared for {m.viewerAgencyName}: shows only what the sharing basis allows your agency to see.</p>

      <section aria-labelledby="m-outcome">
        <h2 id="m-outcome">Outcome</h2>
        <p>{m.outcome.label ?? '—'}</p>
        {m.outcome.summary ? <p>{m.outcome.summary}</p> : null}
      </section>
      <section aria-labelledby="m-attendees">
        <h2 id="m-attendees">Attendees</h2>
        {m.attendees.length === 0 ? <p>Nobody joined the room.</p> : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Agency</th><th scope="col">Role</th></tr></thead>
            <tbody>{m.attendees.map((a, i) => <tr key={i}><td>{a.name}</td><td>{a.agencyName}</td><td>{a.role}</td></tr>)}</tbody>
          </table>
        )}
        <p>Agencies: {m.agencies.join(', ')}</p>
      </section>
      <section aria-labelledby="m-risk">
        <h2 id="m-risk">Risk summary</h2>
        {m.riskSummary.length === 0 ? <p>No risk entries.</p> : (
          <table>
            <thead><tr><th scope="col">Category</th><th scope="col">Highest level</th></tr></thead>
            <tbody>{m.riskSummary.map((r) => <tr key={r.category}><td>{r.categoryLabel}</td><td>{r.levelLabel}</td></tr>)}</tbody>
          </table>
        )}
        {m.risks.length ? (
          <ul>{m.risks.map((r) => <li key={r.id}>{r.categoryLabel} ({r.levelLabel}): {r.rationale} — {r.agencyName}</li>)}</ul>
        ) : null}
      </section>
      <section aria-labelledby="m-decisions">
        <h2 id="m-decisions">Decisions</h2>
        {m.decisions.length === 0 ? <p>No decisions recorded.</p> : <ol>{m.decisions.map((d) => <li key={d.id}>{d.text} ({d.agencyName})</li>)}</ol>}
      </section>
      <section aria-labelledby="m-actions">
        <h2 id="m-actions">Actions</h2>
        {m.actions.length === 0 ? <p>No actions recorded.</p> : (
          <table>
            <thead><tr><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {m.actions.map((a) => (
                <tr key={a.id}><td>{a.text}</td><td>{a.owner.name} ({a.owner.agencyName})</td><td>{formatDate(a.dueAt)}</td><td>{a.overdue ? 'Overdue' : a.status}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {m.withheld.length ? (
        <section aria-labelledby="m-withheld">
          <h2 id="m-withheld">Withheld from your agency</h2>
          <ul>{m.withheld.map((w) => <li key={`${w.agencyName}${w.reason}`}>{w.count} {w.count === 1 ? 'item' : 'items'} from {w.agencyName}: {w.reason}</li>)}</ul>
        </section>
      ) : null}
    </article>
  );
}
