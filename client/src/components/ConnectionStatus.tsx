import { useRealtime, type ConnectionStatus as Status } from '../realtime/RealtimeContext';

const TEXT: Record<Status, string> = {
  connecting: 'Connecting…',
  connected: 'Live updates on',
  reconnecting: 'Reconnecting…',
  offline: 'Live updates off',
};

/** Whether alerts will arrive live: worth knowing at 3 a.m. Text, not colour alone. */
export function ConnectionStatus() {
  const { status } = useRealtime();
  return (
    <span className={`connection connection-${status}`}>
      <span className="connection-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
