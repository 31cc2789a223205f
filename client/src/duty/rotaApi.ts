/**
 * The on-call rota for the rota editor (server/routes/rota): each level's weekly pattern, who is on
 * call now, the resolved timeline and its gaps, one-off overrides and swaps, and who may be put on
 * call. `shared` works on the shared, panel-wide rota (system admins).
 */
import { api } from '../api/client';
import type { OnCallSegment } from '../api/duty';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One repeating slot: on each of `days`, `start` to `end` local time (an end at or before the start is the next day). */
export interface RotaSlot {
  days: Weekday[];
  start: string;
  end: string;
  userId: string;
  userName: string;
}

export interface RotaGap {
  from: string;
  to: string;
}

export interface RotaLevel {
  level: string;
  rank: number;
  label: string;
  pattern: RotaSlot[];
  /** The pattern's version, sent back when saving it; null when the level has none. */
  patternUpdatedAt: string | null;
  onCall: OnCallSegment | null;
  timeline: OnCallSegment[];
  gaps: RotaGap[];
}

export interface RotaShift {
  id: string;
  level: string;
  shared: boolean;
  userId: string;
  userName: string;
  from: string;
  to: string;
  source: 'override' | 'swap';
  replacesUserId: string | null;
  cancelledAt: string | null;
}

export interface Rota {
  from: string;
  to: string;
  shared: boolean;
  /** The zone weekly slots are written in (Europe/London). */
  timezone: string;
  canManage: boolean;
  levels: RotaLevel[];
  shifts: RotaShift[];
}

export interface Candidate {
  id: string;
  name: string;
}

export type SlotInput = Omit<RotaSlot, 'userName'>;

const q = (shared: boolean) => (shared ? '?shared=true' : '');
const scope = (shared: boolean) => (shared ? { shared: true } : {});

export const rotaApi = {
  get: (shared: boolean) => api.get<Rota>(`/api/rota${q(shared)}`),
  candidates: (shared: boolean) => api.get<{ people: Candidate[] }>(`/api/rota/candidates${q(shared)}`),
  /** Replaces a level's weekly slots; `expectedUpdatedAt` is the version read (null: none yet). */
  savePattern: (shared: boolean, level: string, slots: SlotInput[], expectedUpdatedAt: string | null) =>
    api.put<{ patternUpdatedAt: string }>(`/api/rota/patterns/${encodeURIComponent(level)}`, { ...scope(shared), expectedUpdatedAt, slots }),
  deletePattern: (shared: boolean, level: string) => api.delete<void>(`/api/rota/patterns/${encodeURIComponent(level)}${q(shared)}`),
  addOverride: (shared: boolean, body: { level: string; userId: string; from: string; to: string }) =>
    api.post<{ shift: RotaShift }>('/api/rota/overrides', { ...scope(shared), ...body }),
  addSwap: (shared: boolean, body: { level: string; fromUserId: string; toUserId: string; from: string; to: string }) =>
    api.post<{ shift: RotaShift }>('/api/rota/swaps', { ...scope(shared), ...body }),
  cancelShift: (id: string) => api.delete<void>(`/api/rota/shifts/${encodeURIComponent(id)}`),
};
