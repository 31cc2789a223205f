/**
 * Maps audit events to FHIR R4 `AuditEvent` resources (for IG leads' exports and for feeding a
 * regional audit repository). Codes come from the FHIR/DICOM audit value sets: event type
 * (DICOM DCM or audit-event-type `rest`), subtype (restful-interaction or DICOM), action C/R/U/D/E,
 * outcome 0/4/8 and purposeOfEvent from the HL7 v3 PurposeOfUse codes.
 */
import type { AuditEventAttrs } from '../models/AuditEvent';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const REST = 'http://hl7.org/fhir/restful-interaction';
const PURPOSE = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** Our own identifier systems (subject types and sharing bases that have no FHIR resource). */
const CCW = 'urn:ccw';

interface Coding { system: string; code: string; display?: string }
type Reference = { reference: string } | { identifier: { system: string; value: string }; display?: string };

/** The FHIR R4 AuditEvent fields this mapping fills. */
export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype?: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0' | '4' | '8';
  outcomeDesc?: string;
  purposeOfEvent?: { coding?: Coding[]; text: string }[];
  agent: { who: Reference; requestor: true; role?: { text: string }[]; policy?: string[] }[];
  source: { observer: { display: string }; type: Coding[] };
  entity?: { what: Reference; type?: Coding; role?: Coding }[];
}

type Mapped = Pick<FhirAuditEvent, 'type' | 'subtype' | 'action'>;
const rest = (code: string, action: FhirAuditEvent['action']): Mapped => ({
  type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
  subtype: [{ system: REST, code }],
  action,
});
const dcm = (code: string, display: string, action: FhirAuditEvent['action'], sub?: [string, string]): Mapped => ({
  type: { system: DCM, code, display },
  ...(sub ? { subtype: [{ system: DCM, code: sub[0], display: sub[1] }] } : {}),
  action,
});

/** Event type/subtype/action for an action code: whole codes first, then by verb suffix. */
function mapAction(action: string): Mapped {
  switch (action) {
    case 'export':
    case 'sar.export':
      return dcm('110106', 'Export', 'R');
    case 'break_glass':
      return dcm('110113', 'Security Alert', 'E', ['110127', 'Emergency Override Started']);
    case 'auth.login':
      return dcm('110114', 'User Authentication', 'E', ['110122', 'Login']);
    case 'auth.logout':
      return dcm('110114', 'User Authentication', 'E', ['110123', 'Logout']);
    case 'access.denied':
      return dcm('110113', 'Security Alert', 'E');
  }
  const verb = action.split('.').pop();
  if (verb === 'read') return rest('read', 'R');
  if (verb === 'search') return rest('search-type', 'E');
  if (verb === 'create') return rest('create', 'C');
  if (verb === 'update') return rest('update', 'U');
  if (verb === 'delete') return rest('delete', 'D');
  return dcm('110100', 'Application Activity', 'E');
}

/** Our purpose codes → HL7 v3 PurposeOfUse. Unmapped purposes keep their text only. */
const PURPOSES: Record<string, [string, string]> = {
  direct_care: ['TREAT', 'treatment'],
  emergency: ['ETREAT', 'Emergency Treatment'],
  break_glass: ['ETREAT', 'Emergency Treatment'],
  risk_panel: ['COC', 'coordination of care'],
  case_conference: ['COC', 'coordination of care'],
  safeguarding: ['HPRGRP', 'health program reporting'],
  sar: ['PATRQT', 'patient requested'],
  audit: ['HSYSADMIN', 'health system administration'],
  ig_review: ['HOPERAT', 'healthcare operations'],
  legal: ['HLEGAL', 'legal'],
};

const OUTCOMES: Record<string, FhirAuditEvent['outcome']> = {
  allowed: '0', succeeded: '0', redacted: '4', denied: '4', failed: '8',
};

/** FHIR resource type for our subject types, where one exists. */
const SUBJECT_TYPES: Record<string, string> = {
  person: 'Patient', encounter: 'Encounter', consent: 'Consent', user: 'Practitioner', agency: 'Organization',
};

function subjectRef(type: string, id: string): Reference {
  const fhirType = SUBJECT_TYPES[type];
  return fhirType ? { reference: `${fhirType}/${id}` } : { identifier: { system: `${CCW}:${type}`, value: id }, display: type };
}

const hex = (v: unknown): string | undefined => (v == null ? undefined : String(v));

/**
 * One audit event as a FHIR R4 AuditEvent. `observer` names the workspace deployment.
 * Outcome: allowed/succeeded → 0, redacted/denied → 4 (minor failure), failed → 8.
 */
export function toFhirAuditEvent(ev: AuditEventAttrs, opts: { observer?: string } = {}): FhirAuditEvent {
  const userId = hex(ev.actor?.userId);
  const apiClientId = hex(ev.actor?.apiClientId);
  const who: Reference = userId
    ? { reference: `Practitioner/${userId}` }
    : apiClientId
      ? { reference: `Device/${apiClientId}` }
      : { identifier: { system: `${CCW}:actor`, value: 'unauthenticated' }, display: 'unauthenticated' };
  const roles = ev.actor?.roles?.map((text) => ({ text }));
  const agencyId = hex(ev.actor?.agencyId);
  const basis = ev.basis?.kind ? `${CCW}:basis:${ev.basis.kind}${ev.basis.ref ? `:${ev.basis.ref}` : ''}` : undefined;
  const policy = [basis, agencyId && `${CCW}:agency:${agencyId}`].filter((p): p is string => !!p);

  const entity: NonNullable<FhirAuditEvent['entity']> = [];
  const personId = hex(ev.subject?.personId) ?? (ev.subject?.type === 'person' ? hex(ev.subject.id) : undefined);
  if (personId) {
    entity.push({
      what: { reference: `Patient/${personId}` },
      type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
      role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    });
  }
  const subjectId = hex(ev.subject?.id);
  if (ev.subject && subjectId && ev.subject.type !== 'person') {
    entity.push({ what: subjectRef(ev.subject.type, subjectId), type: { system: ENTITY_TYPE, code: '2', display: 'System Object' } });
  }

  const purpose = ev.purpose ? PURPOSES[ev.purpose] : undefined;
  return {
    resourceType: 'AuditEvent',
    id: `audit-${ev.seq}`,
    ...mapAction(ev.action),
    recorded: new Date(ev.at).toISOString(),
    outcome: OUTCOMES[ev.outcome] ?? '8',
    outcomeDesc: ev.reason ? `${ev.outcome}: ${ev.reason}` : ev.outcome,
    ...(ev.purpose
      ? { purposeOfEvent: [{ ...(purpose ? { coding: [{ system: PURPOSE, code: purpose[0], display: purpose[1] }] } : {}), text: ev.purpose }] }
      : {}),
    agent: [{ who, requestor: true, ...(roles?.length ? { role: roles } : {}), ...(policy.length ? { policy } : {}) }],
    source: {
      observer: { display: opts.observer ?? 'Crisis-care workspace' },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length ? { entity } : {}),
  };
}
