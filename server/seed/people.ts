/**
 * Synthetic people and encounters for the demo: a handful of people known to several agencies,
 * with realistic (invented) contacts, risk indicators and consent states. No real data.
 */
import { Types } from 'mongoose';
import { Agency } from '../models/Agency';
import { Consent } from '../models/Consent';
import { SharingAgreement } from '../models/SharingAgreement';
import { User } from '../models/User';
import { recordEncounter } from '../commands/encounterRecorder';
import { linkEncounter } from '../linkage/linkEncounter';
import type { EncounterInputType } from '../routes/encounters/schema';

type Subject = EncounterInputType['subject'];

interface DemoPerson {
  subject: Subject;
  /** [agency code, kind, days ago, risk category, level, categories] */
  contacts: [string, string, number, string, string, string[]][];
  consent?: 'given' | 'refused';
  safeAddress?: string;
}

const MH = ['demographics', 'mental_health', 'risk'];
const CJ = ['demographics', 'criminal_justice', 'risk'];
const PH = ['demographics', 'physical_health', 'risk'];

/** Invented people; NHS numbers are valid-format test numbers (999 range is never issued). */
export const DEMO_PEOPLE: DemoPerson[] = [
  {
    subject: { givenName: 'Jordan', familyName: 'Ashby', dateOfBirth: '1994-03-17', nhsNumber: '9990000026', postcode: 'NS1 4AB' },
    contacts: [
      ['POLICE', 's136_detention', 3, 'suicide', 'high', CJ],
      ['ED', 'ae_attendance', 3, 'self_harm', 'high', PH],
      ['HAVEN', 'safe_haven_visit', 9, 'mental_state', 'medium', MH],
      ['MHT', 'crisis_contact', 12, 'suicide', 'high', MH],
    ],
  },
  {
    subject: { givenName: 'Priya', familyName: 'Castell', dateOfBirth: '1987-11-02', nhsNumber: '9990000034', postcode: 'NS2 7QT' },
    contacts: [
      ['MHT', 'assessment', 20, 'self_neglect', 'medium', MH],
      ['HOUSING', 'housing_contact', 15, 'self_neglect', 'medium', ['demographics', 'housing']],
      ['AMB', 'ambulance_callout', 2, 'physical_health', 'high', PH],
    ],
    consent: 'given',
    safeAddress: 'Flat 3, 18 Hollin Lane (refuge)',
  },
  {
    subject: { givenName: 'Sam', familyName: "O'Rourke-Lee", dateOfBirth: '2001-06-25', postcode: 'NS3 1DX' },
    contacts: [
      ['POLICE', 'police_report', 40, 'exploitation', 'high', CJ],
      ['POLICE', 'police_report', 10, 'exploitation', 'high', CJ],
      ['ASC', 'safeguarding_concern', 8, 'exploitation', 'high', ['demographics', 'safeguarding', 'social_care']],
    ],
    consent: 'refused',
  },
  {
    subject: { givenName: 'Morgan', familyName: 'Whitfield', dateOfBirth: '1979-01-30', nhsNumber: '9990000042', postcode: 'NS1 9JJ' },
    contacts: [
      ['HAVEN', 'safe_haven_visit', 1, 'mental_state', 'medium', MH],
      ['HAVEN', 'safe_haven_visit', 5, 'mental_state', 'medium', MH],
      ['MHT', 'crisis_contact', 6, 'self_harm', 'medium', MH],
    ],
  },
];

/**
 * Seeds the agreement, people, encounters and consents; run once, after agencies and users, and
 * before any worker runs. Each record is linked at once with the link job's own command (one at a
 * time, so no lock is needed).
 */
export async function seedPeople(): Promise<number> {
  const agencies = await Agency.find({});
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  await SharingAgreement.create({
    title: 'Northshire Crisis Care Concordat information sharing agreement',
    parties: agencies.map((a) => a._id),
    purposes: ['direct_care', 'risk_panel', 'crisis_response', 'safeguarding'],
    categories: ['demographics', 'contact', 'risk', 'mental_health', 'physical_health', 'criminal_justice', 'housing', 'social_care', 'safeguarding'],
    lawfulBasis: { article6: '6(1)(e) public task', article9: '9(2)(h) health or social care' },
    validFrom: new Date(Date.UTC(2026, 0, 1)),
    validTo: new Date(Date.UTC(2028, 11, 31)),
    status: 'active',
  });
  const keyWorker = await User.findOne({ roles: 'key_worker' });
  let count = 0;
  for (const [i, p] of DEMO_PEOPLE.entries()) {
    let personId: Types.ObjectId | null = null;
    for (const [j, [code, kind, daysAgo, category, level, categories]] of p.contacts.entries()) {
      const agency = byCode.get(code);
      if (!agency) continue;
      const withSafeAddress = p.safeAddress && code === 'MHT';
      const { encounter } = await recordEncounter({
        agencyId: agency._id,
        source: 'user',
        createdBy: {},
        input: {
          externalRef: `DEMO-${i + 1}-${j + 1}`,
          occurredAt: new Date(Date.now() - daysAgo * 86_400_000 - j * 3_600_000),
          kind,
          subject: p.subject,
          riskIndicators: [{ category, level }],
          summary: `Synthetic ${kind.replace(/_/g, ' ')} record for the demo.`,
          categories: withSafeAddress ? [...categories, 'contact'] : categories,
          sensitive: withSafeAddress ? { safeAddress: p.safeAddress } : {},
        },
      });
      const linked = await linkEncounter({ encounterId: encounter._id });
      if (linked.personId) personId = new Types.ObjectId(linked.personId);
      count += 1;
    }
    if (p.consent && personId && keyWorker) {
      await Consent.create({
        personId,
        status: p.consent,
        scope: p.consent === 'given' ? { allPanel: true, agencies: [], purposes: ['direct_care', 'risk_panel', 'crisis_response'], categories: ['demographics', 'risk', 'mental_health', 'physical_health', 'housing'] } : { allPanel: false, agencies: [], purposes: [], categories: [] },
        evidence: p.consent === 'given' ? 'Signed consent form (demo)' : 'Declined when asked at assessment (demo)',
        recordedBy: keyWorker._id,
        recordedByAgency: keyWorker.agencyId,
        recordedAt: new Date(Date.now() - 30 * 86_400_000),
        expiresAt: p.consent === 'given' ? new Date(Date.now() + 335 * 86_400_000) : null,
      });
    }
  }
  return count;
}
