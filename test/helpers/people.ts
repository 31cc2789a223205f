/**
 * Builds a realistic multi-agency scene: agencies, an active sharing agreement between some of
 * them, and one person known to several of them through real encounters.
 */
import { Types } from 'mongoose';
import { buildAgency } from './factories';
import { SharingAgreement } from '../../server/models/SharingAgreement';
import { recordEncounter } from '../../server/commands/encounterRecorder';
import { linkEncounter } from '../../server/linkage/linkEncounter';
import { Encounter, type EncounterDoc } from '../../server/models/Encounter';
import type { AgencyDoc } from '../../server/models/Agency';
import type { EncounterInputType } from '../../server/routes/encounters/schema';

let n = 0;

/** An active, in-date agreement between the agencies. */
export async function buildAgreement(
  parties: AgencyDoc[],
  props: { purposes?: string[]; categories?: string[]; status?: 'draft' | 'active' | 'suspended' | 'ended'; validTo?: Date | null } = {},
) {
  return SharingAgreement.create({
    title: 'Crisis care information sharing agreement',
    parties: parties.map((a) => a._id),
    purposes: props.purposes ?? ['direct_care', 'risk_panel', 'crisis_response', 'safeguarding'],
    categories: props.categories ?? ['demographics', 'contact', 'risk', 'mental_health', 'criminal_justice', 'physical_health'],
    lawfulBasis: { article6: '6(1)(e) public task', article9: '9(2)(h) health or social care' },
    validFrom: new Date(Date.now() - 86_400_000),
    validTo: props.validTo === undefined ? new Date(Date.now() + 365 * 86_400_000) : props.validTo,
    status: props.status ?? 'active',
  });
}

/**
 * An encounter about the given subject, stored for an agency through the real command and left
 * unlinked (`pending`), as an agency system's send leaves it: a quiet crisis contact from a
 * minute further back each time, unless `props` says otherwise.
 */
export async function storeEncounter(agency: AgencyDoc, subject: EncounterInputType['subject'], props: Partial<EncounterInputType> = {}, source: 'api' | 'user' = 'api') {
  n += 1;
  const { encounter } = await recordEncounter({
    agencyId: agency._id as Types.ObjectId,
    source,
    createdBy: {},
    input: {
      externalRef: `ENC-${Date.now()}-${n}`,
      occurredAt: new Date(Date.now() - n * 60_000),
      kind: 'crisis_contact',
      subject,
      riskIndicators: [],
      categories: ['demographics', 'risk'],
      sensitive: {},
      ...props,
    },
  });
  return encounter;
}

/**
 * An encounter about the given subject, recorded for an agency through the real command and
 * linked at once by the link job's own command (as the worker would).
 */
export async function buildEncounter(agency: AgencyDoc, subject: EncounterInputType['subject'], props: Partial<EncounterInputType> = {}) {
  const encounter = await storeEncounter(
    agency,
    subject,
    {
      externalRef: `SCN-${Date.now()}-${n + 1}`,
      occurredAt: new Date(Date.now() - (n + 1) * 3_600_000),
      riskIndicators: [{ category: 'self_harm', level: 'high' }],
      summary: `Contact ${n + 1}`,
      categories: ['demographics', 'mental_health', 'risk'],
      ...props,
    },
    'user',
  );
  await linkEncounter({ encounterId: encounter._id });
  return (await Encounter.findById(encounter._id)) as EncounterDoc;
}

/** Waits until the link job has placed the encounter (started with `workers: true`); returns it. */
export async function waitLinked(encounterId: unknown, ms = 15_000): Promise<EncounterDoc> {
  const end = Date.now() + ms;
  for (;;) {
    const e = await Encounter.findById(String(encounterId));
    if (e && e.link?.status !== 'pending') return e;
    if (Date.now() > end) throw new Error(`encounter ${String(encounterId)} not linked within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Police, mental-health trust and A&E under one agreement; housing outside it. */
export async function buildScene() {
  const police = await buildAgency({ kind: 'police', name: 'Police' });
  const trust = await buildAgency({ kind: 'mental_health', name: 'Mental Health Trust' });
  const ae = await buildAgency({ kind: 'acute', name: 'A&E' });
  const housing = await buildAgency({ kind: 'housing', name: 'Housing' });
  const agreement = await buildAgreement([police, trust, ae]);
  return { police, trust, ae, housing, agreement };
}
