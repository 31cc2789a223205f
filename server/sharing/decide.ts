import { basisFitsConsent, consentGap, effectiveConsent } from './consent';
import type {
  AgreementFacts,
  AllowOutcome,
  DataCategoryId,
  DecisionFacts,
  EffectiveConsent,
  RedactOutcome,
  SensitiveFieldId,
  SharingInput,
  SharingOutcome,
} from './types';

/**
 * Whether `input.viewer` may see `input.record` for `input.purpose` at `input.now`: allow,
 * redact (the viewer learns the record exists and whose it is, not its content) or deny (the
 * viewer learns nothing). Pure: no I/O, no clock. Every route, presenter, socket handler and
 * export asks this function; none decides on its own. DESIGN.md §5, rule by rule:
 *
 * 1. **Own agency.** A viewer always sees their own agency's records, sensitive fields included.
 * 2. **Consent and agreement.** Another agency's record is visible when an agreement in force
 *    (status `active`, `validFrom` ≤ now ≤ `validTo` or open-ended) has both agencies as parties
 *    and covers the purpose and *all* the record's categories, **and** the effective consent is
 *    `given` and its scope covers the viewer's agency (`all_panel`: any party to that
 *    agreement), the purpose and all the categories.
 * 3. **Decision to share without consent.** Otherwise a decision opens it when its scope covers
 *    the viewer's agency, the purpose and all the categories, it has not expired, and it is in
 *    effect: `active` (signed off), or `pending_signoff` with `emergency` (flagged until an IG
 *    lead reviews it). A non-emergency `pending_signoff`, `rejected` or `revoked` decision opens
 *    nothing. A `vital_interests` decision never overrides a refusal or withdrawal
 *    (`offeredBases`). No agreement is needed: the decision is the lawful basis.
 * 4. **Break-glass.** Otherwise a live grant (now < `expiresAt`) for this viewer opens it,
 *    flagged for IG review.
 * 5. **Sensitive fields (rule 3a).** On every cross-agency allow (consent, decision or
 *    break-glass) each sensitive field the record carries is withheld unless a decision in effect
 *    as in rule 3 lists it in `scope.sensitiveFields`. A field released only by an unsigned
 *    emergency decision flags the outcome.
 * 6. **Redact or deny.** If nothing opens it: redact when an agreement in force links the two
 *    agencies for this purpose (knowing the record exists is then proportionate), with the most
 *    specific reason and the way to ask (`explainRedaction`); deny otherwise.
 *
 * Instants: agreements are valid through `validTo` inclusive; consent, decisions and grants stop
 * holding *at* `expiresAt`.
 */
export function decide(input: SharingInput): SharingOutcome {
  const { viewer, record, purpose, now } = input;

  if (record.agencyId === viewer.agencyId) {
    return allow({ kind: 'own_agency' }, [], false, 'own_agency', "Your agency's own record.");
  }

  const consent = effectiveConsent(input.consents, now);
  const linking = input.agreements.filter(
    (a) => agreementInForce(a, now) && a.parties.includes(viewer.agencyId) && a.parties.includes(record.agencyId) && a.purposes.includes(purpose),
  );
  const covering = linking.filter((a) => coversAll(a.categories, record.categories));
  const relevant = input.decisions.filter((d) => decisionCovers(d, viewer.agencyId, purpose, record.categories));
  const opening = relevant.filter((d) => decisionInEffect(d, now) && basisFitsConsent(d.basis, consent.state));
  const fields = sensitiveFieldsFor(record.sensitiveFields, opening);

  // Rule 2.
  const consentEntry = consent.state === 'given' ? consent.entry : null;
  const agreement =
    consentEntry &&
    covering.find(
      (a) =>
        consentGap(consentEntry, {
          viewerAgencyId: viewer.agencyId,
          viewerIsParty: a.parties.includes(viewer.agencyId),
          purpose,
          categories: record.categories,
        }) === null,
    );
  if (consentEntry && agreement) {
    return allow(
      { kind: 'consent_and_agreement', agreementId: agreement.id, consentId: consentEntry.id },
      fields.withheld,
      fields.flagged,
      'consent_and_agreement',
      "Shared with the person's consent under a data-sharing agreement.",
    );
  }

  // Rule 3: a signed-off decision is preferred to an emergency one, then the most recent.
  const decision = [...opening].sort(
    (a, b) => Number(b.status === 'active') - Number(a.status === 'active') || b.decidedAt.getTime() - a.decidedAt.getTime(),
  )[0];
  if (decision) {
    const unsigned = isEmergencyUnsigned(decision);
    return allow(
      { kind: 'decision', decisionId: decision.id, basis: decision.basis },
      fields.withheld,
      unsigned || fields.flagged,
      'decision',
      `Shared without consent under a recorded decision (${words(decision.basis)})` +
        (unsigned ? ', made in an emergency and awaiting IG lead review.' : '.'),
    );
  }

  // Rule 4.
  const grant = input.breakGlass.find((g) => g.userId === viewer.userId && now.getTime() < g.expiresAt.getTime());
  if (grant) {
    return allow(
      { kind: 'break_glass', grantId: grant.id },
      fields.withheld,
      true,
      'break_glass',
      'Opened by break-glass: flagged for IG lead review.',
    );
  }

  // Rule 6.
  if (linking.length === 0) {
    return {
      effect: 'deny',
      code: 'no_agreement',
      reason: `No active data-sharing agreement between your agency and the record's agency for ${words(purpose)}.`,
    };
  }
  return explainRedaction({ consent, linking, covering, relevant, now, viewerAgencyId: viewer.agencyId, purpose, categories: record.categories });
}

