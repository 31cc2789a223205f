/**
 * `/duty`: the out-of-hours duty console. Who is on call, the live queue with countdowns to each
 * deadline (updated over the socket), acknowledge / take / escalate / hand over, and the
 * notification log. Duty managers act; agency admins watch.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { dutyApi, type DutyAlert } from '../api/duty';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { DeliveryLog } from '../duty/DeliveryLog';
import { DutyQueue, type DutyAction } from '../duty/DutyQueue';
import { HandoverPanel } from '../duty/HandoverPanel';
import { OnCallPanel } from '../duty/OnCallPanel';
import { useDuty } from '../duty/useDuty';
import '../duty/duty.css';

const DONE: Record<DutyAction, string> = { acknowledge: 'Alert acknowledged.', take: 'Alert taken: it is with you now.', escalate: 'Alert escalated to the next level.' };

export function DutyPage() {
  const canAct = useCurrentUser().roles.includes('duty_manager');
  const [arrived, setArrived] = useState('');
  const onRouted = useCallback((p: { severity: string }) => setArrived(`New ${p.severity} alert for you.`), []);
  const { load, reload } = useDuty(onRouted);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const queueHeading = useRef<HTMLHeadingElement>(null);

  async function act(alert: DutyAlert, action: DutyAction) {
    if (busy) return;
    setBusy(alert.id);
    setError(null);
    setMessage('');
    try {
      if (action === 'acknowledge') await dutyApi.acknowledge(alert.id);
      else if (action === 'take') await dutyApi.take(alert.id);
      else await dutyApi.escalate(alert.id);
      setMessage(DONE[action]);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? `${err.message} The queue has been refreshed.` : errorMessage(err));
    }
    setBusy(null);
    queueHeading.current?.focus();
    reload();
  }

  return (
    <>
      <PageHeading title="Duty">Out-of-hours alerts for you and your agency, and who is on call.</PageHeading>
      <p role="status" aria-live="polite" className={arrived ? 'banner' : 'visually-hidden'}>
        {arrived}
      </p>
      <p role="status" className={message ? 'banner banner-success' : 'visually-hidden'}>
        {message}
      </p>
      <AlertRegion message={error} />
      {load.status === 'loading' ? <p role="status">Loading the duty queue…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}
      {load.status === 'ready' ? (
        <div className="duty-layout">
          <section className="panel" aria-labelledby="duty-queue-title">
            <h2 id="duty-queue-title" ref={queueHeading} tabIndex={-1}>
              Live queue ({load.alerts.length})
            </h2>
            <DutyQueue alerts={load.alerts} skewMs={load.skewMs} busy={busy} canAct={canAct} onAction={(a, action) => void act(a, action)} />
          </section>
          <div className="duty-side">
            <OnCallPanel levels={load.levels} />
            {canAct ? <HandoverPanel onDone={(m) => { setMessage(m); reload(); }} /> : null}
            <NotificationPermission />
          </div>
          <div className="duty-wide">
            <DeliveryLog deliveries={load.deliveries} />
          </div>
        </div>
      ) : null}
    </>
  );
}

/** Offers desktop notifications for alerts routed to this user while the page is open. */
function NotificationPermission() {
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  if (permission !== 'default') return null;
  return (
    <button type="button" className="button button-secondary" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Turn on desktop notifications
    </button>
  );
}
