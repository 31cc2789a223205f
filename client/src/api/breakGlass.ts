/**
 * Break-glass (server/routes/breakGlass): a practice role opens a person's records outside the
 * sharing rules with a reason and a fresh second-factor code; IG leads review each grant.
 */
import { api } from './client';

export type BreakGlassOutcome = 'appropriate' | 'inappropriate';

/** A grant as its user sees it. */
export interface BreakGlassGrant {
  id: string;
  personId: string;
  grantedAt: string;
  expiresAt: string;
}

/** A grant as the reviewing IG lead sees it. */
export interface BreakGlassForReview extends BreakGlassGrant {
  /** User id. */
  userId: string;
  /** Agency id. */
  agencyId: string;
  reason: string;
  review: { at: string; by: string | null; outcome: BreakGlassOutcome | null; note: string | null } | null;
}

export const breakGlassApi = {
  open: (personId: string, reason: string, code: string) =>
    api.post<{ grant: BreakGlassGrant }>(`/api/people/${encodeURIComponent(personId)}/break-glass`, { reason, code }),
  list: (reviewed: boolean) => api.get<{ grants: BreakGlassForReview[] }>(`/api/break-glass?reviewed=${reviewed}`),
  review: (id: string, outcome: BreakGlassOutcome, note?: string) =>
    api.post<{ grant: BreakGlassForReview }>(`/api/break-glass/${encodeURIComponent(id)}/review`, note ? { outcome, note } : { outcome }),
};
