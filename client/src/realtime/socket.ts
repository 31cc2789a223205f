import { io, type Socket } from 'socket.io-client';

/** Events the server sends; later features add theirs here. */
export interface ServerEvents {
  'session:ended': (payload: { reason?: string }) => void;
  /** A task was raised for this user (or a role they hold); fetch the list again. */
  'task:created': (payload: { id: string }) => void;
}

/** Events the client sends. */
export type ClientEvents = Record<string, never>;

export type AppSocket = Socket<ServerEvents, ClientEvents>;

/** A socket on the same origin, carrying the session cookie; connect it yourself. */
export function createSocket(): AppSocket {
  return io({ withCredentials: true, autoConnect: false });
}
