/**
 * Loads what the sharing module needs about one person, for one viewer, in a handful of queries
 * (once per page, not per record), and maps documents to the module's plain facts.
 */
import { trusted, type Types } from 'mongoose';
import { Consent, type ConsentDoc } from '../models/Consent';
import { SharingAgreement, type AgreementDoc } from '../models/SharingAgreement';
import { SharingDecision, type DecisionDoc } from '../models/SharingDecision';
import { BreakGlass } from '../models/BreakGlass';
import type { EncounterDoc } from '../models/Encounter';
import type { UserDoc } from '../models/User';
import {
  decide,
  type AgreementFacts,
  type BreakGlassGrant,
  type ConsentEntry,
  type DataCategoryId,
  type DecisionFacts,
  type PurposeId,
  type SensitiveFieldId,
  type SharingOutcome,
  type Viewer,
} from '../sharing';
import { sensitiveFieldsOf } from '../presenters/encounter';

/** Maps a consent (a document, or a plain object read with `lean`) to a history entry. */
export function consentFacts(c: Pick<ConsentDoc, '_id' | 'status' | 'scope' | 'recordedAt' | 'expiresAt' | 'recordedBy'>): ConsentEntry {
  return {
    id: String(c._id),
    status: c.status as ConsentEntry['status'],
    scope: {
      agencies: c.scope?.allPanel ? 'all_panel' : (c.scope?.agencies ?? []).map(String),
      purposes: (c.scope?.purposes ?? []) as PurposeId[],
      categories: (c.scope?.categories ?? []) as DataCategoryId[],
    },
    recordedAt: c.recordedAt,
    expiresAt: c.expiresAt ?? null,
    recordedBy: String(c.recordedBy),
  };
}

/** Maps an agreement document to facts. */
export function agreementFacts(a: AgreementDoc): AgreementFacts {
  return {
    id: a.id as string,
    parties: a.parties.map(String),
    purposes: a.purposes as PurposeId[],
    categories: a.categories as DataCategoryId[],
    lawfulBasis: [a.lawfulBasis?.article6, a.lawfulBasis?.article9].filter(Boolean).join('; '),
    validFrom: a.validFrom,
    validTo: a.validTo ?? null,
    status: a.status as AgreementFacts['status'],
  };
}

/** Maps a decision (a document, or a plain object read with `lean`) to facts. */
export function decisionFacts(d: Pick<DecisionDoc, '_id' | 'basis' | 'scope' | 'decidedAt' | 'expiresAt' | 'reviewAt' | 'status' | 'emergency' | 'signOff'>): DecisionFacts {
  return {
    id: String(d._id),
    basis: d.basis as DecisionFacts['basis'],
    scope: {
      agencies: (d.scope?.agencies ?? []).map(String),
      purposes: (d.scope?.purposes ?? []) as PurposeId[],
      categories: (d.scope?.categories ?? []) as DataCategoryId[],
      sensitiveFields: (d.scope?.sensitiveFields ?? []) as SensitiveFieldId[],
    },
    decidedAt: d.decidedAt,
    expiresAt: d.expiresAt,
    reviewAt: d.reviewAt,
    status: d.status as DecisionFacts['status'],
    emergency: d.emergency,
    signedOffAt: d.signOff?.at ?? null,
  };
}

/** The sharing basis around one person, as seen from one agency. */
export interface SharingContext {
  viewer: Viewer;
  purpose: PurposeId;
  consents: ConsentEntry[];
  agreements: AgreementFacts[];
  decisions: DecisionFacts[];
  breakGlass: BreakGlassGrant[];
  now: Date;
}

/** Loads the context for a viewer looking at a person for a purpose. */
export async function loadSharingContext(user: UserDoc, personId: Types.ObjectId, purpose: PurposeId, now = new Date()): Promise<SharingContext> {
  const [consents, agreements, decisions, grants] = await Promise.all([
    Consent.find({ personId }),
    SharingAgreement.find({ parties: user.agencyId, status: 'active' }),
    SharingDecision.find({ personId }),
    // Only the viewer's own live grants can open anything for them.
    BreakGlass.find({ personId, userId: user._id, expiresAt: trusted({ $gt: now }) }),
  ]);
  return {
    viewer: { userId: user.id as string, agencyId: String(user.agencyId), roles: [...user.roles] },
    purpose,
    consents: consents.map(consentFacts),
    agreements: agreements.map(agreementFacts),
    decisions: decisions.map(decisionFacts),
    breakGlass: grants.map((g): BreakGlassGrant => ({ id: g.id as string, userId: String(g.userId), expiresAt: g.expiresAt })),
    now,
  };
}

/** The sharing outcome for one encounter in a loaded context. */
export function decideEncounter(ctx: SharingContext, e: EncounterDoc): SharingOutcome {
  return decide({
    ...ctx,
    record: {
      id: e.id as string,
      agencyId: String(e.agencyId),
      categories: e.categories as DataCategoryId[],
      sensitiveFields: sensitiveFieldsOf(e) as SensitiveFieldId[],
    },
  });
}
