/** Words for data-sharing agreements: statuses, lawful bases, "in force" and dates. */
import type { Agreement, AgreementStatus } from '../api/agreements';
import { formatDay } from '../people/vocab';

export const AGREEMENT_STATUS_LABELS: Record<AgreementStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  suspended: 'Suspended',
  ended: 'Ended',
};

/** The button that moves an agreement into each status. */
export const TRANSITION_LABELS: Record<AgreementStatus, string> = {
  draft: 'Back to draft',
  active: 'Activate',
  suspended: 'Suspend',
  ended: 'End',
};

/** UK GDPR Article 6 conditions commonly relied on for sharing between public bodies. */
export const ARTICLE_6_OPTIONS = [
  'Art 6(1)(e) — public task',
  'Art 6(1)(c) — legal obligation',
  'Art 6(1)(d) — vital interests',
  'Art 6(1)(a) — consent',
] as const;

/** UK GDPR Article 9 conditions for special category (health) data. */
export const ARTICLE_9_OPTIONS = [
  'Art 9(2)(h) — health or social care',
  'Art 9(2)(g) — substantial public interest (DPA 2018 Sch 1)',
  'Art 9(2)(b) — social protection law',
  'Art 9(2)(c) — vital interests',
  'Art 9(2)(a) — explicit consent',
] as const;

/** "In force", or why not. */
export function inForceText(agreement: Agreement, now = Date.now()): string {
  if (agreement.inForce) return 'In force';
  switch (agreement.status) {
    case 'draft':
      return 'Not in force: still a draft';
    case 'suspended':
      return 'Not in force: suspended';
    case 'ended':
      return 'Not in force: ended';
    case 'active':
      break;
  }
  const from = Date.parse(agreement.validFrom);
  if (!Number.isNaN(from) && from > now) return `Not in force: starts ${formatDay(agreement.validFrom)}`;
  if (agreement.validTo && Date.parse(agreement.validTo) < now) return `Not in force: expired ${formatDay(agreement.validTo)}`;
  return 'Not in force';
}

export function validityText(agreement: Agreement): string {
  const from = formatDay(agreement.validFrom);
  return agreement.validTo ? `${from} to ${formatDay(agreement.validTo)}` : `From ${from}, no end date`;
}

/** `2025-06-01` → the first moment of that day, local time, as an ISO date-time. */
export function startOfDayIso(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d, 0, 0, 0, 0).toISOString();
}