/** Builds an allow outcome, noting withheld sensitive fields in the reason. */
function allow(
  basis: AllowOutcome['basis'],
  withheldFields: SensitiveFieldId[],
  flagged: boolean,
  code: AllowOutcome['code'],
  reason: string,
): AllowOutcome {
  const note =
    withheldFields.length === 0
      ? ''
      : ` Withheld: ${withheldFields.map(words).join(', ')} (sensitive; needs an explicit decision to share).`;
  return { effect: 'allow', basis, withheldFields, flagged, code, reason: reason + note };
}

/**
 * Why a record is redacted and how to ask for access, most specific first:
 *
 * 1. A decision covering this sharing exists but cannot be used: vital interests against a
 *    refusal (`decision_basis`), awaiting sign-off (`decision_unsigned`), or expired
 *    (`decision_expired`). Remedy: request a decision.
 * 2. The person refused or withdrew consent, or lacks capacity: only a decision can open it.
 * 3. No agreement in force covers every category (`agreement_category`, naming them): consent
 *    alone would not help, so the viewer is not sent to seek it.
 * 4. Consent not asked (`no_consent`), lapsed (`consent_expired`), or given without reaching this
 *    agency, purpose or category (`consent_scope`, naming the gap).
 */
function explainRedaction(facts: {
  consent: EffectiveConsent;
  linking: AgreementFacts[];
  covering: AgreementFacts[];
  relevant: DecisionFacts[];
  now: Date;
  viewerAgencyId: string;
  purpose: SharingInput['purpose'];
  categories: DataCategoryId[];
}): RedactOutcome {
  const { consent, covering, relevant, now } = facts;
  const redact = (code: RedactOutcome['code'], reason: string, remedy: RedactOutcome['remedy']): RedactOutcome => ({
    effect: 'redact',
    code,
    reason,
    remedy,
  });

  const live = relevant.filter((d) => now.getTime() < d.expiresAt.getTime());
  if (live.some((d) => decisionInEffect(d, now) && !basisFitsConsent(d.basis, consent.state))) {
    return redact(
      'decision_basis',
      `The person ${consent.state === 'refused' ? 'refused' : 'withdrew'} consent, and a vital-interests decision cannot override that; a decision on another basis is needed.`,
      'request_decision',
    );
  }
  if (live.some((d) => d.status === 'pending_signoff' && !d.emergency)) {
    return redact('decision_unsigned', 'A decision to share with your agency is awaiting IG lead sign-off.', 'request_decision');
  }
  if (relevant.some((d) => d.expiresAt.getTime() <= now.getTime())) {
    return redact('decision_expired', 'The decision to share with your agency has expired.', 'request_decision');
  }

  switch (consent.state) {
    case 'refused':
      return redact('consent_refused', 'The person refused consent to share; only a recorded decision can open this.', 'request_decision');
    case 'withdrawn':
      return redact('consent_withdrawn', 'The person withdrew consent to share; only a recorded decision can open this.', 'request_decision');
    case 'lacks_capacity':
      return redact('lacks_capacity', 'The person lacks capacity to consent; a best-interests decision to share is needed.', 'request_decision');
  }

  const agreement = covering[0];
  if (!agreement) {
    // Name the gap of the agreement that comes closest, so the IG lead knows what to add.
    const gaps = facts.linking.map((a) => facts.categories.filter((c) => !a.categories.includes(c)));
    const missing = gaps.reduce((best, gap) => (gap.length < best.length ? gap : best));
    return redact(
      'agreement_category',
      `The data-sharing agreement with the record's agency does not cover ${missing.map(words).join(', ')} data for ${words(facts.purpose)}.`,
      'agreement_needed',
    );
  }

  if (consent.state === 'not_asked') {
    return redact('no_consent', 'No consent on file for sharing with your agency.', 'seek_consent');
  }
  if (consent.state === 'expired') {
    return redact('consent_expired', `The person's consent expired on ${isoDay(consent.entry?.expiresAt)}; ask them to renew it.`, 'renew_consent');
  }

  const gap = consent.entry
    ? consentGap(consent.entry, {
        viewerAgencyId: facts.viewerAgencyId,
        viewerIsParty: agreement.parties.includes(facts.viewerAgencyId),
        purpose: facts.purpose,
        categories: facts.categories,
      })
    : null;
  const missing =
    gap?.kind === 'agency'
      ? 'does not include your agency'
      : gap?.kind === 'purpose'
        ? `does not cover ${words(gap.purpose)}`
        : gap?.kind === 'category'
          ? `does not cover ${gap.categories.map(words).join(', ')} data`
          : 'does not cover this sharing';
  return redact('consent_scope', `The person's consent ${missing}.`, 'seek_consent');
}

