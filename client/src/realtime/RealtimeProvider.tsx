/**
 * One socket per signed-in session: connected when this mounts (only inside the signed-in
 * shell), disconnected when it unmounts (sign-out, session end).
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi } from '../api/auth';
import { useAuth } from '../auth/AuthContext';
import { RealtimeContext, type ConnectionStatus, type Realtime } from './RealtimeContext';
import { createSocket, type AppSocket } from './socket';

/** After the server refuses a handshake, wait this long before trying again. */
const RETRY_AFTER_REFUSAL_MS = 15_000;

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { sessionEnded } = useAuth();
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');

  useEffect(() => {
    const s = createSocket();
    let retryTimer: number | undefined;
    let closed = false;

    s.on('connect', () => setStatus('connected'));
    s.on('disconnect', () => setStatus(s.active ? 'reconnecting' : 'offline'));
    s.on('session:ended', (payload) => sessionEnded(payload?.reason ?? 'session_expired'));
    s.on('connect_error', () => {
      if (s.active) {
        setStatus('reconnecting'); // a transport problem: socket.io retries by itself
        return;
      }
      // The server refused the handshake. If the session is gone, say so; else retry later.
      setStatus('offline');
      authApi.session().then(
        (session) => {
          if (closed) return;
          if (!session.user) sessionEnded('session_expired');
          else retryTimer = window.setTimeout(() => s.connect(), RETRY_AFTER_REFUSAL_MS);
        },
        () => {
          if (!closed) retryTimer = window.setTimeout(() => s.connect(), RETRY_AFTER_REFUSAL_MS);
        },
      );
    });

    s.connect();
    setSocket(s);
    return () => {
      closed = true;
      window.clearTimeout(retryTimer);
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
    };
  }, [sessionEnded]);

  const value = useMemo<Realtime>(() => ({ socket, status }), [socket, status]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}
