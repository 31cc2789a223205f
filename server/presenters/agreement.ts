import type { AgreementDoc } from '../models/SharingAgreement';

/** A data-sharing agreement. */
export function presentAgreement(a: AgreementDoc, now = new Date()) {
  const inDate = a.validFrom <= now && (!a.validTo || a.validTo >= now);
  return {
    id: a.id as string,
    title: a.title,
    parties: a.parties.map(String),
    purposes: [...a.purposes],
    categories: [...a.categories],
    lawfulBasis: { article6: a.lawfulBasis?.article6 ?? null, article9: a.lawfulBasis?.article9 ?? null },
    validFrom: a.validFrom.toISOString(),
    validTo: a.validTo ? a.validTo.toISOString() : null,
    status: a.status,
    /** Counts for sharing right now: active and in date. */
    inForce: a.status === 'active' && inDate,
  };
}
