/** The live queue: alerts with me or my agency out of hours, soonest deadline first, with their actions. */
import type { DutyAlert } from '../api/duty';
import { Badge } from '../components/Badge';
import { Link } from '../router/Link';
import { Countdown } from './Countdown';
import { shortTime } from './time';

export type DutyAction = 'acknowledge' | 'take' | 'escalate';

const ACTION_LABEL: Record<DutyAction, string> = { acknowledge: 'Acknowledge', take: 'Take', escalate: 'Escalate now' };

export function DutyQueue({
  alerts,
  skewMs,
  busy,
  canAct,
  onAction,
}: {
  alerts: DutyAlert[];
  skewMs: number;
  busy: string | null;
  canAct: boolean;
  onAction: (alert: DutyAlert, action: DutyAction) => void;
}) {
  if (alerts.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-title">Nothing waiting</p>
        <p className="muted">Out-of-hours alerts appear here the moment they are routed.</p>
      </div>
    );
  }
  return (
    <ul className="duty-queue">
      {alerts.map((alert) => {
        const titleId = `duty-alert-${alert.id}`;
        const actions: DutyAction[] = [];
        if (canAct && alert.status === 'open' && alert.heldByMe) actions.push('acknowledge');
        if (canAct && !alert.heldByMe) actions.push('take');
        if (canAct) actions.push('escalate');
        return (
          <li key={alert.id}>
            <article className={`duty-alert duty-alert-${alert.severity}`} aria-labelledby={titleId} aria-busy={busy === alert.id}>
              <header className="duty-alert-header">
                <h3 id={titleId}>
                  {alert.severity.toUpperCase()} alert · {alert.levelLabel ?? 'Duty'}
                </h3>
                <Badge tone={alert.status === 'open' ? 'warn' : 'good'}>{alert.status === 'open' ? 'Awaiting acknowledgement' : 'Acknowledged'}</Badge>
                {alert.heldByMe ? <Badge>With you</Badge> : null}
              </header>
              <dl className="duty-meta">
                <div>
                  <dt>Acknowledge within</dt>
                  <dd>{alert.ackDeadline ? <Countdown deadline={alert.ackDeadline} skewMs={skewMs} /> : alert.acknowledgedAt ? `Done at ${shortTime(alert.acknowledgedAt)}` : 'No deadline'}</dd>
                </div>
                <div>
                  <dt>With</dt>
                  <dd>{alert.holders.length ? alert.holders.map((h) => h.name).join(', ') : 'Nobody on call'}</dd>
                </div>
                <div>
                  <dt>Escalations</dt>
                  <dd>{alert.escalations}</dd>
                </div>
                <div>
                  <dt>Raised</dt>
                  <dd>
                    <time dateTime={alert.raisedAt}>{shortTime(alert.raisedAt)}</time>
                  </dd>
                </div>
              </dl>
              <div className="button-row">
                <Link to={alert.path} aria-describedby={titleId}>
                  Open the alert
                </Link>
                {actions.map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={action === 'acknowledge' ? 'button' : 'button button-secondary'}
                    disabled={busy !== null}
                    aria-describedby={titleId}
                    onClick={() => onAction(alert, action)}
                  >
                    {busy === alert.id ? 'Saving…' : ACTION_LABEL[action]}
                  </button>
                ))}
              </div>
            </article>
          </li>
        );
      })}
    </ul>
  );
}
