/**
 * App-wide notice of a new alert for people who receive alerts, on every page except the alert
 * pages (which announce new alerts themselves). A panel member writing a note on a person's page
 * at 3 a.m. learns at once that something new needs them, and can open it in one keystroke.
 * Says only how severe it is: the alert page decides what this user may see of the person.
 */
import { useState } from 'react';
import { notifyNewAlert } from './DesktopNotifications';
import { useAlertEvents, type AlertNewHint } from './useAlertEvents';
import { severityLabel } from './vocab';
import { navigate } from '../router/history';
import './alerts.css';

/** Whether the alert pages are showing (they announce new alerts themselves). */
export const onAlertPages = (pathname: string) => pathname === '/alerts' || pathname.startsWith('/alerts/');

export function NewAlertNotice({ pathname }: { pathname: string }) {
  const [pending, setPending] = useState<{ latest: AlertNewHint; count: number } | null>(null);
  const hidden = onAlertPages(pathname);

  useAlertEvents({
    onNew: (hint) => {
      if (onAlertPages(window.location.pathname)) return;
      setPending((current) => ({ latest: hint, count: (current?.count ?? 0) + 1 }));
      notifyNewAlert(hint);
    },
  });

  const message =
    pending && !hidden
      ? `${pending.count === 1 ? 'New alert' : `${pending.count} new alerts`}: the latest is ${severityLabel(pending.latest.severity).toLowerCase()} severity.`
      : '';

  return (
    <div className={message ? 'banner new-alert-notice' : 'visually-hidden'} role="status" aria-live="polite">
      {message ? (
        <>
          <span>{message}</span>{' '}
          <a
            href={`/alerts/${encodeURIComponent(pending!.latest.id)}`}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              const id = pending!.latest.id;
              setPending(null);
              navigate(`/alerts/${encodeURIComponent(id)}`);
            }}
          >
            Open the alert
          </a>{' '}
          {pending!.count > 1 ? (
            <a
              href="/alerts"
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                setPending(null);
                navigate('/alerts');
              }}
            >
              See all alerts
            </a>
          ) : null}{' '}
          <button type="button" className="button button-secondary" onClick={() => setPending(null)}>
            Dismiss
          </button>
        </>
      ) : null}
    </div>
  );
}
