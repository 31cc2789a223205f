import type { DecisionDoc } from '../models/SharingDecision';

/**
 * A decision to share without consent, for its decider and the IG leads of the deciding agency
 * (the only viewers the routes give it to): the justification is theirs to read.
 */
export function presentDecision(d: DecisionDoc) {
  return {
    id: d.id as string,
    personId: String(d.personId),
    basis: d.basis,
    justification: d.justification,
    scope: {
      agencies: (d.scope?.agencies ?? []).map(String),
      purposes: [...(d.scope?.purposes ?? [])],
      categories: [...(d.scope?.categories ?? [])],
      sensitiveFields: [...(d.scope?.sensitiveFields ?? [])],
    },
    decidedBy: String(d.decidedBy),
    decidedByAgency: String(d.decidedByAgency),
    decidedAt: d.decidedAt.toISOString(),
    expiresAt: d.expiresAt.toISOString(),
    reviewAt: d.reviewAt.toISOString(),
    emergency: d.emergency,
    status: d.status,
    signOff: d.signOff?.at
      ? { by: d.signOff.by ? String(d.signOff.by) : null, at: d.signOff.at.toISOString(), note: d.signOff.note ?? null }
      : null,
  };
}
