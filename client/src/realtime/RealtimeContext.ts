import { createContext, useContext } from 'react';
import type { AppSocket } from './socket';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface Realtime {
  socket: AppSocket | null;
  status: ConnectionStatus;
}

export const RealtimeContext = createContext<Realtime>({ socket: null, status: 'offline' });

/** The live connection, for pages that subscribe to server events. */
export function useRealtime(): Realtime {
  return useContext(RealtimeContext);
}
