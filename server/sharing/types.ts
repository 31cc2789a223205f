/**
 * The facts the sharing module decides on, and the outcome it returns (DESIGN.md §5).
 *
 * Everything here is a plain object with string ids: callers map mongoose documents to these
 * shapes, so the module never touches the database and is easy to test.
 *
 * `config/domain.ts` types `Purpose`, `DataCategory` and `SensitiveField` as taxonomy *entries*
 * (`{ id, label, description }`); the sharing facts carry only their ids, so this file names the
 * ids as literal unions. `test/sharing/consent.test.ts` checks they match `taxonomy.json`.
 */

/** Purpose ids from taxonomy.json `purposes`. */
export const PURPOSES = ['direct_care', 'safeguarding', 'risk_panel', 'crisis_response', 'service_planning'] as const;
/** Why a viewer is looking: one of taxonomy.json's purposes. */
export type PurposeId = (typeof PURPOSES)[number];

/** Data category ids from taxonomy.json `dataCategories`. */
export const DATA_CATEGORIES = [
  'demographics',
  'contact',
  'risk',
  'mental_health',
  'physical_health',
  'criminal_justice',
  'housing',
  'social_care',
  'substance_use',
  'safeguarding',
] as const;
/** A category of data named by agreements, consent scopes, decisions and records. */
export type DataCategoryId = (typeof DATA_CATEGORIES)[number];

/** Sensitive field ids from taxonomy.json `sensitiveFields` (DESIGN.md §5 rule 3a). */
export const SENSITIVE_FIELDS = ['safe_address', 'new_phone', 'domestic_abuse_disclosure'] as const;
/** A field that never crosses agencies without an explicit per-field decision. */
export type SensitiveFieldId = (typeof SENSITIVE_FIELDS)[number];

/** Narrows a stored string to a purpose id (stored data is validated, but types are not). */
export function isPurpose(value: string): value is PurposeId {
  return (PURPOSES as readonly string[]).includes(value);
}

/** Narrows a stored string to a data category id. */
export function isDataCategory(value: string): value is DataCategoryId {
  return (DATA_CATEGORIES as readonly string[]).includes(value);
}

/** Narrows a stored string to a sensitive field id. */
export function isSensitiveField(value: string): value is SensitiveFieldId {
  return (SENSITIVE_FIELDS as readonly string[]).includes(value);
}

/** Who is looking. Roles do not change the sharing basis; they are here for audit and callers. */
export interface Viewer {
  userId: string;
  agencyId: string;
  roles: string[];
}

/** The record being looked at: whose it is and what kinds of data it holds. */
export interface RecordFacts {
  id: string;
  /** The agency that recorded it. */
  agencyId: string;
  /** Every data category the record holds; sharing must cover all of them. */
  categories: DataCategoryId[];
  /** The sensitive fields this record actually carries (empty when none). */
  sensitiveFields: SensitiveFieldId[];
}

