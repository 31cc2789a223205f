/** The agencies list (server/routes/agencies): names for ids, and pickers; system admins manage them. */
import { api } from './client';
import type { Agency } from './types';

/** The kinds of agency (config/domain.ts AGENCY_KINDS). */
export const AGENCY_KINDS = [
  'police',
  'mental_health',
  'ambulance',
  'acute',
  'social_care',
  'housing',
  'substance_misuse',
  'voluntary',
  'gp',
  'other',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** An agency as a system admin sees it. */
export interface AdminAgency extends Agency {
  active: boolean;
}

export interface AgencyInput {
  code: string;
  name: string;
  kind: AgencyKind;
  active?: boolean;
}

export const agenciesApi = {
  /** The active agencies, by name. */
  list: () => api.get<{ agencies: Agency[] }>('/api/agencies'),
  /** System admins: every agency, active or not. */
  listAll: () => api.get<{ agencies: AdminAgency[] }>('/api/agencies?includeInactive=true'),
  create: (input: AgencyInput) => api.post<{ agency: AdminAgency }>('/api/agencies', input),
  update: (id: string, patch: Partial<AgencyInput>) =>
    api.patch<{ agency: AdminAgency }>(`/api/agencies/${encodeURIComponent(id)}`, patch),
};
