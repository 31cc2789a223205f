import { io, type Socket } from 'socket.io-client';
import type { Severity } from '../api/alerts';

/** An alert this user is told about (ids and severity only; pages fetch the rest). */
export interface AlertNewHint {
  id: string;
  severity: Severity;
}

/** An alert in this user's inbox moved on. */
export interface AlertChangedHint {
  id: string;
  updatedAt: string;
}

/** Events the server sends; later features add theirs here. */
export interface ServerEvents {
  'session:ended': (payload: { reason?: string }) => void;
  /** A task was raised for this user (or a role they hold); fetch the list again. */
  'task:created': (payload: { id: string }) => void;
  'alert:new': (hint: AlertNewHint) => void;
  'alert:changed': (hint: AlertChangedHint) => void;
}

/** Events the client sends. */
export type ClientEvents = Record<string, never>;

export type AppSocket = Socket<ServerEvents, ClientEvents>;

/** A socket on the same origin, carrying the session cookie; connect it yourself. */
export function createSocket(): AppSocket {
  return io({ withCredentials: true, autoConnect: false });
}
