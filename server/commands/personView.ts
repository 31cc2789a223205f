/**
 * Builds what one viewer may see of one person: their agency's records and every other record
 * the sharing basis opens (sensitive fields withheld unless explicitly decided), grouped markers
 * for records withheld, and nothing at all about records they may not know of.
 */
import { trusted, type Types } from 'mongoose';
import { Agency } from '../models/Agency';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import type { PersonDoc } from '../models/Person';
import type { UserDoc } from '../models/User';
import { effectiveConsent, summariseWithheld, type PurposeId, type SharingOutcome } from '../sharing';
import { decideEncounter, loadSharingContext, type SharingContext } from './sharingFacts';

/** The purpose a role usually looks for, when the request names none. */
export function defaultPurpose(user: UserDoc): PurposeId {
  if (user.roles.includes('duty_manager')) return 'crisis_response';
  if (user.roles.includes('panel_chair') || user.roles.includes('panel_member')) return 'risk_panel';
  return 'direct_care';
}

export interface DecidedRecord {
  encounter: EncounterDoc;
  outcome: SharingOutcome;
}

export interface PersonView {
  person: PersonDoc;
  ctx: SharingContext;
  records: DecidedRecord[];
  agencyNames: Map<string, string>;
  /** True when nothing about the person may be shown to this viewer. */
  hidden: boolean;
}

/** Decides every record of the person for the viewer (three queries, then pure decisions). */
export async function buildPersonView(user: UserDoc, person: PersonDoc, purpose: PurposeId, now = new Date()): Promise<PersonView> {
  const [encounters, ctx] = await Promise.all([
    Encounter.find({ personId: person._id }).sort({ occurredAt: -1 }),
    loadSharingContext(user, person._id as Types.ObjectId, purpose, now),
  ]);
  const records = encounters.map((encounter) => ({ encounter, outcome: decideEncounter(ctx, encounter) }));
  const agencies = await Agency.find({ _id: trusted({ $in: [...new Set(encounters.map((e) => String(e.agencyId)))] }) });
  const agencyNames = new Map(agencies.map((a) => [a.id as string, a.name]));
  const hidden = records.every((r) => r.outcome.effect === 'deny');
  return { person, ctx, records, agencyNames, hidden };
}

/** True when the viewer may see who the person is (name, date of birth). */
export function mayIdentify(view: PersonView): boolean {
  return view.records.some((r) => r.outcome.effect === 'allow' && (r.outcome.basis.kind === 'own_agency' || r.encounter.categories.includes('demographics')));
}

/** Grouped markers for redacted records ("2 Police records withheld: no consent on file"). */
export function withheldMarkers(view: PersonView) {
  return summariseWithheld(
    view.records.map((r) => ({ agencyName: view.agencyNames.get(String(r.encounter.agencyId)) ?? 'Another agency', outcome: r.outcome })),
  );
}

/** The "tell it once" summary, when the person's consent covers the viewer's agency. */
export function tellItOnceFor(view: PersonView): string | null {
  const text = view.person.tellItOnce?.text;
  if (!text) return null;
  const eff = effectiveConsent(view.ctx.consents, view.ctx.now);
  if (eff.state !== 'given' || !eff.entry) return null;
  const agencies = eff.entry.scope.agencies;
  return agencies === 'all_panel' || agencies.includes(view.ctx.viewer.agencyId) ? text : null;
}
