import type { PersonView } from '../commands/personView';
import { mayIdentify, tellItOnceFor, withheldMarkers } from '../commands/personView';
import { presentEncounter } from './encounter';

/** The person page for one viewer: only what the sharing basis allows. */
export function presentPersonPage(view: PersonView) {
  const identify = mayIdentify(view);
  const d = view.person.demographics;
  const visibleAgencies = new Set(view.records.filter((r) => r.outcome.effect !== 'deny').map((r) => String(r.encounter.agencyId)));
  return {
    id: view.person.id as string,
    purpose: view.ctx.purpose,
    identified: identify,
    demographics: identify
      ? { givenName: d?.givenName ?? null, familyName: d?.familyName ?? null, dateOfBirth: d?.dateOfBirth ?? null, nhsNumber: d?.nhsNumber ?? null, postcode: d?.postcode ?? null }
      : null,
    /** Agencies the viewer may know hold records (denied ones are not counted). */
    knownToAgencies: visibleAgencies.size,
    tellItOnce: tellItOnceFor(view),
    timeline: view.records
      .filter((r) => r.outcome.effect === 'allow')
      .map((r) => {
        const outcome = r.outcome as Extract<typeof r.outcome, { effect: 'allow' }>;
        return {
          ...presentEncounter(r.encounter, outcome.withheldFields),
          agencyName: view.agencyNames.get(String(r.encounter.agencyId)) ?? null,
          basis: outcome.basis.kind,
          flagged: outcome.flagged,
        };
      }),
    withheld: withheldMarkers(view),
  };
}

/** One search hit: identified when the viewer may see who they are, else pseudonymous. */
export function presentSearchHit(view: PersonView) {
  const page = presentPersonPage(view);
  return {
    id: page.id,
    identified: page.identified,
    demographics: page.demographics,
    knownToAgencies: page.knownToAgencies,
    visibleRecords: page.timeline.length,
    withheldRecords: page.withheld.reduce((n, m) => n + m.count, 0),
  };
}
