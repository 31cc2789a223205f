/**
 * Decisions to share without consent (server/routes/decisions): proposed on a person by a
 * deciding role, signed off, rejected or revoked by an IG lead of the deciding agency.
 */
import { api } from './client';
import type { DataCategory, EffectiveConsentState, Purpose } from './people';

export const DECISION_BASES = ['vital_interests', 'safeguarding', 'prevent_serious_harm', 'legal_obligation'] as const;
export type DecisionBasis = (typeof DECISION_BASES)[number];

export const DECISION_STATUSES = ['pending_signoff', 'active', 'rejected', 'revoked'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** Sensitive field ids (config/domain/taxonomy.json). */
export type SensitiveFieldId = 'safe_address' | 'new_phone' | 'domestic_abuse_disclosure';

export function isDecisionStatus(value: unknown): value is DecisionStatus {
  return typeof value === 'string' && (DECISION_STATUSES as readonly string[]).includes(value);
}

export interface DecisionScope {
  /** Agency ids. */
  agencies: string[];
  purposes: string[];
  categories: string[];
  sensitiveFields: string[];
}

export interface Decision {
  id: string;
  personId: string;
  basis: DecisionBasis;
  justification: string;
  scope: DecisionScope;
  /** User id. */
  decidedBy: string;
  /** Agency id. */
  decidedByAgency: string;
  decidedAt: string;
  expiresAt: string;
  reviewAt: string;
  emergency: boolean;
  status: DecisionStatus;
  signOff: { by: string | null; at: string; note: string | null } | null;
}

export interface DecisionOptions {
  consentState: EffectiveConsentState;
  offeredBases: DecisionBasis[];
}

export interface DecisionInput {
  basis: DecisionBasis;
  justification: string;
  scope: { agencies: string[]; purposes: Purpose[]; categories: DataCategory[]; sensitiveFields: SensitiveFieldId[] };
  /** ISO date-times. */
  expiresAt: string;
  reviewAt: string;
  emergency: boolean;
}

const personPath = (id: string) => `/api/people/${encodeURIComponent(id)}/decisions`;
const decisionPath = (id: string) => `/api/decisions/${encodeURIComponent(id)}`;

export const decisionsApi = {
  /** Which bases fit the person's consent now. */
  options: (personId: string) => api.get<DecisionOptions>(`${personPath(personId)}/options`),
  create: (personId: string, input: DecisionInput) => api.post<{ decision: Decision }>(personPath(personId), input),
  /** The IG lead's queue for the user's agency. */
  list: (status: DecisionStatus) =>
    api.get<{ decisions: Decision[] }>(`/api/decisions?${new URLSearchParams({ status }).toString()}`),
  signOff: (id: string, note?: string) =>
    api.post<{ decision: Decision }>(`${decisionPath(id)}/sign-off`, note ? { note } : {}),
  reject: (id: string, note: string) => api.post<{ decision: Decision }>(`${decisionPath(id)}/reject`, { note }),
  revoke: (id: string) => api.post<{ decision: Decision }>(`${decisionPath(id)}/revoke`, {}),
};
