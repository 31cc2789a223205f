import type { ConsentDoc } from '../models/Consent';
import type { EffectiveConsent } from '../sharing';

/** One consent history entry. */
export function presentConsent(c: ConsentDoc) {
  return {
    id: c.id as string,
    status: c.status,
    scope: {
      allPanel: Boolean(c.scope?.allPanel),
      agencies: (c.scope?.agencies ?? []).map(String),
      purposes: [...(c.scope?.purposes ?? [])],
      categories: [...(c.scope?.categories ?? [])],
    },
    evidence: c.evidence ?? null,
    recordedBy: String(c.recordedBy),
    recordedByAgency: String(c.recordedByAgency),
    recordedAt: c.recordedAt.toISOString(),
    expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null,
  };
}

/** The consent that holds now. */
export function presentEffective(e: EffectiveConsent) {
  return { state: e.state, entryId: e.entry?.id ?? null, expiresAt: e.entry?.expiresAt ? e.entry.expiresAt.toISOString() : null };
}
