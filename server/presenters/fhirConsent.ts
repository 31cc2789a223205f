/**
 * A person's consent history as FHIR R4 `Consent` resources in a `collection` Bundle.
 *
 * Status (consent-state-codes): the entry that holds now keeps its own meaning — given → active,
 * refused → rejected, withdrawn → inactive, not_asked → proposed (consent is still to be sought),
 * lacks_capacity → inactive (no consent can stand; sharing needs a recorded decision). Entries a
 * later one replaced, and expired ones, are inactive, except refusals, which stay rejected (that
 * is what happened to them). Our own status travels in an extension so nothing is lost.
 *
 * Provision: given → permit; refused, withdrawn and lacks_capacity → deny; not_asked → none.
 * Period start = recordedAt, end = expiresAt. Actors are the recipient agencies (role IRCP) or,
 * for "all panel agencies", an identifier. Purposes map to HL7 v3 ActReason (PurposeOfUse):
 * direct_care → TREAT, crisis_response → ETREAT, risk_panel → COC, safeguarding → HPRGRP (as the
 * audit export does: v3 has no safeguarding code), service_planning → HOPERAT. Data categories
 * become provision classes in our own code system, with the taxonomy's labels.
 */
import { randomUUID } from 'node:crypto';
import { domainConfig } from '../../config/domain';
import type { ConsentDoc } from '../models/Consent';
import { effectiveConsent } from '../sharing';
import { consentFacts } from '../commands/sharingFacts';

const CCW = 'urn:ccw';
const SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const LOINC = 'http://loinc.org';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
/** Our consent status, kept beside the FHIR status. */
export const CONSENT_STATUS_EXTENSION = `${CCW}:fhir:StructureDefinition:consent-status`;
/** Our data categories as a code system. */
export const DATA_CATEGORY_SYSTEM = `${CCW}:data-category`;

type FhirStatus = 'draft' | 'proposed' | 'active' | 'rejected' | 'inactive' | 'entered-in-error';
interface Coding { system: string; code: string; display?: string }
type Reference = { reference: string } | { identifier: { system: string; value: string }; display?: string };

/** The FHIR R4 Consent fields this mapping fills. */
export interface FhirConsent {
  resourceType: 'Consent';
  id: string;
  extension: { url: string; valueCode: string }[];
  status: FhirStatus;
  scope: { coding: Coding[] };
  category: { coding: Coding[] }[];
  patient: { reference: string };
  dateTime: string;
  performer?: { reference: string }[];
  organization: { reference: string }[];
  policy?: { uri: string }[];
  policyRule?: { coding: Coding[] };
  provision: {
    type?: 'permit' | 'deny';
    period: { start: string; end?: string };
    actor?: { role: { coding: Coding[] }; reference: Reference }[];
    purpose?: Coding[];
    class?: Coding[];
  };
}

/** The status of the entry that holds now. */
const CURRENT_STATUS: Record<string, FhirStatus> = {
  given: 'active', refused: 'rejected', withdrawn: 'inactive', not_asked: 'proposed', lacks_capacity: 'inactive',
};
const PROVISION: Record<string, 'permit' | 'deny' | undefined> = {
  given: 'permit', refused: 'deny', withdrawn: 'deny', lacks_capacity: 'deny', not_asked: undefined,
};
/** Our purposes → v3 ActReason (PurposeOfUse). */
export const PURPOSE_OF_USE: Record<string, [string, string]> = {
  direct_care: ['TREAT', 'treatment'],
  crisis_response: ['ETREAT', 'Emergency Treatment'],
  risk_panel: ['COC', 'coordination of care'],
  safeguarding: ['HPRGRP', 'health program reporting'],
  service_planning: ['HOPERAT', 'healthcare operations'],
};

function categoryLabels(): Map<string, string> {
  return new Map(domainConfig().taxonomy.dataCategories.map((c) => [c.id, c.label]));
}

/** One consent entry as a FHIR R4 Consent; `current` says whether it is the entry that holds now. */
export function toFhirConsent(c: ConsentDoc, current: boolean, now: Date, labels = categoryLabels()): FhirConsent {
  const personId = String(c.personId);
  const expired = !!c.expiresAt && c.expiresAt.getTime() <= now.getTime();
  const status: FhirStatus = c.status === 'refused' ? 'rejected' : current && !expired ? CURRENT_STATUS[c.status] : 'inactive';
  const type = PROVISION[c.status];
  const decided = c.status === 'given' || c.status === 'refused' || c.status === 'withdrawn';
  const agencies = (c.scope?.agencies ?? []).map(String);
  const ircp = { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] };
  const actor: NonNullable<FhirConsent['provision']['actor']> = c.scope?.allPanel
    ? [{ role: ircp, reference: { identifier: { system: `${CCW}:consent-scope`, value: 'all_panel' }, display: 'All panel agencies' } }]
    : agencies.map((a) => ({ role: ircp, reference: { reference: `Organization/${a}` } }));
  const purpose = (c.scope?.purposes ?? []).map((p): Coding => {
    const code = PURPOSE_OF_USE[p];
    return code ? { system: ACT_REASON, code: code[0], display: code[1] } : { system: `${CCW}:purpose`, code: p };
  });
  const klass = (c.scope?.categories ?? []).map((cat) => ({ system: DATA_CATEGORY_SYSTEM, code: cat, display: labels.get(cat) ?? cat }));
  const provision = {
    ...(type ? { type } : {}),
    period: { start: c.recordedAt.toISOString(), ...(c.expiresAt ? { end: c.expiresAt.toISOString() } : {}) },
    ...(actor.length ? { actor } : {}),
    ...(purpose.length ? { purpose } : {}),
    ...(klass.length ? { class: klass } : {}),
  };
  return {
    resourceType: 'Consent',
    id: c.id as string,
    extension: [{ url: CONSENT_STATUS_EXTENSION, valueCode: c.status }],
    status,
    scope: { coding: [{ system: SCOPE, code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: LOINC, code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${personId}` },
    dateTime: c.recordedAt.toISOString(),
    // The person agreed or refused; for not_asked / lacks_capacity nobody did.
    ...(decided ? { performer: [{ reference: `Patient/${personId}` }] } : {}),
    organization: [{ reference: `Organization/${String(c.recordedByAgency)}` }],
    // ppc-1: a privacy consent names its policy: opt-in / opt-out where the person decided.
    ...(decided
      ? { policyRule: { coding: [{ system: ACT_CODE, code: c.status === 'given' ? 'OPTIN' : 'OPTOUT' }] } }
      : { policy: [{ uri: `${CCW}:policy:information-sharing` }] }),
    provision,
  };
}

/** The whole history (any order) as a Bundle, newest first. */
export function toFhirConsentBundle(history: readonly ConsentDoc[], now = new Date()) {
  const effective = effectiveConsent(history.map(consentFacts), now);
  const labels = categoryLabels();
  const sorted = [...history].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime());
  return {
    resourceType: 'Bundle' as const,
    id: randomUUID(),
    type: 'collection' as const,
    timestamp: now.toISOString(),
    entry: sorted.map((c) => ({ resource: toFhirConsent(c, c.id === effective.entry?.id, now, labels) })),
  };
}
