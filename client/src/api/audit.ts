/** The audit log for IG leads (server/routes/audit): browse, verify the chain, export as FHIR. */
import { api, requestBlob } from './client';
import type { Role } from './types';

export const AUDIT_OUTCOMES = ['allowed', 'redacted', 'denied', 'succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  seq: number;
  /** ISO date-time. */
  at: string;
  actor: { userId: string | null; apiClientId: string | null; agencyId: string | null; roles: Role[] };
  action: string;
  subject: { type: string | null; id: string | null; personId: string | null };
  purpose: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  basis: { kind: string; ref: string | null } | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null at the start of the log. */
  nextBefore: number | null;
}

export type ChainProblem = 'hash_mismatch' | 'prev_mismatch' | 'gap' | 'duplicate' | 'checkpoint_mismatch' | 'truncated';

/** `GET /api/audit/verify`. */
export interface AuditVerifyResult {
  ok: boolean;
  count: number;
  lastSeq: number;
  lastHash: string;
  /** Signed checkpoints whose signature verified. */
  checkpoints: number;
  /** The first broken link; seq 0 when the checkpoint file itself is unreadable. */
  firstBroken: { seq: number; problem: ChainProblem | (string & {}); detail: string } | null;
}

/** Filters as the server takes them; empty values are left out. */
export interface AuditFilters {
  action?: string;
  outcome?: string;
  userId?: string;
  personId?: string;
  /** ISO date-times with an offset. */
  from?: string;
  to?: string;
}

export const AUDIT_PAGE_SIZE = 50;
/** The most events one request returns (the server's AUDIT_PAGE_MAX). */
export const AUDIT_PAGE_MAX = 200;

function query(filters: AuditFilters, before?: number | null, limit = AUDIT_PAGE_SIZE): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (before) params.set('before', String(before));
  params.set('limit', String(limit));
  return params.toString();
}

export const auditApi = {
  list: (filters: AuditFilters, before?: number | null) => api.get<AuditPage>(`/api/audit?${query(filters, before)}`),
  verify: () => api.get<AuditVerifyResult>('/api/audit/verify'),
  /** The newest matching events (up to AUDIT_PAGE_MAX) as a FHIR R4 Bundle of AuditEvents. */
  fhir: (filters: AuditFilters) => requestBlob('GET', `/api/audit/fhir?${query(filters, null, AUDIT_PAGE_MAX)}`),
};
