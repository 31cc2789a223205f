import { domainConfig } from '../../config/domain';
import type { EncounterDoc } from '../models/Encounter';
import type { MatchReviewDoc } from '../models/MatchReview';
import type { ReviewView } from '../linkage/reviewView';

/** The subject field each comparison reads (identifier has no subject field today). */
const FIELD_OF: Record<string, keyof NonNullable<EncounterDoc['subject']> | null> = {
  given_name: 'givenName',
  family_name: 'familyName',
  date_of_birth: 'dateOfBirth',
  nhs_number: 'nhsNumber',
  postcode: 'postcode',
  address: 'address',
  identifier: null,
};

function valueOf(e: EncounterDoc | null, comparison: string): string | null {
  const field = FIELD_OF[comparison];
  return e && field ? ((e.subject?.[field] as string | null | undefined) ?? null) : null;
}

function labels() {
  const config = domainConfig().matching;
  const comparisons = new Map(config.comparisons.map((c) => [c.id, { field: c.field, levels: new Map(c.levels.map((l) => [l.id, l.label])) }]));
  return (comparison: string, level: string) => (level === 'missing' ? 'Missing on one side' : (comparisons.get(comparison)?.levels.get(level) ?? level));
}

/** A review in the queue: ids, times, how many candidates and the best score. No names. */
export function presentReviewSummary(r: MatchReviewDoc) {
  return {
    id: r.id as string,
    status: r.status,
    encounterId: String(r.encounterId),
    provisionalPersonId: String(r.provisionalPersonId),
    candidateCount: r.candidates.length,
    topScore: r.candidates.length ? Math.max(...r.candidates.map((c) => c.score)) : null,
    createdAt: (r as unknown as { createdAt: Date }).createdAt.toISOString(),
    decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
  };
}

/**
 * A review side by side for one reviewer: per comparison, its level and weight, the reviewer's
 * own record's value, and the candidate record's value only where the sharing module allows.
 */
export function presentReviewDetail(view: ReviewView) {
  const { review, record } = view;
  const labelOf = labels();
  const agencyName = (id: unknown) => view.agencyNames.get(String(id)) ?? 'Another agency';
  return {
    ...presentReviewSummary(review),
    note: review.note ?? null,
    decidedBy: review.decidedBy ? String(review.decidedBy) : null,
    decisions: review.decisions.map((d) => ({ decision: d.decision, personId: d.personId ? String(d.personId) : null, by: String(d.by), at: d.at.toISOString() })),
    record: record
      ? { id: record.id as string, agencyId: String(record.agencyId), agencyName: agencyName(record.agencyId), externalRef: record.externalRef, occurredAt: record.occurredAt.toISOString(), kind: record.kind }
      : null,
    candidates: view.candidates.map(({ candidate, record: other, outcome }) => {
      const visible = outcome?.effect === 'allow';
      return {
        personId: String(candidate.personId),
        score: candidate.score,
        matchedRecord: {
          id: String(candidate.matchedEncounterId),
          agencyId: other ? String(other.agencyId) : null,
          agencyName: other && outcome?.effect !== 'deny' ? agencyName(other.agencyId) : null,
          /** Whether the candidate's values are shown, and why (the sharing module's words). */
          visible,
          code: outcome?.code ?? 'not_found',
          reason: outcome?.reason ?? 'Record no longer available.',
          occurredAt: visible && other ? other.occurredAt.toISOString() : null,
          kind: visible && other ? other.kind : null,
        },
        fields: candidate.evidence.map((ev) => ({
          comparison: ev.comparison,
          level: ev.level,
          levelLabel: labelOf(ev.comparison, ev.level),
          weight: Math.round(ev.weight * 100) / 100,
          mine: valueOf(record, ev.comparison),
          theirs: visible ? valueOf(other, ev.comparison) : null,
        })),
      };
    }),
  };
}
