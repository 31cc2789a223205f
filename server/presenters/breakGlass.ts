import type { BreakGlassDoc } from '../models/BreakGlass';

/** A break-glass grant as its user sees it: when it ends (the reason they wrote is not echoed). */
export function presentBreakGlass(g: BreakGlassDoc) {
  return {
    id: g.id as string,
    personId: String(g.personId),
    grantedAt: g.grantedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
  };
}

/** A break-glass for the IG lead reviewing it: who, when, why, and the review so far. */
export function presentBreakGlassForReview(g: BreakGlassDoc) {
  return {
    ...presentBreakGlass(g),
    userId: String(g.userId),
    agencyId: String(g.agencyId),
    reason: g.reason,
    review: g.reviewedAt
      ? { at: g.reviewedAt.toISOString(), by: g.reviewedBy ? String(g.reviewedBy) : null, outcome: g.reviewOutcome, note: g.reviewNote ?? null }
      : null,
  };
}