/** Active and in date at `now` (validTo inclusive, null for open-ended). */
function agreementInForce(a: AgreementFacts, now: Date): boolean {
  const t = now.getTime();
  return a.status === 'active' && a.validFrom.getTime() <= t && (a.validTo === null || t <= a.validTo.getTime());
}

/** A decision's scope reaches this viewer's agency, purpose and every category (status aside). */
function decisionCovers(d: DecisionFacts, agencyId: string, purpose: SharingInput['purpose'], categories: DataCategoryId[]): boolean {
  return (
    (d.status === 'active' || d.status === 'pending_signoff') &&
    d.scope.agencies.includes(agencyId) &&
    d.scope.purposes.includes(purpose) &&
    coversAll(d.scope.categories, categories)
  );
}

/** Unexpired and signed off, or an emergency decision awaiting review. */
function decisionInEffect(d: DecisionFacts, now: Date): boolean {
  return now.getTime() < d.expiresAt.getTime() && (d.status === 'active' || isEmergencyUnsigned(d));
}

function isEmergencyUnsigned(d: DecisionFacts): boolean {
  return d.status === 'pending_signoff' && d.emergency;
}

/**
 * Rule 3a: the record's sensitive fields not explicitly listed by a decision in effect are
 * withheld; `flagged` when a shown field rests only on unsigned emergency decisions.
 */
function sensitiveFieldsFor(fields: SensitiveFieldId[], opening: DecisionFacts[]): { withheld: SensitiveFieldId[]; flagged: boolean } {
  const withheld: SensitiveFieldId[] = [];
  let flagged = false;
  for (const field of new Set(fields)) {
    const releasing = opening.filter((d) => d.scope.sensitiveFields.includes(field));
    if (releasing.length === 0) withheld.push(field);
    else if (releasing.every(isEmergencyUnsigned)) flagged = true;
  }
  return { withheld, flagged };
}

function coversAll<T>(scope: readonly T[], needed: readonly T[]): boolean {
  return needed.every((x) => scope.includes(x));
}

/** An id as plain words: `mental_health` → `mental health`. */
function words(id: string): string {
  return id.replace(/_/g, ' ');
}

function isoDay(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : 'an earlier date';
}
