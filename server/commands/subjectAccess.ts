/**
 * Gathers everything the workspace holds about one person for a subject access request (UK GDPR
 * Art 15): the person, every agency's records (a SAR is the person's right to their own data
 * across the workspace, so no sharing rule applies), consent history, sharing decisions and the
 * audit trail of who touched their record. Includes people merged into this one. The IG lead
 * reviews the result for third-party information before releasing it.
 */
import { trusted, type Types } from 'mongoose';
import { Person, type PersonDoc } from '../models/Person';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import { Consent, type ConsentDoc } from '../models/Consent';
import { SharingDecision, type DecisionDoc } from '../models/SharingDecision';
import { Agency, type AgencyDoc } from '../models/Agency';
import { AuditEvent, type AuditEventAttrs } from '../models/AuditEvent';

/** What a subject access request found. */
export interface SubjectAccessData {
  person: PersonDoc;
  /** Ids of people merged into this one (their records are included). */
  mergedIds: Types.ObjectId[];
  encounters: EncounterDoc[];
  consents: ConsentDoc[];
  decisions: DecisionDoc[];
  auditEvents: AuditEventAttrs[];
  /** Every agency named anywhere above, for readable names. */
  agencies: AgencyDoc[];
}

/** Loads everything held about `person` (oldest first within each part). */
export async function collectSubjectAccess(person: PersonDoc): Promise<SubjectAccessData> {
  const merged = await Person.find({ mergedInto: person._id }, { _id: 1 }).lean();
  const mergedIds = merged.map((p) => p._id as Types.ObjectId);
  const all = [person._id, ...mergedIds];
  const ids = () => trusted({ $in: all });
  const [encounters, consents, decisions, auditEvents] = await Promise.all([
    Encounter.find({ personId: ids() }).sort({ occurredAt: 1 }),
    Consent.find({ personId: ids() }).sort({ recordedAt: 1 }),
    SharingDecision.find({ personId: ids() }).sort({ decidedAt: 1 }),
    AuditEvent.find({ 'subject.personId': ids() }).sort({ seq: 1 }).lean() as unknown as Promise<AuditEventAttrs[]>,
  ]);
  const agencyIds = new Set<string>(person.agencyIds.map(String));
  for (const e of encounters) agencyIds.add(String(e.agencyId));
  for (const c of consents) [c.recordedByAgency, ...(c.scope?.agencies ?? [])].forEach((a) => agencyIds.add(String(a)));
  for (const d of decisions) [d.decidedByAgency, ...(d.scope?.agencies ?? [])].forEach((a) => agencyIds.add(String(a)));
  for (const ev of auditEvents) if (ev.actor?.agencyId) agencyIds.add(String(ev.actor.agencyId));
  const agencies = await Agency.find({ _id: trusted({ $in: [...agencyIds] }) }).sort({ name: 1 });
  return { person, mergedIds, encounters, consents, decisions, auditEvents, agencies };
}
