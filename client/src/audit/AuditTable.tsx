/** A page (or several) of audit events as a table, newest first. */
import type { AuditEvent } from '../api/audit';
import { Badge } from '../components/Badge';
import { humanise, purposeLabel } from '../people/vocab';
import { roleLabel } from '../roles';
import { Link } from '../router/Link';
import { actionLabel, formatAuditTime, OUTCOME_LABELS, OUTCOME_TONES, shortId } from './vocab';

function Actor({ actor }: { actor: AuditEvent['actor'] }) {
  if (actor.userId) {
    return (
      <>
        User <code title={actor.userId}>{shortId(actor.userId)}</code>
        {actor.roles.length ? <span className="cell-sub">{actor.roles.map(roleLabel).join(', ')}</span> : null}
      </>
    );
  }
  if (actor.apiClientId) {
    return (
      <>
        API key <code title={actor.apiClientId}>{shortId(actor.apiClientId)}</code>
      </>
    );
  }
  return <span className="muted">Not signed in</span>;
}

function Subject({ subject }: { subject: AuditEvent['subject'] }) {
  const type = subject.type ? humanise(subject.type) : 'Nothing';
  return (
    <>
      {type}
      {subject.id && subject.id !== subject.personId ? (
        <>
          {' '}
          <code title={subject.id}>{shortId(subject.id)}</code>
        </>
      ) : null}
      {subject.personId ? (
        <span className="cell-sub">
          <Link to={`/people/${encodeURIComponent(subject.personId)}`}>
            Person <code>{shortId(subject.personId)}</code>
          </Link>
        </span>
      ) : null}
    </>
  );
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-caption">
      <table className="record-table">
        <caption id="audit-caption">Audit events</caption>
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Purpose</th>
            <th scope="col">Subject</th>
            <th scope="col">Actor</th>
            <th scope="col">Reason</th>
            <th scope="col">Basis</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq}>
              <td className="num">{event.seq}</td>
              <td>
                <time dateTime={event.at}>{formatAuditTime(event.at)}</time>
              </td>
              <td>
                {actionLabel(event.action)}
                <span className="cell-sub">
                  <code>{event.action}</code>
                </span>
              </td>
              <td>
                <Badge tone={OUTCOME_TONES[event.outcome] ?? 'neutral'}>{OUTCOME_LABELS[event.outcome] ?? event.outcome}</Badge>
              </td>
              <td>{event.purpose ? purposeLabel(event.purpose) : <span className="muted">None</span>}</td>
              <td>
                <Subject subject={event.subject} />
              </td>
              <td>
                <Actor actor={event.actor} />
              </td>
              <td className="wrap audit-reason">{event.reason ?? <span className="muted">None</span>}</td>
              <td>
                {event.basis ? (
                  <>
                    {humanise(event.basis.kind)}
                    {event.basis.ref ? (
                      <span className="cell-sub">
                        <code title={event.basis.ref}>{shortId(event.basis.ref)}</code>
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">None</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
