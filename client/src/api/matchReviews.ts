/**
 * Match reviews (server/routes/matchReviews): records the linker could not place with
 * confidence, decided by the reviewers of the record's agency.
 */
import { api } from './client';

export const REVIEW_STATUSES = ['open', 'unsure', 'linked', 'not_a_match'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** The list filter: `undecided` is open or unsure. */
export type ReviewFilter = ReviewStatus | 'undecided';
export type ReviewDecision = 'link' | 'not_a_match' | 'unsure';

export function isReviewFilter(value: unknown): value is ReviewFilter {
  return value === 'undecided' || (typeof value === 'string' && (REVIEW_STATUSES as readonly string[]).includes(value));
}

export interface ReviewSummary {
  id: string;
  status: ReviewStatus;
  encounterId: string;
  provisionalPersonId: string;
  candidateCount: number;
  topScore: number | null;
  createdAt: string;
  decidedAt: string | null;
}

/** One comparison of the two records: its level and weight, and the values the viewer may see. */
export interface EvidenceField {
  comparison: string;
  level: string;
  levelLabel: string;
  weight: number;
  /** The reviewer's own agency's record. */
  mine: string | null;
  /** The candidate's record: null when missing or not shareable with this viewer. */
  theirs: string | null;
}

export interface ReviewCandidate {
  personId: string;
  score: number;
  matchedRecord: {
    id: string;
    agencyId: string | null;
    agencyName: string | null;
    visible: boolean;
    code: string;
    reason: string;
    occurredAt: string | null;
    kind: string | null;
  };
  fields: EvidenceField[];
}

export interface ReviewDetail extends ReviewSummary {
  note: string | null;
  decidedBy: string | null;
  decisions: { decision: ReviewDecision; personId: string | null; by: string; at: string }[];
  record: { id: string; agencyId: string; agencyName: string; externalRef: string; occurredAt: string; kind: string } | null;
  candidates: ReviewCandidate[];
}

export interface DecisionInput {
  decision: ReviewDecision;
  /** For a link: the candidate person (the best-scoring one when omitted). */
  personId?: string;
  note?: string;
}

const path = (id: string) => `/api/match-reviews/${encodeURIComponent(id)}`;

export const matchReviewsApi = {
  list: (status: ReviewFilter) => api.get<{ reviews: ReviewSummary[] }>(`/api/match-reviews?${new URLSearchParams({ status }).toString()}`),
  get: (id: string) => api.get<{ review: ReviewDetail }>(path(id)),
  decide: (id: string, input: DecisionInput) => api.post<{ review: ReviewSummary }>(`${path(id)}/decision`, input),
};
