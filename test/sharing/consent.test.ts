import { domainConfig } from '../../config/domain';
import {
  CONSENT_STATUSES,
  DATA_CATEGORIES,
  PURPOSES,
  SENSITIVE_FIELDS,
  consentGap,
  effectiveConsent,
  offeredBases,
  type ConsentEntry,
  type EffectiveConsentState,
} from '../../server/sharing';

const NOW = new Date('2025-06-01T02:00:00Z');
const at = (iso: string) => new Date(iso);

let seq = 0;
function entry(status: ConsentEntry['status'], recordedAt: string, overrides: Partial<ConsentEntry> = {}): ConsentEntry {
  seq += 1;
  return {
    id: `consent-${seq}`,
    status,
    scope: { agencies: 'all_panel', purposes: ['direct_care'], categories: ['risk'] },
    recordedAt: at(recordedAt),
    expiresAt: null,
    recordedBy: 'user-key-worker',
    ...overrides,
  };
}

describe('effectiveConsent', () => {
  it('is not_asked with no entry when the history is empty', () => {
    expect(effectiveConsent([], NOW)).toEqual({ state: 'not_asked', entry: null });
  });

  it.each(CONSENT_STATUSES)('reports a single unexpired %s entry as it was recorded', (status) => {
    const only = entry(status, '2025-05-01T00:00:00Z');
    expect(effectiveConsent([only], NOW)).toEqual({ state: status, entry: only });
  });

  it('lets the latest entry win: given, then withdrawn, is withdrawn', () => {
    const given = entry('given', '2025-01-01T00:00:00Z');
    const withdrawn = entry('withdrawn', '2025-03-01T00:00:00Z');
    expect(effectiveConsent([given, withdrawn], NOW)).toEqual({ state: 'withdrawn', entry: withdrawn });
  });

  it('orders by recordedAt, not by position in the history', () => {
    const withdrawn = entry('withdrawn', '2025-01-01T00:00:00Z');
    const given = entry('given', '2025-03-01T00:00:00Z');
    expect(effectiveConsent([given, withdrawn], NOW)).toEqual({ state: 'given', entry: given });
  });

  it('breaks a tie on recordedAt in favour of the entry appended last', () => {
    const first = entry('given', '2025-03-01T00:00:00Z');
    const second = entry('refused', '2025-03-01T00:00:00Z');
    expect(effectiveConsent([first, second], NOW).entry).toBe(second);
  });

  it('ignores entries recorded after now, so a past moment can be replayed', () => {
    const given = entry('given', '2025-05-01T00:00:00Z');
    const later = entry('withdrawn', '2025-07-01T00:00:00Z');
    expect(effectiveConsent([given, later], NOW)).toEqual({ state: 'given', entry: given });
    expect(effectiveConsent([later], NOW)).toEqual({ state: 'not_asked', entry: null });
  });

  it('is expired, with the entry, once expiresAt has passed', () => {
    const lapsed = entry('given', '2024-01-01T00:00:00Z', { expiresAt: at('2025-05-31T00:00:00Z') });
    expect(effectiveConsent([lapsed], NOW)).toEqual({ state: 'expired', entry: lapsed });
  });

  it('treats expiresAt as the first instant it no longer holds', () => {
    const edge = entry('given', '2024-01-01T00:00:00Z', { expiresAt: NOW });
    expect(effectiveConsent([edge], NOW).state).toBe('expired');
    expect(effectiveConsent([edge], new Date(NOW.getTime() - 1)).state).toBe('given');
  });

  it('does not revive an older unexpired entry when the latest has expired', () => {
    const older = entry('given', '2024-01-01T00:00:00Z');
    const latest = entry('given', '2025-01-01T00:00:00Z', { expiresAt: at('2025-05-01T00:00:00Z') });
    expect(effectiveConsent([older, latest], NOW)).toEqual({ state: 'expired', entry: latest });
  });
});

describe('offeredBases', () => {
  const always = ['safeguarding', 'prevent_serious_harm', 'legal_obligation'];
  const table: [EffectiveConsentState, string[]][] = [
    ['refused', always],
    ['withdrawn', always],
    ['not_asked', ['vital_interests', ...always]],
    ['expired', ['vital_interests', ...always]],
    ['lacks_capacity', ['vital_interests', ...always]],
    ['given', ['vital_interests', ...always]],
  ];

  it.each(table)('offers these bases when consent is %s', (state, bases) => {
    expect([...offeredBases(state)].sort()).toEqual([...bases].sort());
  });

  it('never offers vital interests against a refusal by a person with capacity', () => {
    expect(offeredBases('refused')).not.toContain('vital_interests');
    expect(offeredBases('withdrawn')).not.toContain('vital_interests');
  });
});

describe('consentGap', () => {
  const sharing = { viewerAgencyId: 'agency-police', viewerIsParty: true, purpose: 'direct_care' as const, categories: ['risk' as const] };

  it('finds no gap when the scope covers agency, purpose and categories', () => {
    expect(consentGap(entry('given', '2025-01-01T00:00:00Z'), sharing)).toBeNull();
  });

  it('lets all_panel cover only agencies party to the agreement relied on', () => {
    expect(consentGap(entry('given', '2025-01-01T00:00:00Z'), { ...sharing, viewerIsParty: false })).toEqual({ kind: 'agency' });
  });

  it('names the missing agency, purpose or categories', () => {
    const listed = entry('given', '2025-01-01T00:00:00Z', {
      scope: { agencies: ['agency-ambulance'], purposes: ['direct_care'], categories: ['risk'] },
    });
    expect(consentGap(listed, sharing)).toEqual({ kind: 'agency' });
    expect(consentGap(entry('given', '2025-01-01T00:00:00Z'), { ...sharing, purpose: 'risk_panel' })).toEqual({
      kind: 'purpose',
      purpose: 'risk_panel',
    });
    expect(consentGap(entry('given', '2025-01-01T00:00:00Z'), { ...sharing, categories: ['risk', 'housing', 'contact'] })).toEqual({
      kind: 'category',
      categories: ['housing', 'contact'],
    });
  });
});

describe('sharing vocabulary', () => {
  // The sharing types name taxonomy ids as literal unions; they must not drift from the data.
  const taxonomy = domainConfig().taxonomy;

  it('matches the taxonomy purposes, data categories and sensitive fields', () => {
    expect([...PURPOSES].sort()).toEqual(taxonomy.purposes.map((p) => p.id).sort());
    expect([...DATA_CATEGORIES].sort()).toEqual(taxonomy.dataCategories.map((c) => c.id).sort());
    expect([...SENSITIVE_FIELDS].sort()).toEqual(taxonomy.sensitiveFields.map((f) => f.id).sort());
  });
});
