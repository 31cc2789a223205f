/** Words for decisions to share without consent: bases, statuses, who may decide, and dates. */
import type { DecisionBasis, DecisionStatus } from '../api/decisions';
import type { Role } from '../api/types';

export const DECISION_BASIS_LABELS: Record<DecisionBasis, string> = {
  vital_interests: 'Vital interests',
  safeguarding: 'Safeguarding an adult at risk',
  prevent_serious_harm: 'Preventing serious harm',
  legal_obligation: 'Legal obligation',
};

/** One line under each basis, in plain words. */
export const DECISION_BASIS_HINTS: Record<DecisionBasis, string> = {
  vital_interests: "To protect someone's life, when the person cannot decide for themselves.",
  safeguarding: 'An adult at risk of abuse or neglect (Care Act 2014 s42).',
  prevent_serious_harm: 'To prevent serious harm to the person or to others.',
  legal_obligation: 'A law or court order requires the information to be shared.',
};

export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = {
  pending_signoff: 'Awaiting sign-off',
  active: 'Active',
  rejected: 'Rejected',
  revoked: 'Revoked',
};

/** Roles that may propose a decision (mirrors the server's DECIDER_ROLES). */
export const DECIDER_ROLES: readonly Role[] = ['duty_manager', 'panel_chair', 'key_worker', 'ig_lead'];

/** Longest a decision may run (the server's MAX_DECISION_DAYS). */
export const MAX_DECISION_DAYS = 365;
export const DEFAULT_EXPIRY_DAYS = 90;
export const DEFAULT_REVIEW_DAYS = 28;

export function basisLabel(basis: string): string {
  return DECISION_BASIS_LABELS[basis as DecisionBasis] ?? basis.replace(/_/g, ' ');
}

/** The browser's calendar day `days` from today, as `YYYY-MM-DD`. */
export function daysFromTodayIso(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

/** An instant as UK wall-clock time of day: `14:30`. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}
