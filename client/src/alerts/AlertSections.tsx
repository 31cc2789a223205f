/**
 * The read-only parts of the alert page: what fired and why, who it is about (as far as this
 * viewer may know), the evidence, the records withheld, and the timeline of steps taken.
 */
import type { Ref } from 'react';
import type { AlertDetail, AlertTimelineEntry } from '../api/alerts';
import { useCurrentUser } from '../auth/AuthContext';
import { BASIS_LABELS, formatDateTime, humanise, kindLabel, riskCategoryLabel, riskLevelLabel } from '../people/vocab';
import { hasAnyRole, PEOPLE_ROLES } from '../roles';
import { Link } from '../router/Link';
import { Countdown } from './Countdown';
import {
  actorText,
  ALERT_REMEDY_HINTS,
  deadlineApplies,
  evidenceCountText,
  knownToAgenciesText,
  modeLabel,
  outcomeLabel,
  PSEUDONYMOUS_TEXT,
  RESTRICTED_TEXT,
  SHARING_STATE_LABELS,
  severityLabel,
  statusLabel,
  statusShort,
  timelineText,
} from './vocab';

function routedText(routedTo: AlertDetail['routedTo']): string {
  if (routedTo.mode === 'in_hours') return 'To the risk panel, in working hours';
  if (routedTo.mode === 'out_of_hours') {
    return routedTo.level ? `Out of hours, to the on-call duty manager (level ${routedTo.level})` : 'Out of hours, to the on-call duty manager';
  }
  return 'Not yet routed';
}

