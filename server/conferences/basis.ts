/**
 * The sharing basis of a conference. A conference is about one person; what an agency says in it
 * (messages, risk entries, decisions, actions) is that agency's risk information about the person,
 * shared for the risk-panel purpose. So the sharing module decides it like any other record
 * (DESIGN.md §5): staff of agency V may see agency A's contributions when `decide` allows a
 * record of A with the conference's categories to V. An agency may take part when it may see
 * what the chair's agency contributes. Loaded in three queries, then pure decisions (memoised).
 */
import { trusted, type Types } from 'mongoose';
import { Consent } from '../models/Consent';
import { SharingAgreement } from '../models/SharingAgreement';
import { SharingDecision } from '../models/SharingDecision';
import { agreementFacts, consentFacts, decisionFacts } from '../commands/sharingFacts';
import { versionedCache } from '../commands/sharingVersion';
import { decide, type AgreementFacts, type ConsentEntry, type DataCategoryId, type DecisionFacts, type PurposeId, type SharingOutcome } from '../sharing';

/** Every sharing decision about a conference is made for this purpose. */
export const CONFERENCE_PURPOSE: PurposeId = 'risk_panel';

/** What a contribution to a conference counts as: risk information in the common taxonomy. */
export const CONFERENCE_CATEGORIES: DataCategoryId[] = ['risk'];

/** Whether an agency may take part, and if not, a sentence saying why. */
export type Eligibility = { eligible: true; outcome: SharingOutcome } | { eligible: false; code: string; reason: string };

export interface ConferenceBasis {
  /** The chair's agency: what it contributes decides who may take part. */
  chairAgencyId: string;
  /** The sharing outcome for staff of `viewerAgencyId` looking at what `authorAgencyId` contributed. */
  outcome(viewerAgencyId: string, authorAgencyId: string): SharingOutcome;
  /** True when that outcome is `allow`. */
  allows(viewerAgencyId: string, authorAgencyId: string): boolean;
  /** May staff of the agency take part (see the chair's agency's contributions)? */
  eligibility(agencyId: string, agencyName: string): Eligibility;
  /** The agreements relied on by the allowed outcomes so far (for `basisRef`). */
  agreementIdsFor(agencyId: string): string[];
}

export interface LoadBasisProps {
  personId: Types.ObjectId;
  chairAgencyId: Types.ObjectId | string;
  /** Agencies to consider agreements for; omit to consider every active agreement. */
  agencyIds?: readonly (Types.ObjectId | string)[];
  now?: Date;
}

type Facts = { consents: ConsentEntry[]; agreements: AgreementFacts[]; decisions: DecisionFacts[] };

/** Facts by person and agencies, reused while no consent, decision or agreement has changed. */
const cachedFacts = versionedCache<Facts>();

async function loadFacts(props: LoadBasisProps): Promise<Facts> {
  const [consents, agreements, decisions] = await Promise.all([
    Consent.find({ personId: props.personId }),
    props.agencyIds
      ? SharingAgreement.find({ status: 'active', parties: trusted({ $in: props.agencyIds.map(String) }) })
      : SharingAgreement.find({ status: 'active' }),
    SharingDecision.find({ personId: props.personId }),
  ]);
  return { consents: consents.map(consentFacts), agreements: agreements.map(agreementFacts), decisions: decisions.map(decisionFacts) };
}

/**
 * The person's consent history, decisions and the relevant agreements. Every socket event asks:
 * the facts are loaded once and reused until any of them changes (a version in Redis, see
 * commands/sharingVersion.ts); the decisions are made afresh, at `now`, every time.
 */
export async function loadConferenceBasis(props: LoadBasisProps): Promise<ConferenceBasis> {
  const now = props.now ?? new Date();
  const key = `${String(props.personId)}|${props.agencyIds ? props.agencyIds.map(String).sort().join(',') : '*'}`;
  const facts = await cachedFacts(key, () => loadFacts(props));
  return basisFromFacts({ chairAgencyId: String(props.chairAgencyId), ...facts, now });
}

/** The pure part: decisions over already-loaded facts. */
export function basisFromFacts(facts: {
  chairAgencyId: string;
  consents: ConsentEntry[];
  agreements: AgreementFacts[];
  decisions: DecisionFacts[];
  now: Date;
}): ConferenceBasis {
  const memo = new Map<string, SharingOutcome>();
  const outcome = (viewerAgencyId: string, authorAgencyId: string): SharingOutcome => {
    const key = `${viewerAgencyId}:${authorAgencyId}`;
    let found = memo.get(key);
    if (!found) {
      found = decide({
        viewer: { userId: '', agencyId: viewerAgencyId, roles: [] },
        purpose: CONFERENCE_PURPOSE,
        record: { id: `conference:${authorAgencyId}`, agencyId: authorAgencyId, categories: CONFERENCE_CATEGORIES, sensitiveFields: [] },
        consents: facts.consents,
        agreements: facts.agreements,
        decisions: facts.decisions,
        breakGlass: [],
        now: facts.now,
      });
      memo.set(key, found);
    }
    return found;
  };
  return {
    chairAgencyId: facts.chairAgencyId,
    outcome,
    allows: (viewer, author) => outcome(viewer, author).effect === 'allow',
    eligibility(agencyId, agencyName) {
      const o = outcome(agencyId, facts.chairAgencyId);
      if (o.effect === 'allow') return { eligible: true, outcome: o };
      return { eligible: false, code: o.code, reason: explain(o, agencyName) };
    },
    agreementIdsFor(agencyId) {
      const o = outcome(agencyId, facts.chairAgencyId);
      return o.effect === 'allow' && o.basis.kind === 'consent_and_agreement' ? [o.basis.agreementId] : [];
    },
  };
}

/** "No consent on file." → "no consent on file." */
function clause(reason: string): string {
  return /^[A-Z][a-z]/.test(reason) ? reason[0].toLowerCase() + reason.slice(1) : reason;
}

/** Why an agency cannot take part, in words an invite screen can show. */
export function explain(o: Exclude<SharingOutcome, { effect: 'allow' }>, agencyName: string): string {
  switch (o.code) {
    case 'no_agreement':
      return `${agencyName} is not party to an active sharing agreement covering risk panels.`;
    case 'agreement_category':
      return `${agencyName}'s sharing agreement does not cover risk information for risk panels.`;
    case 'no_consent':
      return 'No consent covers this agency: the person has not been asked.';
    case 'consent_scope':
    case 'consent_expired':
      return `No consent covers this agency: ${clause(o.reason)}`;
    default:
      return o.reason;
  }
}
