/**
 * The duty console's data, kept fresh: fetched on mount, and again whenever the server says an
 * alert was routed to this user (`alert:routed`) or the agency's queue changed (`duty:changed`),
 * and after a reconnect. A routed alert also raises a browser notification when allowed: it says
 * only the severity, like every message that leaves the page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { dutyApi, type Delivery, type DutyAlert, type OnCallLevel } from '../api/duty';
import { useRealtime } from '../realtime/RealtimeContext';

export type DutyLoad =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; alerts: DutyAlert[]; levels: OnCallLevel[]; deliveries: Delivery[]; skewMs: number };

interface LooseSocket {
  on(event: string, fn: (payload: unknown) => void): void;
  off(event: string, fn: (payload: unknown) => void): void;
}

export function useDuty(onRouted?: (payload: { id: string; severity: string }) => void) {
  const { socket } = useRealtime();
  const [load, setLoad] = useState<DutyLoad>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const onRoutedRef = useRef(onRouted);
  useEffect(() => {
    onRoutedRef.current = onRouted;
  }, [onRouted]);

  useEffect(() => {
    let live = true;
    Promise.all([dutyApi.queue(), dutyApi.onCall(), dutyApi.deliveries()]).then(
      ([queue, onCall, log]) => {
        if (!live) return;
        setLoad({ status: 'ready', alerts: queue.alerts, levels: onCall.levels, deliveries: log.deliveries, skewMs: Date.parse(queue.now) - Date.now() });
      },
      (err: unknown) => {
        if (live) setLoad((current) => (current.status === 'ready' ? current : { status: 'error', message: errorMessage(err) }));
      },
    );
    return () => {
      live = false;
    };
  }, [version]);

  useEffect(() => {
    if (!socket) return;
    const s = socket as unknown as LooseSocket;
    const routed = (payload: unknown) => {
      reload();
      const p = payload as { id: string; severity: string };
      onRoutedRef.current?.(p);
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        new Notification(`${p.severity.toUpperCase()} alert needs attention`, { body: 'Open the duty console to acknowledge it.', tag: `alert-${p.id}` });
      }
    };
    s.on('alert:routed', routed);
    s.on('duty:changed', reload);
    s.on('connect', reload);
    return () => {
      s.off('alert:routed', routed);
      s.off('duty:changed', reload);
      s.off('connect', reload);
    };
  }, [socket, reload]);

  return { load, reload };
}
