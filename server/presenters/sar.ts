import type { UserDoc } from '../models/User';
import type { DecisionDoc } from '../models/SharingDecision';
import type { SubjectAccessData } from '../commands/subjectAccess';
import { presentEncounter } from './encounter';
import { presentConsent } from './consent';
import { presentAuditEvent } from './auditEvent';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const stamp = (doc: object, key: 'createdAt' | 'updatedAt') => iso((doc as Record<string, Date | undefined>)[key]);

/** A sharing decision about the person, in full (the person is entitled to the justification). */
function presentDecisionForSar(d: DecisionDoc) {
  return {
    id: d.id as string,
    basis: d.basis,
    justification: d.justification,
    scope: {
      agencies: (d.scope?.agencies ?? []).map(String),
      purposes: [...(d.scope?.purposes ?? [])],
      categories: [...(d.scope?.categories ?? [])],
      sensitiveFields: [...(d.scope?.sensitiveFields ?? [])],
    },
    decidedBy: String(d.decidedBy),
    decidedByAgency: String(d.decidedByAgency),
    decidedAt: d.decidedAt.toISOString(),
    expiresAt: d.expiresAt.toISOString(),
    reviewAt: d.reviewAt.toISOString(),
    emergency: Boolean(d.emergency),
    status: d.status,
    signOff: d.signOff?.by ? { by: String(d.signOff.by), at: iso(d.signOff.at), note: d.signOff.note ?? null } : null,
  };
}

/**
 * The JSON answer to a subject access request: everything held, unredacted (encounters from every
 * agency, sensitive fields included), with who generated it and when.
 */
export function presentSubjectAccess(data: SubjectAccessData, generatedBy: UserDoc, generatedAt: Date) {
  const p = data.person;
  return {
    generatedAt: generatedAt.toISOString(),
    generatedBy: String(generatedBy._id),
    generatedByAgency: String(generatedBy.agencyId),
    person: {
      id: p.id as string,
      demographics: {
        givenName: p.demographics?.givenName ?? null,
        familyName: p.demographics?.familyName ?? null,
        dateOfBirth: p.demographics?.dateOfBirth ?? null,
        nhsNumber: p.demographics?.nhsNumber ?? null,
        postcode: p.demographics?.postcode ?? null,
      },
      flags: { staffSafety: [...(p.flags?.staffSafety ?? [])], sharingConcern: Boolean(p.flags?.sharingConcern) },
      tellItOnce: p.tellItOnce?.text ? { text: p.tellItOnce.text, updatedAt: iso(p.tellItOnce.updatedAt) } : null,
      agencyIds: p.agencyIds.map(String),
      mergedFrom: data.mergedIds.map(String),
      createdAt: stamp(p, 'createdAt'),
      updatedAt: stamp(p, 'updatedAt'),
    },
    agencies: data.agencies.map((a) => ({ id: a.id as string, code: a.code, name: a.name, kind: a.kind })),
    encounters: data.encounters.map((e) => presentEncounter(e)),
    consents: data.consents.map(presentConsent),
    sharingDecisions: data.decisions.map(presentDecisionForSar),
    auditEvents: data.auditEvents.map(presentAuditEvent),
  };
}

/** See presentSubjectAccess. */
export type SubjectAccessReport = ReturnType<typeof presentSubjectAccess>;
