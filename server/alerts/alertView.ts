/**
 * What one viewer may see of one alert. The evidence goes through the sharing module record by
 * record, exactly as on the person page (purpose: risk panel): allowed records are listed,
 * redacted ones become grouped "withheld" markers, denied ones are not mentioned. A pseudonymous
 * alert shows counts only — no identity, no agencies, no records.
 */
import { trusted, type Types } from 'mongoose';
import type { AlertDoc } from '../models/Alert';
import type { UserDoc } from '../models/User';
import { Person } from '../models/Person';
import { Encounter } from '../models/Encounter';
import { Agency } from '../models/Agency';
import { User } from '../models/User';
import { summariseWithheld, type SharingOutcome, type WithheldMarker } from '../sharing';
import { decideEncounter, loadSharingContext } from '../commands/sharingFacts';

export interface AlertEvidenceItem {
  id: string;
  agencyId: string;
  agencyName: string;
  occurredAt: Date;
  kind: string;
  riskIndicators: { category: string; level: string }[];
  basis: string;
}

export interface AlertView {
  alert: AlertDoc;
  /** The person's name when the viewer may know who this is; null for a pseudonymous view. */
  person: { id: string; name: string | null } | null;
  evidence: AlertEvidenceItem[];
  withheld: WithheldMarker[];
  /** Outcome per evidence record, for the audit log. */
  decisions: { encounterId: string; outcome: SharingOutcome }[];
  /** Names of the users on the timeline (ids → names), for display. */
  userNames: Map<string, string>;
}

/** Builds the view (a handful of queries). */
export async function buildAlertView(user: UserDoc, alert: AlertDoc, now = new Date()): Promise<AlertView> {
  const actorIds = [...new Set([...alert.timeline.map((t) => t.actorUserId), alert.assignedTo, alert.acknowledgedBy].filter(Boolean).map(String))];
  const users = actorIds.length ? await User.find({ _id: trusted({ $in: actorIds }) }, { name: 1 }).lean() : [];
  const userNames = new Map(users.map((u) => [String(u._id), u.name]));
  if (alert.audience?.mode === 'pseudonymous') {
    return { alert, person: null, evidence: [], withheld: [], decisions: [], userNames };
  }
  const [person, encounters, ctx] = await Promise.all([
    Person.findById(alert.personId).lean(),
    Encounter.find({ _id: trusted({ $in: alert.evidence }) }).sort({ occurredAt: -1 }),
    loadSharingContext(user, alert.personId as Types.ObjectId, 'risk_panel', now),
  ]);
  const agencies = await Agency.find({ _id: trusted({ $in: [...new Set(encounters.map((e) => String(e.agencyId)))] }) }, { name: 1 }).lean();
  const agencyNames = new Map(agencies.map((a) => [String(a._id), a.name]));
  const decided = encounters.map((e) => ({ encounter: e, outcome: decideEncounter(ctx, e) }));
  const evidence: AlertEvidenceItem[] = decided
    .filter((d) => d.outcome.effect === 'allow')
    .map(({ encounter: e, outcome }) => ({
      id: e.id as string,
      agencyId: String(e.agencyId),
      agencyName: agencyNames.get(String(e.agencyId)) ?? 'Another agency',
      occurredAt: e.occurredAt,
      kind: e.kind,
      riskIndicators: e.riskIndicators.map((r) => ({ category: r.category, level: r.level })),
      basis: outcome.effect === 'allow' ? outcome.basis.kind : 'none',
    }));
  const withheld = summariseWithheld(decided.map((d) => ({ agencyName: agencyNames.get(String(d.encounter.agencyId)) ?? 'Another agency', outcome: d.outcome })));
  // The name is shown to staff of agencies that hold a record about the person themselves.
  const knows = person && !person.mergedInto && person.agencyIds.some((a) => String(a) === String(user.agencyId));
  const name = knows ? [person.demographics?.givenName, person.demographics?.familyName].filter(Boolean).join(' ') || null : null;
  return {
    alert,
    person: { id: String(alert.personId), name },
    evidence,
    withheld,
    decisions: decided.map((d) => ({ encounterId: d.encounter.id as string, outcome: d.outcome })),
    userNames,
  };
}
