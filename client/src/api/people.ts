/** The people and consent endpoints, typed (server/routes/people, server/routes/consents). */
import { api } from './client';

export const PURPOSES = ['direct_care', 'safeguarding', 'risk_panel', 'crisis_response', 'service_planning'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const DATA_CATEGORIES = [
  'demographics',
  'contact',
  'risk',
  'mental_health',
  'physical_health',
  'criminal_justice',
  'housing',
  'social_care',
  'substance_use',
  'safeguarding',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const CONSENT_STATUSES = ['given', 'refused', 'withdrawn', 'not_asked', 'lacks_capacity'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export type EffectiveConsentState = ConsentStatus | 'expired';

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export interface Demographics {
  givenName: string | null;
  familyName: string | null;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string | null;
  nhsNumber: string | null;
  postcode: string | null;
}

export interface SearchHit {
  id: string;
  identified: boolean;
  demographics: Demographics | null;
  knownToAgencies: number;
  visibleRecords: number;
  withheldRecords: number;
}

export interface SearchResponse {
  purpose: Purpose;
  results: SearchHit[];
}

export interface SearchParams {
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  nhsNumber?: string;
  postcode?: string;
  purpose?: Purpose;
}

export interface RiskIndicator {
  category: string;
  level: string;
  localCode: string | null;
  note: string | null;
}

export type SharingBasis = 'own_agency' | 'consent_and_agreement' | 'decision' | 'break_glass';

export interface TimelineEntry {
  id: string;
  agencyId: string;
  agencyName: string | null;
  externalRef: string;
  /** ISO date-time. */
  occurredAt: string;
  kind: string;
  subject: Partial<Demographics> & { address?: string | null; phone?: string | null };
  riskIndicators: RiskIndicator[];
  summary: string | null;
  categories: string[];
  sensitive: { safeAddress?: string | null; newPhone?: string | null; domesticAbuseDisclosure?: string | null };
  /** Sensitive field ids held but withheld from this viewer (`safe_address`, ...). */
  withheldFields: string[];
  basis: SharingBasis;
  flagged: boolean;
  link: { status: string; method: string | null };
}

export type Remedy = 'seek_consent' | 'request_decision' | 'renew_consent' | 'agreement_needed' | 'break_glass';

export interface WithheldMarker {
  agencyName: string;
  count: number;
  code: string;
  reason: string;
  remedy: Remedy;
  /** Ready to show: "2 Police records withheld: no consent on file". */
  text: string;
}

export interface PersonPage {
  id: string;
  purpose: Purpose;
  identified: boolean;
  demographics: Demographics | null;
  knownToAgencies: number;
  tellItOnce: string | null;
  timeline: TimelineEntry[];
  withheld: WithheldMarker[];
}

export interface ConsentScope {
  allPanel: boolean;
  agencies: string[];
  purposes: string[];
  categories: string[];
}

export interface ConsentEntry {
  id: string;
  status: ConsentStatus;
  scope: ConsentScope;
  evidence: string | null;
  /** User id. */
  recordedBy: string;
  /** Agency id. */
  recordedByAgency: string;
  recordedAt: string;
  expiresAt: string | null;
}

export interface ConsentsResponse {
  effective: { state: EffectiveConsentState; entryId: string | null; expiresAt: string | null };
  history: ConsentEntry[];
}

export interface ConsentInput {
  status: ConsentStatus;
  scope: ConsentScope;
  evidence?: string;
  /** ISO date-time. */
  expiresAt?: string;
}

/** `?a=1&b=2` from the given values, leaving out empty ones ('' is refused by the server). */
function queryString(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}

const personPath = (id: string) => `/api/people/${encodeURIComponent(id)}`;

export const peopleApi = {
  search: (params: SearchParams) => api.get<SearchResponse>(`/api/people/search${queryString({ ...params })}`),
  person: (id: string, purpose?: Purpose) =>
    api.get<{ person: PersonPage }>(`${personPath(id)}${queryString({ purpose })}`),
  consents: (id: string) => api.get<ConsentsResponse>(`${personPath(id)}/consents`),
  recordConsent: (id: string, input: ConsentInput) =>
    api.post<{ consent: ConsentEntry }>(`${personPath(id)}/consents`, input),
  /** Needs the person's effective consent to be "given" (409 `consent_needed` otherwise). */
  saveTellItOnce: (id: string, text: string) =>
    api.put<{ tellItOnce: { text: string } }>(`${personPath(id)}/tell-it-once`, { text }),
};
