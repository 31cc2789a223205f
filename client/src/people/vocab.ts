/** Words for the people pages: purposes, categories, kinds, bases, remedies and dates. */
import type {
  ConsentStatus,
  DataCategory,
  Demographics,
  EffectiveConsentState,
  Purpose,
  Remedy,
  SharingBasis,
} from '../api/people';
import type { RiskCategory, RiskLevel } from '../api/codeMap';

export const PURPOSE_LABELS: Record<Purpose, string> = {
  direct_care: 'Direct care',
  safeguarding: 'Safeguarding',
  risk_panel: 'Risk panel',
  crisis_response: 'Crisis response',
  service_planning: 'Service planning',
};

/** Checkbox labels; "Safeguarding data" so it differs from the purpose of the same name. */
export const CATEGORY_LABELS: Record<DataCategory, string> = {
  demographics: 'Demographics',
  contact: 'Contact',
  risk: 'Risk',
  mental_health: 'Mental health',
  physical_health: 'Physical health',
  criminal_justice: 'Criminal justice',
  housing: 'Housing',
  social_care: 'Social care',
  substance_use: 'Substance use',
  safeguarding: 'Safeguarding data',
};

/** The common risk taxonomy (config/domain/taxonomy.json). */
export const RISK_CATEGORY_LABELS: Record<RiskCategory, string> = {
  suicide: 'Suicide',
  self_harm: 'Self-harm',
  harm_to_others: 'Harm to others',
  mental_state: 'Acute mental state',
  self_neglect: 'Self-neglect',
  exploitation: 'Exploitation',
  domestic_abuse: 'Domestic abuse',
  substance_misuse: 'Substance misuse',
  physical_health: 'Physical health',
  safeguarding_child: 'Safeguarding a child',
  safeguarding_adult: 'Safeguarding an adult',
  staff_safety: 'Staff safety',
  missing: 'Missing or absconding',
};

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export function riskCategoryLabel(category: string): string {
  return RISK_CATEGORY_LABELS[category as RiskCategory] ?? humanise(category);
}

export function riskLevelLabel(level: string): string {
  return RISK_LEVEL_LABELS[level as RiskLevel] ?? humanise(level);
}

export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  given: 'Given',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
  not_asked: 'Not asked',
  lacks_capacity: 'Lacks capacity',
};

export const EFFECTIVE_CONSENT_WORDS: Record<EffectiveConsentState, string> = {
  given: 'Consent given',
  refused: 'Consent refused',
  withdrawn: 'Consent withdrawn',
  not_asked: 'Not asked yet: no consent on file',
  lacks_capacity: 'The person lacks capacity to decide',
  expired: 'Consent has expired',
};

export const BASIS_LABELS: Record<SharingBasis, string> = {
  own_agency: "Your agency's record",
  consent_and_agreement: 'Shared under consent and agreement',
  decision: 'Shared by decision',
  break_glass: 'Emergency access',
};

export const REMEDY_HINTS: Record<Remedy, string> = {
  seek_consent: "Ask the person's key worker to seek consent, or record consent below if you hold a record",
  request_decision: 'Ask your IG lead about a decision to share without consent',
  renew_consent: 'Consent has expired: renew it',
  agreement_needed: 'Your IG lead can extend the data-sharing agreement',
  break_glass: 'Emergency access is available',
};

/** Encounter kinds whose words are not just the id with spaces. */
const KIND_LABELS: Record<string, string> = {
  s136_detention: 'Section 136 detention',
  mha_assessment: 'Mental Health Act assessment',
  ae_attendance: 'A&E attendance',
  ambulance_callout: 'Ambulance call-out',
  other: 'Other contact',
};

/** Sensitive fields: id (as in `withheldFields`) → key (as in `sensitive`) and label. */
export const SENSITIVE_FIELDS = [
  { id: 'safe_address', key: 'safeAddress', label: 'Safe address' },
  { id: 'new_phone', key: 'newPhone', label: 'New phone number' },
  { id: 'domestic_abuse_disclosure', key: 'domesticAbuseDisclosure', label: 'Domestic abuse disclosure' },
] as const;

/** `crisis_contact` → `Crisis contact`. */
export function humanise(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : id;
}

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? humanise(kind);
}

export function purposeLabel(purpose: string): string {
  return PURPOSE_LABELS[purpose as Purpose] ?? humanise(purpose);
}

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as DataCategory] ?? humanise(category);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `1990-03-04` → `04 Mar 1990` (a calendar date: no time zone involved). */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${m[3]} ${month} ${m[1]}` : isoDate;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** An instant as UK wall-clock time: `4 Mar 2025, 14:30`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** An instant as its UK calendar day: `4 Mar 2025`. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayFormat.format(date);
}

/** "Casey Smith", or null when no name is known. */
export function fullName(d: Demographics | null): string | null {
  const name = [d?.givenName, d?.familyName].filter(Boolean).join(' ');
  return name || null;
}

/** "Smith, Casey" (the form used in lists), or null when no name is known. */
export function listName(d: Demographics | null): string | null {
  const name = [d?.familyName, d?.givenName].filter(Boolean).join(', ');
  return name || null;
}

export function knownToText(count: number): string {
  return `Person known to ${count} ${count === 1 ? 'agency' : 'agencies'}`;
}

/** Today in the browser's calendar, as `YYYY-MM-DD` (for a date input's `min`). */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `2025-06-30` → the last millisecond of that day, local time, as an ISO date-time. */
export function endOfDayIso(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59, 999).toISOString();
}
