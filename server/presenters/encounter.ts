import type { EncounterDoc } from '../models/Encounter';
import { SENSITIVE_FIELD_KEYS } from '../models/vocab';

/** An encounter for a viewer allowed to see it, minus the sensitive fields they may not see. */
export function presentEncounter(e: EncounterDoc, withheld: readonly string[] = []) {
  const sensitive: Record<string, string | null> = {};
  for (const [field, key] of Object.entries(SENSITIVE_FIELD_KEYS)) {
    const value = e.sensitive?.[key] ?? null;
    if (value !== null && !withheld.includes(field)) sensitive[key] = value;
  }
  return {
    id: e.id as string,
    agencyId: String(e.agencyId),
    externalRef: e.externalRef,
    occurredAt: e.occurredAt.toISOString(),
    kind: e.kind,
    subject: {
      givenName: e.subject?.givenName ?? null,
      familyName: e.subject?.familyName ?? null,
      dateOfBirth: e.subject?.dateOfBirth ?? null,
      nhsNumber: e.subject?.nhsNumber ?? null,
      postcode: e.subject?.postcode ?? null,
      address: e.subject?.address ?? null,
      phone: e.subject?.phone ?? null,
    },
    riskIndicators: e.riskIndicators.map((r) => ({ category: r.category, level: r.level, localCode: r.localCode ?? null, note: r.note ?? null })),
    summary: e.summary ?? null,
    categories: [...e.categories],
    sensitive,
    /** Sensitive fields the record holds that this viewer may not see (names only). */
    withheldFields: [...withheld].filter((f) => e.sensitive?.[SENSITIVE_FIELD_KEYS[f]] != null),
    personId: e.personId ? String(e.personId) : null,
    link: { status: e.link?.status ?? 'pending', method: e.link?.method ?? null },
    source: e.source,
    createdAt: (e as unknown as { createdAt: Date }).createdAt.toISOString(),
  };
}

/** Sensitive field ids a record holds (for the sharing decision). */
export function sensitiveFieldsOf(e: EncounterDoc): string[] {
  return Object.entries(SENSITIVE_FIELD_KEYS)
    .filter(([, key]) => e.sensitive?.[key] != null)
    .map(([field]) => field);
}
