/** Out-of-hours duty (server/routes/duty, server/routes/rota) and the alert acknowledgement it uses. */
import { api } from './client';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface DutyAlert {
  id: string;
  severity: Severity;
  status: 'open' | 'acknowledged';
  level: number | null;
  levelLabel: string | null;
  holders: { id: string; name: string }[];
  heldByMe: boolean;
  heldSince: string | null;
  /** Set while the alert waits for acknowledgement. */
  ackDeadline: string | null;
  acknowledgedAt: string | null;
  escalations: number;
  raisedAt: string;
  /** The alert page, e.g. `/alerts/<id>`. */
  path: string;
}

export interface OnCallSegment {
  from: string;
  to: string;
  userId: string;
  userName: string;
  source: 'weekly' | 'override' | 'swap';
  shared: boolean;
}

export interface OnCallLevel {
  level: string;
  rank: number;
  label: string;
  onCall: OnCallSegment | null;
}

export interface Delivery {
  id: string;
  alertId: string;
  channel: 'in_app' | 'email' | 'webhook';
  recipient: { id: string; name: string };
  reason: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface GapLevel {
  level: string;
  rank: number;
  gaps: { from: string; to: string }[];
}

const alertPath = (id: string, action: string) => `/api/duty/alerts/${encodeURIComponent(id)}/${action}`;

export const dutyApi = {
  queue: () => api.get<{ now: string; alerts: DutyAlert[] }>('/api/duty/queue'),
  onCall: () => api.get<{ now: string; levels: OnCallLevel[] }>('/api/duty/on-call'),
  gaps: () => api.get<{ levels: GapLevel[] }>('/api/duty/gaps'),
  deliveries: (limit = 30) => api.get<{ deliveries: Delivery[] }>(`/api/duty/deliveries?limit=${limit}`),
  alertDeliveries: (id: string) => api.get<{ deliveries: Delivery[] }>(alertPath(id, 'deliveries')),
  /** The alert pipeline's acknowledgement (server/routes/alerts). */
  acknowledge: (id: string) => api.post<unknown>(`/api/alerts/${encodeURIComponent(id)}/acknowledge`, {}),
  take: (id: string) => api.post<{ alert: DutyAlert }>(alertPath(id, 'take')),
  escalate: (id: string) => api.post<{ alert: DutyAlert }>(alertPath(id, 'escalate')),
  handOver: (body: { toUserId?: string; note?: string }) => api.post<{ moved: string[]; toUserId: string }>('/api/duty/handover', body),
  saveHandoverNote: (note: string) => api.put<{ note: { text: string; savedAt: string } }>('/api/duty/handover-note', { note }),
};
