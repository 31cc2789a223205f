/**
 * One detection run for one person: load what the rules can look at, evaluate them, and apply the
 * result to the person's alerts with the audience their consent allows. Reads everything afresh,
 * so a retried or repeated run converges on the same alerts.
 */
import type { Types } from 'mongoose';
import { domainConfig } from '../../config/domain';
import { Person } from '../models/Person';
import { Encounter, type EncounterAttrs } from '../models/Encounter';
import { agencyFactsOf } from '../commands/agencyFacts';
import { Consent } from '../models/Consent';
import { SharingDecision } from '../models/SharingDecision';
import { consentFacts, decisionFacts } from '../commands/sharingFacts';
import { evaluateRules, lookbackStart, type RuleEncounter } from './rules';
import { alertAudience } from './audience';
import { applyDetection, openAlertsOf, type AlertChange } from './alertRaiser';
import type { PersonFacts } from '../linkage/personFacts';
import { audienceUsers } from './notifier';
import type { AlertDoc } from '../models/Alert';

/** What a run reads of each of the person's records in the rules' window. */
type WindowEncounter = Pick<EncounterAttrs, 'agencyId' | 'occurredAt' | 'kind' | 'riskIndicators'> & { _id: Types.ObjectId };

/**
 * The alerts that changed for the person (none when the person is gone or merged away). `known`
 * is the person's agencies and merge state as a write the caller has just made left them (the
 * link job's), instead of reading the person again.
 */
export async function detectForPerson(personId: Types.ObjectId, now = new Date(), known?: PersonFacts): Promise<AlertChange[]> {
  const config = domainConfig();
  // A person merged into another keeps no records; any open alert of theirs is withdrawn below.
  const since = lookbackStart(config.alertRules, now);
  // Raw driver reads (every link makes them; the filters hold only the person's id and a date).
  const [person, found, consents, decisions, open] = await Promise.all([
    known ?? Person.collection.findOne<PersonFacts>({ _id: personId }, { projection: { agencyIds: 1, mergedInto: 1 } }),
    Encounter.collection
      .find<WindowEncounter>({ personId, occurredAt: { $gte: since } }, { projection: { agencyId: 1, occurredAt: 1, kind: 1, riskIndicators: 1 } })
      .toArray(),
    Consent.collection.find<Parameters<typeof consentFacts>[0]>({ personId }).toArray(),
    SharingDecision.collection.find<Parameters<typeof decisionFacts>[0]>({ personId }).toArray(),
    openAlertsOf(personId),
  ]);
  const encounters = person ? found : [];
  const agencyIds = person && !person.mergedInto ? person.agencyIds : [];
  const agencies = await agencyFactsOf(encounters.map((e) => e.agencyId));
  const facts: RuleEncounter[] = encounters.map((e) => ({
    id: String(e._id),
    agencyId: String(e.agencyId),
    agencyKind: agencies.get(String(e.agencyId))?.kind ?? 'other',
    occurredAt: e.occurredAt,
    kind: e.kind,
    riskIndicators: (e.riskIndicators ?? []).map((r) => ({ category: r.category, level: r.level })),
  }));
  const hits = person && !person.mergedInto ? evaluateRules(config.alertRules, facts, now, config.taxonomy) : [];
  const audience = alertAudience(consents.map(consentFacts), decisions.map(decisionFacts), now);
  // A rule that fires with no open alert raises one, whose audience is told at once: their
  // users are read while the alert is written rather than after.
  const raising = hits.some((h) => !open.some((a) => a.ruleId === h.ruleId));
  const recipients = raising ? audienceUsers({ audience: { mode: audience.mode, agencyIds: [...agencyIds], roles: audience.roles } } as Pick<AlertDoc, 'audience'>).catch(() => null) : null;
  const changes = await applyDetection({ personId, hits, audience, agencyIds, now, open });
  if (recipients) for (const c of changes) if (c.change === 'raised') c.recipients = recipients;
  return changes;
}
