/** Data-sharing agreements (server/routes/agreements), for IG leads of the party agencies. */
import { api } from './client';
import type { DataCategory, Purpose } from './people';

export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'ended'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Allowed status moves (mirrors the server's AGREEMENT_TRANSITIONS). */
export const AGREEMENT_TRANSITIONS: Record<AgreementStatus, readonly AgreementStatus[]> = {
  draft: ['active', 'ended'],
  active: ['suspended', 'ended'],
  suspended: ['active', 'ended'],
  ended: [],
};

export interface Agreement {
  id: string;
  title: string;
  /** Agency ids. */
  parties: string[];
  purposes: string[];
  categories: string[];
  lawfulBasis: { article6: string | null; article9: string | null };
  /** ISO date-time. */
  validFrom: string;
  validTo: string | null;
  status: AgreementStatus;
  /** Counts for sharing right now: active and in date. */
  inForce: boolean;
}

export interface AgreementInput {
  title: string;
  parties: string[];
  purposes: Purpose[];
  categories: DataCategory[];
  lawfulBasis: { article6: string; article9?: string };
  validFrom: string;
  validTo?: string;
}

const agreementPath = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

export const agreementsApi = {
  list: () => api.get<{ agreements: Agreement[] }>('/api/agreements'),
  create: (input: AgreementInput) => api.post<{ agreement: Agreement }>('/api/agreements', input),
  setStatus: (id: string, status: AgreementStatus) =>
    api.post<{ agreement: Agreement }>(`${agreementPath(id)}/status`, { status }),
};
