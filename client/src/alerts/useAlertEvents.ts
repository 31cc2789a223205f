/**
 * The server's alert hints over the socket: `alert:new` (an alert this user is told about) and
 * `alert:changed` (an alert in their inbox moved on). Hints carry ids only; pages fetch the rest
 * through the API. `onReconnect` runs after the socket comes back, since nothing is replayed.
 */
import { useEffect, useRef } from 'react';
import type { AlertChangedHint, AlertNewHint } from '../realtime/socket';
import { useRealtime } from '../realtime/RealtimeContext';

export type { AlertNewHint, AlertChangedHint };

export interface AlertEventHandlers {
  onNew?: (hint: AlertNewHint) => void;
  onChanged?: (hint: AlertChangedHint) => void;
  onReconnect?: () => void;
}

export function useAlertEvents(handlers: AlertEventHandlers): void {
  const { socket } = useRealtime();
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });

  useEffect(() => {
    if (!socket) return;
    const s = socket;
    const onNew = (hint: AlertNewHint) => ref.current.onNew?.(hint);
    const onChanged = (hint: AlertChangedHint) => ref.current.onChanged?.(hint);
    const onConnect = () => ref.current.onReconnect?.();
    s.on('alert:new', onNew);
    s.on('alert:changed', onChanged);
    s.on('connect', onConnect);
    return () => {
      s.off('alert:new', onNew);
      s.off('alert:changed', onChanged);
      s.off('connect', onConnect);
    };
  }, [socket]);
}
