import type {
  ConsentEntry,
  DataCategoryId,
  DecisionBasis,
  EffectiveConsent,
  EffectiveConsentState,
  PurposeId,
} from './types';

/**
 * The consent that holds at `now`, from a person's append-only history.
 *
 * - The latest entry by `recordedAt` decides; on a tie the one later in the array wins (history
 *   is appended, so that is the one recorded last).
 * - Entries recorded after `now` are ignored, so a past moment can be replayed exactly.
 * - If the deciding entry's `expiresAt` is at or before `now`, the state is `expired` (with that
 *   entry): an old refusal or capacity assessment is a prompt to ask again, not a standing answer.
 * - No entry: `not_asked`.
 */
export function effectiveConsent(history: readonly ConsentEntry[], now: Date): EffectiveConsent {
  let latest: ConsentEntry | null = null;
  for (const entry of history) {
    if (entry.recordedAt.getTime() > now.getTime()) continue;
    if (!latest || entry.recordedAt.getTime() >= latest.recordedAt.getTime()) latest = entry;
  }
  if (!latest) return { state: 'not_asked', entry: null };
  if (latest.expiresAt && latest.expiresAt.getTime() <= now.getTime()) return { state: 'expired', entry: latest };
  return { state: latest.status, entry: latest };
}

/**
 * The decision bases that may be offered when sharing without consent, given the effective
 * consent (DESIGN.md §5 rule 3, UK ICO guidance on vital interests):
 *
 * - `vital_interests` is not offered against a refusal or withdrawal by a person with capacity;
 *   it is offered when the person has not been asked, their consent has lapsed, they lack
 *   capacity, or their consent does not reach this sharing (they cannot be asked in time).
 * - `safeguarding`, `prevent_serious_harm` and `legal_obligation` are always offered; each still
 *   needs a written justification and an IG lead's sign-off.
 *
 * `decide` applies the same rule through `basisFitsConsent`.
 */
export function offeredBases(consentState: EffectiveConsentState): DecisionBasis[] {
  const always: DecisionBasis[] = ['safeguarding', 'prevent_serious_harm', 'legal_obligation'];
  return refusedWithCapacity(consentState) ? always : ['vital_interests', ...always];
}

/** Whether a decision on `basis` may open a record given the effective consent. */
export function basisFitsConsent(basis: DecisionBasis, consentState: EffectiveConsentState): boolean {
  return offeredBases(consentState).includes(basis);
}

/** The person, having capacity, said no (and that answer still stands). */
function refusedWithCapacity(state: EffectiveConsentState): boolean {
  return state === 'refused' || state === 'withdrawn';
}

/** What a given consent's scope fails to cover, if anything: the first gap found. */
export type ConsentGap =
  | { kind: 'agency' }
  | { kind: 'purpose'; purpose: PurposeId }
  | { kind: 'category'; categories: DataCategoryId[] };

/**
 * Where a consent's scope misses this sharing: the viewer's agency, the purpose, or any of the
 * record's categories. `all_panel` covers any agency party to the agreement relied on, so the
 * caller passes `viewerIsParty` for that agreement. Returns null when the scope covers it all.
 */
export function consentGap(
  entry: ConsentEntry,
  sharing: { viewerAgencyId: string; viewerIsParty: boolean; purpose: PurposeId; categories: readonly DataCategoryId[] },
): ConsentGap | null {
  const { agencies, purposes, categories } = entry.scope;
  const agencyCovered = agencies === 'all_panel' ? sharing.viewerIsParty : agencies.includes(sharing.viewerAgencyId);
  if (!agencyCovered) return { kind: 'agency' };
  if (!purposes.includes(sharing.purpose)) return { kind: 'purpose', purpose: sharing.purpose };
  const missing = sharing.categories.filter((c) => !categories.includes(c));
  if (missing.length > 0) return { kind: 'category', categories: missing };
  return null;
}
