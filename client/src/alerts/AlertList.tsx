/** The inbox's rows: what fired, how severe, where it stands, and nothing that names the person. */
import type { AlertListItem } from '../api/alerts';
import { Badge } from '../components/Badge';
import { formatDateTime, formatDay } from '../people/vocab';
import { Link } from '../router/Link';
import { SeverityBadge, StatusBadge } from './AlertBadges';
import { Countdown } from './Countdown';
import { deadlineApplies, evidenceCountText, knownToAgenciesText, outcomeLabel, severityLabel } from './vocab';

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Alerts nobody has acknowledged first (most severe, then newest), then the rest as the server sent them (last updated first). */
export function sortAlerts(alerts: AlertListItem[]): AlertListItem[] {
  const open = alerts.filter((a) => a.status === 'open');
  const rest = alerts.filter((a) => a.status !== 'open');
  open.sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) || b.raisedAt.localeCompare(a.raisedAt));
  return [...open, ...rest];
}

export function AlertList({ alerts, userId, newIds }: { alerts: AlertListItem[]; userId: string; newIds: ReadonlySet<string> }) {
  return (
    <ul className="alert-list">
      {alerts.map((alert) => (
        <li key={alert.id}>
          <AlertRow alert={alert} userId={userId} isNew={newIds.has(alert.id)} />
        </li>
      ))}
    </ul>
  );
}

function subjectText(alert: AlertListItem): string {
  const who = knownToAgenciesText(alert.summary.agencyCount);
  if (alert.mode === 'pseudonymous') return `${who} · identity withheld (no consent on file)`;
  if (alert.mode === 'restricted') return `${who} · consent refused: IG leads and duty managers only`;
  return who;
}

function periodText(summary: AlertListItem['summary']): string {
  if (!summary.firstAt || !summary.lastAt) return '';
  const first = formatDay(summary.firstAt);
  const last = formatDay(summary.lastAt);
  return first === last ? `, on ${first}` : `, ${first} to ${last}`;
}

function AlertRow({ alert, userId, isNew }: { alert: AlertListItem; userId: string; isNew: boolean }) {
  const titleId = `alert-${alert.id}-title`;
  const assigned = alert.assignedTo === null ? 'Not assigned' : alert.assignedTo === userId ? 'Assigned to you' : 'Assigned to a colleague';
  return (
    <article className={`alert-row alert-row-${alert.severity}${alert.status === 'open' ? ' alert-row-open' : ''}`} aria-labelledby={titleId}>
      <header className="alert-row-header">
        <h3 id={titleId} className="alert-row-title">
          <Link to={`/alerts/${encodeURIComponent(alert.id)}`}>
            {alert.ruleName}
            <span className="visually-hidden">
              , {severityLabel(alert.severity).toLowerCase()} severity, raised {formatDateTime(alert.raisedAt)}
            </span>
          </Link>
        </h3>
        <span className="alert-row-badges">
          <SeverityBadge severity={alert.severity} />
          <StatusBadge status={alert.status} />
          {isNew ? <Badge tone="good">New</Badge> : null}
        </span>
      </header>
      <p className="alert-row-subject">{subjectText(alert)}</p>
      <dl className="alert-row-meta">
        <div>
          <dt>Evidence</dt>
          <dd>
            {evidenceCountText(alert.summary)}
            {periodText(alert.summary)}
          </dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>
            <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>
          </dd>
        </div>
        {deadlineApplies(alert) && alert.ackDeadline ? (
          <div>
            <dt>Deadline</dt>
            <dd>
              <Countdown deadline={alert.ackDeadline} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{alert.status === 'closed' ? 'Outcome' : 'Who has it'}</dt>
          <dd>{alert.status === 'closed' ? (alert.outcome ? outcomeLabel(alert.outcome) : 'Closed') : assigned}</dd>
        </div>
      </dl>
    </article>
  );
}
