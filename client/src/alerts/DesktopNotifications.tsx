/**
 * Desktop notifications for new alerts. Permission is asked for only when the user presses the
 * button; a notification says how severe the alert is and nothing about the person.
 */
import { useRef, useState } from 'react';
import type { AlertNewHint } from './useAlertEvents';
import { navigate } from '../router/history';
import { severityLabel } from './vocab';

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Shows a desktop notification for a new alert when allowed and the page is not in front. */
export function notifyNewAlert(hint: AlertNewHint): void {
  if (currentPermission() !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return; // the page announces it
  try {
    const note = new Notification(`New ${severityLabel(hint.severity).toLowerCase()}-severity alert`, {
      body: 'Open the Crisis Care Workspace to review it.',
      tag: `alert-${hint.id}`,
    });
    note.onclick = () => {
      window.focus();
      navigate(`/alerts/${encodeURIComponent(hint.id)}`);
      note.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the page still announces it.
  }
}

export function DesktopNotifications() {
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const [asking, setAsking] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);

  if (permission === 'unsupported') return null;

  async function ask() {
    setAsking(true);
    let next: Permission;
    try {
      next = await Notification.requestPermission();
    } catch {
      next = currentPermission();
    }
    setPermission(next);
    setAsking(false);
    // The button goes once the browser has an answer: keep the keyboard user's place.
    if (next !== 'default') window.setTimeout(() => statusRef.current?.focus(), 0);
  }

  return (
    <div className="alert-notify">
      {permission === 'default' ? (
        <button type="button" className="button button-secondary" onClick={ask} disabled={asking}>
          {asking ? 'Waiting for your browser…' : 'Turn on desktop notifications'}
        </button>
      ) : null}
      <p role="status" ref={statusRef} tabIndex={-1} className="small muted alert-notify-status">
        {permission === 'granted'
          ? 'Desktop notifications are on: you will be told of new alerts while this tab is in the background.'
          : permission === 'denied'
            ? 'Desktop notifications are blocked for this site in your browser settings.'
            : ''}
      </p>
    </div>
  );
}
