/** Case conferences (server/routes/conferences): lifecycle, structured items and minutes. */
import { api, requestBlob } from './client';

export type ConferenceStatus = 'scheduled' | 'live' | 'closed';
export type ConferenceOutcome = 'plan_agreed' | 'monitor' | 'escalated' | 'no_further_action' | 'adjourned';
export const CONFERENCE_OUTCOMES: readonly ConferenceOutcome[] = ['plan_agreed', 'monitor', 'escalated', 'no_further_action', 'adjourned'];

export interface ConferenceSummary {
  id: string;
  title: string;
  status: ConferenceStatus;
  scheduledFor: string;
  startedAt: string | null;
  closedAt: string | null;
  chairName: string;
  participantCount: number;
  isChair: boolean;
}

export interface Participant {
  userId: string;
  name: string;
  agencyId: string;
  agencyName: string;
  role: 'chair' | 'member';
  attended: boolean;
}

export interface RiskEntry {
  id: string;
  category: string;
  level: string;
  rationale: string;
  agencyName: string;
  authorName: string;
  createdAt: string;
}

export interface PanelDecision {
  id: string;
  text: string;
  agencyName: string;
  authorName: string;
  createdAt: string;
}

export interface PanelAction {
  id: string;
  text: string;
  owner: { id: string; name: string; agencyName: string };
  dueAt: string;
  status: 'open' | 'done' | 'cancelled';
  overdue: boolean;
  agencyName: string;
  createdAt: string;
}

/** Items another agency recorded that the viewer's agency may not see. */
export interface WithheldItems {
  agencyName: string;
  count: number;
  reason: string;
}

export interface Conference {
  id: string;
  title: string;
  status: ConferenceStatus;
  scheduledFor: string;
  startedAt: string | null;
  closedAt: string | null;
  alertId: string | null;
  person: { id: string; name: string | null };
  chair: { id: string; name: string; agencyName: string };
  participants: Participant[];
  agenda: { id: string; text: string; done: boolean }[];
  risks: RiskEntry[];
  decisions: PanelDecision[];
  actions: PanelAction[];
  withheld: WithheldItems[];
  outcome: { code: ConferenceOutcome; summary: string | null } | null;
  you: { userId: string; agencyId: string; isChair: boolean };
}

export interface CandidateAgency {
  id: string;
  name: string;
  eligible: boolean;
  reason: string | null;
  users: { id: string; name: string; roles: string[]; participant: boolean }[];
}

/** A message as the viewer's agency may see it (`withheld` when it may not). */
export interface ConferenceMessage {
  id: string;
  seq: number;
  conferenceId: string;
  kind: 'text' | 'risk' | 'action' | 'decision' | 'system' | 'withheld';
  body: string | null;
  clientId: string | null;
  itemId: string | null;
  authorId: string | null;
  authorName: string | null;
  agencyId: string | null;
  agencyName: string | null;
  createdAt: string;
  editedAt: string | null;
  redacted: boolean;
  void: boolean;
  withheld: null | { reason: string };
}

export interface Minutes {
  id: string;
  title: string;
  person: { id: string; name: string | null };
  scheduledFor: string;
  startedAt: string | null;
  closedAt: string | null;
  chair: { name: string; agencyName: string };
  outcome: { code: ConferenceOutcome | null; label: string | null; summary: string | null };
  attendees: { name: string; agencyName: string; role: string }[];
  agencies: string[];
  agenda: { text: string; done: boolean }[];
  riskSummary: { category: string; categoryLabel: string; level: string; levelLabel: string }[];
  risks: (RiskEntry & { categoryLabel: string; levelLabel: string })[];
  decisions: PanelDecision[];
  actions: PanelAction[];
  withheld: WithheldItems[];
  viewerAgencyName: string;
  generatedAt: string;
}

export interface NewConference {
  title: string;
  scheduledFor: string;
  personId?: string;
  alertId?: string;
  agenda: string[];
}

const base = (id: string) => `/api/conferences/${encodeURIComponent(id)}`;
type One = { conference: Conference };

export const conferencesApi = {
  list: (status?: 'upcoming' | 'live' | 'closed') =>
    api.get<{ conferences: ConferenceSummary[] }>(`/api/conferences${status ? `?status=${status}` : ''}`),
  create: (input: NewConference) => api.post<One>('/api/conferences', input),
  get: (id: string) => api.get<One>(base(id)),
  setAgenda: (id: string, items: { text: string; done: boolean }[]) => api.put<One>(`${base(id)}/agenda`, { items }),
  candidates: (id: string) => api.get<{ agencies: CandidateAgency[] }>(`${base(id)}/candidates`),
  invite: (id: string, userId: string) => api.post<One>(`${base(id)}/participants`, { userId }),
  remove: (id: string, userId: string) => api.delete<One>(`${base(id)}/participants/${encodeURIComponent(userId)}`),
  start: (id: string) => api.post<One>(`${base(id)}/start`),
  close: (id: string, outcome: ConferenceOutcome, summary: string) => api.post<One>(`${base(id)}/close`, { outcome, summary }),
  addRisk: (id: string, risk: { category: string; level: string; rationale: string }) => api.post<One>(`${base(id)}/risks`, risk),
  addDecision: (id: string, text: string) => api.post<One>(`${base(id)}/decisions`, { text }),
  addAction: (id: string, action: { text: string; ownerUserId: string; dueAt: string }) => api.post<One>(`${base(id)}/actions`, action),
  setActionStatus: (id: string, actionId: string, status: 'done' | 'cancelled') =>
    api.patch<One>(`${base(id)}/actions/${encodeURIComponent(actionId)}`, { status }),
  minutes: (id: string) => api.get<{ minutes: Minutes }>(`${base(id)}/minutes`),
  /** The minutes as a file (the printable HTML page as an attachment). */
  downloadMinutes: (id: string) => requestBlob('GET', `${base(id)}/minutes/download`),
  /** The printable page, opened by the browser itself. */
  printableUrl: (id: string) => `${base(id)}/minutes.html`,
};