/** What a person said about sharing, as recorded. */
export const CONSENT_STATUSES = ['given', 'refused', 'withdrawn', 'not_asked', 'lacks_capacity'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** One entry of a person's append-only consent history. */
export interface ConsentEntry {
  id: string;
  status: ConsentStatus;
  scope: {
    /** Recipient agencies; `all_panel` means any agency party to the agreement used. */
    agencies: 'all_panel' | string[];
    purposes: PurposeId[];
    categories: DataCategoryId[];
  };
  recordedAt: Date;
  /** The first instant at which this entry no longer holds; null for no expiry. */
  expiresAt: Date | null;
  recordedBy: string;
}

/** The consent that holds now: a recorded status, `expired`, or `not_asked` when none. */
export type EffectiveConsentState = ConsentStatus | 'expired';

/** The result of `effectiveConsent`: the state and the entry that set it (null for none). */
export interface EffectiveConsent {
  state: EffectiveConsentState;
  entry: ConsentEntry | null;
}

/** A data-sharing agreement between agencies. */
export interface AgreementFacts {
  id: string;
  /** Agency ids party to the agreement. */
  parties: string[];
  purposes: PurposeId[];
  categories: DataCategoryId[];
  /** UK GDPR Art 6 / Art 9 condition, as written by the IG lead. */
  lawfulBasis: string;
  validFrom: Date;
  /** Last instant of validity (inclusive); null for open-ended. */
  validTo: Date | null;
  status: 'draft' | 'active' | 'suspended' | 'ended';
}

/** The lawful bases on which a record may be shared without consent. */
export const DECISION_BASES = ['vital_interests', 'safeguarding', 'prevent_serious_harm', 'legal_obligation'] as const;
export type DecisionBasis = (typeof DECISION_BASES)[number];

/** A recorded decision to share without consent. */
export interface DecisionFacts {
  id: string;
  basis: DecisionBasis;
  scope: {
    /** Recipient agency ids. */
    agencies: string[];
    purposes: PurposeId[];
    categories: DataCategoryId[];
    /** Sensitive fields explicitly disclosed; none are disclosed unless listed here. */
    sensitiveFields: SensitiveFieldId[];
  };
  decidedAt: Date;
  /** The first instant at which the decision no longer holds. */
  expiresAt: Date;
  /** When it should be reviewed; passing it does not end the decision. */
  reviewAt: Date;
  status: 'pending_signoff' | 'active' | 'rejected' | 'revoked';
  /** Made out of hours by a duty manager: takes effect at once, pending IG review. */
  emergency: boolean;
  signedOffAt: Date | null;
}

/** A break-glass grant for one user on this person. */
export interface BreakGlassGrant {
  id: string;
  userId: string;
  /** The first instant at which the grant no longer holds. */
  expiresAt: Date;
}

/** Everything `decide` needs; `now` is an input so the answer is reproducible. */
export interface SharingInput {
  viewer: Viewer;
  purpose: PurposeId;
  record: RecordFacts;
  /** The person's whole consent history, in any order. */
  consents: ConsentEntry[];
  /** Agreements to consider (any status; only active, in-date ones count). */
  agreements: AgreementFacts[];
  /** The person's sharing decisions (any status). */
  decisions: DecisionFacts[];
  /** Break-glass grants for this person (any user). */
  breakGlass: BreakGlassGrant[];
  now: Date;
}

/** The lawful basis on which an allowed record is shown. */
export type AllowBasis =
  | { kind: 'own_agency' }
  | { kind: 'consent_and_agreement'; agreementId: string; consentId: string }
  | { kind: 'decision'; decisionId: string; basis: DecisionBasis }
  | { kind: 'break_glass'; grantId: string };

/** How a viewer can ask for access to a redacted record. */
export type Remedy = 'seek_consent' | 'request_decision' | 'agreement_needed' | 'renew_consent' | 'break_glass';

/** Show the record, minus `withheldFields`. */
export interface AllowOutcome {
  effect: 'allow';
  basis: AllowBasis;
  /** Sensitive fields of the record that must not be shown to this viewer. */
  withheldFields: SensitiveFieldId[];
  /** Needs IG review: break-glass, or an emergency decision not yet signed off. */
  flagged: boolean;
  code: AllowCode;
  reason: string;
}

/** Show that the record exists and whose it is, not its content. */
export interface RedactOutcome {
  effect: 'redact';
  code: RedactCode;
  reason: string;
  remedy: Remedy;
}

/** Do not reveal that the record exists. */
export interface DenyOutcome {
  effect: 'deny';
  code: DenyCode;
  reason: string;
}

export type SharingOutcome = AllowOutcome | RedactOutcome | DenyOutcome;

/** Stable outcome codes: clients, audit events and tests rely on these strings. */
export const SHARING_CODES = {
  /** Rule 1: the viewer's own agency's record. */
  ownAgency: 'own_agency',
  /** Rule 2: agreement and consent both cover it. */
  consentAndAgreement: 'consent_and_agreement',
  /** Rule 3: a decision to share without consent covers it. */
  decision: 'decision',
  /** Rule 4: the viewer's live break-glass grant. */
  breakGlass: 'break_glass',
  /** Redact: no consent recorded. */
  noConsent: 'no_consent',
  /** Redact: the person refused consent. */
  consentRefused: 'consent_refused',
  /** Redact: the person withdrew consent. */
  consentWithdrawn: 'consent_withdrawn',
  /** Redact: the latest consent entry has expired. */
  consentExpired: 'consent_expired',
  /** Redact: consent is given but does not cover this agency, purpose or category. */
  consentScope: 'consent_scope',
  /** Redact: the person lacks capacity to consent; a best-interests decision is needed. */
  lacksCapacity: 'lacks_capacity',
  /** Redact: the agreement for this purpose does not cover one of the record's categories. */
  agreementCategory: 'agreement_category',
  /** Redact: a covering decision awaits IG lead sign-off. */
  decisionUnsigned: 'decision_unsigned',
  /** Redact: a covering decision has expired. */
  decisionExpired: 'decision_expired',
  /** Redact: a vital-interests decision cannot override a refusal or withdrawal. */
  decisionBasis: 'decision_basis',
  /** Deny: no active, in-date agreement links the agencies for this purpose. */
  noAgreement: 'no_agreement',
} as const;

export type SharingCode = (typeof SHARING_CODES)[keyof typeof SHARING_CODES];
export type AllowCode = 'own_agency' | 'consent_and_agreement' | 'decision' | 'break_glass';
export type DenyCode = 'no_agreement';
export type RedactCode = Exclude<SharingCode, AllowCode | DenyCode>;
