/** Review alerts: the inbox, one alert, and the steps people take on it (server/routes/alerts). */
import { api } from './client';
import type { Remedy } from './people';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'in_review', 'conference', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The inbox's status filter: one status, or `active` (every status but closed). */
export const STATUS_FILTERS = ['active', ...ALERT_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** How the person's consent shaped the alert. */
export type SharingState = 'consented' | 'no_consent' | 'refused';

/** Who is told: the panel (with evidence), the panel without identity, or IG leads and duty managers only. */
export type AudienceMode = 'panel' | 'pseudonymous' | 'restricted';

export const CLOSE_OUTCOMES = [
  'no_further_action',
  'referred',
  'care_plan_updated',
  'conference_held',
  'consent_sought',
  'lawful_decision_recorded',
  'duplicate',
  'other',
] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export type TimelineKind =
  | 'raised'
  | 'evidence_updated'
  | 'severity_changed'
  | 'audience_changed'
  | 'notified'
  | 'routed'
  | 'acknowledged'
  | 'assigned'
  | 'note'
  | 'conference_scheduled'
  | 'escalated'
  | 'handed_over'
  | 're_notified'
  | 'closed'
  | 'reopened';

/** One row of the inbox: never a name or an agency. */
export interface AlertListItem {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  status: AlertStatus;
  sharingState: SharingState;
  mode: AudienceMode | null;
  summary: { agencyCount: number; encounterCount: number; firstAt: string | null; lastAt: string | null };
  routedTo: { mode: 'in_hours' | 'out_of_hours' | null; level: number | null };
  /** When it must be acknowledged by (set when routed out of hours). */
  ackDeadline: string | null;
  acknowledgedAt: string | null;
  /** The id of the user it is assigned to. */
  assignedTo: string | null;
  conferenceId: string | null;
  /** The closing outcome's code. */
  outcome: string | null;
  raisedAt: string;
  updatedAt: string;
}

export interface AlertEvidence {
  id: string;
  agencyId: string;
  agencyName: string;
  occurredAt: string;
  kind: string;
  riskIndicators: { category: string; level: string }[];
  basis: string;
}

export interface AlertWithheld {
  agencyName: string;
  count: number;
  code: string;
  reason: string;
  remedy: Remedy;
  /** Ready to show: "2 Police records withheld: no consent on file". */
  text: string;
}

export interface UserRef {
  id: string;
  name: string | null;
}

export interface AlertTimelineEntry {
  id: string;
  at: string;
  kind: TimelineKind | string;
  /** Who acted; null for steps the system took. */
  actor: UserRef | null;
  /** Free text a user wrote (a note, a closing remark). */
  text: string | null;
  detail: Record<string, unknown> | null;
}

/** The alert page: the list item plus what this viewer may see of the person and the evidence. */
export interface AlertDetail extends Omit<AlertListItem, 'outcome'> {
  /** The rule's description: why it fired. */
  description: string | null;
  /** Null for a pseudonymous alert; `name` is null when the viewer's agency holds no record. */
  person: { id: string; name: string | null } | null;
  evidence: AlertEvidence[];
  withheld: AlertWithheld[];
  acknowledgedBy: UserRef | null;
  assignee: UserRef | null;
  outcome: { code: string; note: string | null; closedAt: string | null } | null;
  timeline: AlertTimelineEntry[];
}

export interface AlertRule {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  enabled: boolean;
}

export interface AlertFilters {
  status?: StatusFilter;
  severity?: Severity;
  ruleId?: string;
  assigned?: 'me';
  limit?: number;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function isStatusFilter(value: unknown): value is StatusFilter {
  return typeof value === 'string' && (STATUS_FILTERS as readonly string[]).includes(value);
}

export function isCloseOutcome(value: unknown): value is CloseOutcome {
  return typeof value === 'string' && (CLOSE_OUTCOMES as readonly string[]).includes(value);
}

const path = (id: string, rest = '') => `/api/alerts/${encodeURIComponent(id)}${rest}`;

export const alertsApi = {
  list: (filters: AlertFilters = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(key, String(value));
    const query = params.toString();
    return api.get<{ alerts: AlertListItem[] }>(`/api/alerts${query ? `?${query}` : ''}`);
  },
  rules: () => api.get<{ rules: AlertRule[] }>('/api/alerts/rules'),
  get: (id: string) => api.get<{ alert: AlertDetail }>(path(id)),
  assignees: (id: string) => api.get<{ users: { id: string; name: string }[] }>(path(id, '/assignees')),
  acknowledge: (id: string) => api.post<{ alert: AlertListItem }>(path(id, '/acknowledge'), {}),
  assign: (id: string, userId: string) => api.post<{ alert: AlertListItem }>(path(id, '/assign'), { userId }),
  note: (id: string, text: string) => api.post<{ alert: AlertListItem }>(path(id, '/notes'), { text }),
  close: (id: string, outcome: CloseOutcome, note?: string) =>
    api.post<{ alert: AlertListItem }>(path(id, '/close'), note ? { outcome, note } : { outcome }),
};