/** What fired and why: the rule, its description, and the counts behind it. */
export function WhatFired({ alert }: { alert: AlertDetail }) {
  return (
    <section className="panel" aria-labelledby="alert-why-title">
      <h2 id="alert-why-title">What fired and why</h2>
      <p className="alert-description">{alert.description ?? `The rule “${alert.ruleName}” found a pattern that needs review.`}</p>
      <dl className="alert-facts">
        <div>
          <dt>Rule</dt>
          <dd>{alert.ruleName}</dd>
        </div>
        <div>
          <dt>Severity</dt>
          <dd>{severityLabel(alert.severity)}</dd>
        </div>
        <div>
          <dt>Evidence</dt>
          <dd>{evidenceCountText(alert.summary)}</dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>
            <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Who is told</dt>
          <dd>
            {modeLabel(alert.mode)} ({SHARING_STATE_LABELS[alert.sharingState] ?? humanise(alert.sharingState)})
          </dd>
        </div>
        <div>
          <dt>Routed</dt>
          <dd>{routedText(alert.routedTo)}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Where it stands; its heading takes focus after every step so the new state is read out. */
export function WhereItStands({ alert, headingRef }: { alert: AlertDetail; headingRef: Ref<HTMLHeadingElement> }) {
  const closed = alert.status === 'closed';
  return (
    <section className={`panel alert-standing alert-standing-${alert.status}`} aria-labelledby="alert-status-title">
      <h2 id="alert-status-title" ref={headingRef} tabIndex={-1}>
        Status: {statusShort(alert.status)}
      </h2>
      {statusLabel(alert.status) !== statusShort(alert.status) ? <p className="alert-status-text">{statusLabel(alert.status)}</p> : null}
      <dl className="alert-facts">
        {deadlineApplies(alert) && alert.ackDeadline ? (
          <div>
            <dt>Deadline</dt>
            <dd>
              <Countdown deadline={alert.ackDeadline} />
            </dd>
          </div>
        ) : null}
        {alert.acknowledgedAt ? (
          <div>
            <dt>Acknowledged</dt>
            <dd>
              {alert.acknowledgedBy?.name ? `By ${alert.acknowledgedBy.name}, ` : ''}
              <time dateTime={alert.acknowledgedAt}>{formatDateTime(alert.acknowledgedAt)}</time>
            </dd>
          </div>
        ) : null}
        {!closed ? (
          <div>
            <dt>Assigned to</dt>
            <dd>{alert.assignee ? (alert.assignee.name ?? 'A colleague') : 'Nobody yet'}</dd>
          </div>
        ) : null}
        {alert.outcome ? (
          <div>
            <dt>Outcome</dt>
            <dd>
              {outcomeLabel(alert.outcome.code)}
              {alert.outcome.closedAt ? (
                <>
                  , <time dateTime={alert.outcome.closedAt}>{formatDateTime(alert.outcome.closedAt)}</time>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
      {alert.outcome?.note ? <p className="alert-note-text">{alert.outcome.note}</p> : null}
      {!closed ? (
        <p className="small">
          <a href="#alert-actions-title">Go to the actions</a>
        </p>
      ) : null}
    </section>
  );
}

/** Who it is about: a name and link when this viewer may know; otherwise why not, and what happens next. */
export function AlertPerson({ alert }: { alert: AlertDetail }) {
  const user = useCurrentUser();
  const canOpenPeople = hasAnyRole(user, PEOPLE_ROLES);
  const person = alert.person;
  const known = knownToAgenciesText(alert.summary.agencyCount);
  const personPath = person ? `/people/${encodeURIComponent(person.id)}?purpose=risk_panel` : null;

  return (
    <section className="panel alert-person" aria-labelledby="alert-person-title">
      <h2 id="alert-person-title">Who this is about</h2>
      {alert.mode === 'pseudonymous' || !person ? (
        <>
          <p className="alert-person-name">{known}</p>
          <p className="alert-explain">{PSEUDONYMOUS_TEXT}</p>
        </>
      ) : (
        <>
          {person.name ? (
            <p className="alert-person-name">
              {canOpenPeople && personPath ? <Link to={personPath}>{person.name}</Link> : person.name}
            </p>
          ) : (
            <>
              <p className="alert-person-name">{known}</p>
              <p className="muted">Your agency holds no record about this person, so their name is not shown.</p>
            </>
          )}
          {alert.mode === 'restricted' ? (
            <div className="alert-explain">
              <p>{RESTRICTED_TEXT}.</p>
              <ul className="alert-explain-links">
                {canOpenPeople && personPath ? (
                  <li>
                    <Link to={personPath}>Record a decision to share without consent on the person's page</Link>
                  </li>
                ) : null}
                {user.roles.includes('ig_lead') ? (
                  <li>
                    <Link to="/decisions">Decisions to share without consent awaiting sign-off</Link>
                  </li>
                ) : null}
              </ul>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function levelClass(level: string): string {
  return ['low', 'medium', 'high', 'critical'].includes(level) ? `risk-${level}` : 'risk-unknown';
}

/** The records that made the rule fire and that this viewer may see, newest first. */
export function AlertEvidenceList({ alert }: { alert: AlertDetail }) {
  const withheldCount = alert.withheld.reduce((n, w) => n + w.count, 0);
  return (
    <section className="panel" aria-label="Evidence">
      <h2>Evidence</h2>
      {alert.evidence.length === 0 ? (
        <div className="empty-state">
          <p className="empty-title">No records you can see</p>
          <p className="muted">
            {alert.mode === 'pseudonymous' || !alert.person
              ? "Records are not shown while the person's identity is withheld."
              : withheldCount > 0
                ? 'Every record behind this alert is withheld from your agency; see below for how to ask for them.'
                : 'No record behind this alert is shared with your agency.'}
          </p>
        </div>
      ) : (
        <ol className="timeline alert-evidence">
          {alert.evidence.map((item) => (
            <li key={item.id}>
              <article className="entry" aria-label={`${item.agencyName}, ${kindLabel(item.kind)}, ${formatDateTime(item.occurredAt)}`}>
                <header className="entry-header">
                  <h3 className="entry-title">
                    {kindLabel(item.kind)} <span className="entry-agency">· {item.agencyName}</span>
                  </h3>
                  <time className="entry-time small" dateTime={item.occurredAt}>
                    {formatDateTime(item.occurredAt)}
                  </time>
                </header>
                <p className="entry-labels">
                  <span className={`basis basis-${item.basis}`}>{BASIS_LABELS[item.basis as keyof typeof BASIS_LABELS] ?? humanise(item.basis)}</span>
                </p>
                {item.riskIndicators.length > 0 ? (
                  <ul className="risk-list" aria-label="Risk indicators">
                    {item.riskIndicators.map((risk, index) => (
                      <li key={`${risk.category}-${index}`} className={`risk ${levelClass(risk.level)}`}>
                        <span className="risk-label">
                          {riskCategoryLabel(risk.category)} · {riskLevelLabel(risk.level)}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="small muted">No risk indicators recorded.</p>
                )}
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Markers for evidence this viewer may not see, each with how to ask for it. */
export function AlertWithheld({ alert }: { alert: AlertDetail }) {
  if (alert.withheld.length === 0) return null;
  return (
    <section className="panel withheld" aria-label="Withheld records">
      <h2>Records withheld from you</h2>
      <ul className="marker-list">
        {alert.withheld.map((marker) => (
          <li key={`${marker.agencyName}|${marker.code}|${marker.reason}`} className="marker">
            <p className="marker-text">{marker.text}</p>
            <p className="marker-remedy small">{ALERT_REMEDY_HINTS[marker.remedy] ?? ''}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every step taken on the alert, oldest first, as a history reads. */
export function AlertTimeline({ entries, names }: { entries: AlertTimelineEntry[]; names: ReadonlyMap<string, string> }) {
  return (
    <section className="panel" aria-label="Alert timeline">
      <h2>Timeline</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing has happened yet.</p>
      ) : (
        <ol className="alert-steps">
          {entries.map((entry) => (
            <li key={entry.id} className={`alert-step alert-step-${entry.kind}`}>
              <p className="alert-step-line">
                <span className="alert-step-text">{timelineText(entry, names)}</span>
                <span className="small muted alert-step-meta">
                  {' '}
                  · {actorText(entry)} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </span>
              </p>
              {entry.text ? <p className="alert-note-text">{entry.text}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
