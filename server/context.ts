import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { AppConfig } from '../config/env';
import type { Logger } from './logger';

/** Login throttles; tests raise them, production keeps the defaults. */
export interface AuthLimits {
  /** Failed passwords before an account locks. */
  maxFailedLogins: number;
  /** How long a locked account stays locked, ms. */
  lockoutMs: number;
  /** Login attempts per client IP per window. */
  loginsPerIp: number;
  /** Login attempts per email address per window (whether or not the account exists). */
  loginsPerEmail: number;
  /** Window for the two limits above, seconds. */
  windowSeconds: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  loginsPerIp: 50,
  loginsPerEmail: 10,
  windowSeconds: 15 * 60,
};

/** Ends live connections; wired to Socket.io once it is attached (a no-op before). */
export interface RealtimeControl {
  disconnectUser(userId: string): void;
  disconnectSession(sessionId: string): void;
  /** Moves a user's live sockets from their old role rooms to their new ones (after a role change). */
  moveRoleRooms(userId: string, agencyId: string, oldRoles: readonly string[], newRoles: readonly string[]): void;
  /**
   * Sends a small, already-authorised event (usually an `{id}` hint) to a room such as
   * `user:<id>`, or to several rooms at once (one message; a socket in two of them gets it once).
   */
  emit(room: string | readonly string[], event: string, payload: object): void;
}

/** What the HTTP app and its routes depend on. Built once per process (or per test file). */
export interface AppContext {
  config: AppConfig;
  logger: Logger;
  /** Shared Redis connection for sessions, rate limits and bookkeeping. */
  redis: Redis;
  limits: AuthLimits;
  realtime: RealtimeControl;
  /** A BullMQ queue by name (opened once, on the shared connection: routes only add jobs). */
  queue(name: string): Queue;
}

/** A realtime control that does nothing until Socket.io replaces it. */
export function idleRealtime(): RealtimeControl {
  return { disconnectUser() {}, disconnectSession() {}, moveRoleRooms() {}, emit() {} };
}
