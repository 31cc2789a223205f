import {
  SHARING_CODES,
  decide,
  summariseWithheld,
  type AgreementFacts,
  type AllowOutcome,
  type ConsentEntry,
  type DenyOutcome,
  type RedactCode,
  type RedactOutcome,
  type Remedy,
  type DecisionFacts,
  type SensitiveFieldId,
  type SharingCode,
  type SharingInput,
  type SharingOutcome,
} from '../../server/sharing';

// A police officer (viewer) looks at the mental-health trust's record of a crisis contact.
const POLICE = 'agency-police';
const TRUST = 'agency-trust';
const HOUSING = 'agency-housing';
const NOW = new Date('2025-06-01T02:00:00Z');
const DAY = 86_400_000;
const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY);

function consent(status: ConsentEntry['status'], overrides: Partial<ConsentEntry> = {}): ConsentEntry {
  return {
    id: 'consent-1',
    status,
    scope: { agencies: 'all_panel', purposes: ['crisis_response'], categories: ['risk', 'mental_health'] },
    recordedAt: daysFromNow(-30),
    expiresAt: daysFromNow(335),
    recordedBy: 'user-key-worker',
    ...overrides,
  };
}

function agreement(overrides: Partial<AgreementFacts> = {}): AgreementFacts {
  return {
    id: 'agr-1',
    parties: [POLICE, TRUST, HOUSING],
    purposes: ['crisis_response', 'direct_care'],
    categories: ['risk', 'mental_health', 'contact'],
    lawfulBasis: 'Art 6(1)(e); Art 9(2)(h)',
    validFrom: daysFromNow(-365),
    validTo: daysFromNow(365),
    status: 'active',
    ...overrides,
  };
}

function decision(overrides: Partial<DecisionFacts> = {}): DecisionFacts {
  return {
    id: 'dec-1',
    basis: 'safeguarding',
    scope: { agencies: [POLICE], purposes: ['crisis_response'], categories: ['risk', 'mental_health'], sensitiveFields: ['new_phone'] },
    decidedAt: daysFromNow(-2),
    expiresAt: daysFromNow(28),
    reviewAt: daysFromNow(14),
    status: 'active',
    emergency: false,
    signedOffAt: daysFromNow(-1),
    ...overrides,
  };
}

function input(overrides: Partial<SharingInput> = {}): SharingInput {
  return {
    viewer: { userId: 'user-officer', agencyId: POLICE, roles: ['practitioner'] },
    purpose: 'crisis_response',
    record: { id: 'enc-1', agencyId: TRUST, categories: ['risk', 'mental_health'], sensitiveFields: [] },
    consents: [consent('given')],
    agreements: [agreement()],
    decisions: [],
    breakGlass: [],
    now: NOW,
    ...overrides,
  };
}

/** What a practitioner should read for each code: each reason must say this much. */
const REASONS: Record<SharingCode, RegExp> = {
  own_agency: /own record/,
  consent_and_agreement: /consent under a data-sharing agreement/,
  decision: /recorded decision/,
  break_glass: /break-glass/,
  no_consent: /^No consent on file for sharing with your agency/,
  consent_refused: /refused consent/,
  consent_withdrawn: /withdrew consent/,
  consent_expired: /consent expired on \d{4}-\d\d-\d\d/,
  consent_scope: /consent does not/,
  lacks_capacity: /lacks capacity/,
  agreement_category: /does not cover mental health data/,
  decision_unsigned: /awaiting IG lead sign-off/,
  decision_expired: /decision .* has expired/,
  decision_basis: /vital-interests decision cannot override/,
  no_agreement: /No active data-sharing agreement/,
};

/** An outcome without its free-text reason: what the table states exactly. */
type Expected = Omit<AllowOutcome, 'reason'> | Omit<RedactOutcome, 'reason'> | Omit<DenyOutcome, 'reason'>;

/** Splits an outcome into its reason and the rest, checking the reason reads right for its code. */
function withoutReason(outcome: SharingOutcome): Expected {
  const { reason, ...rest } = outcome;
  expect(reason).toMatch(REASONS[outcome.code]);
  return rest;
}

// ---- The table -----------------------------------------------------------------------------

const CONSENT = ['given', 'refused', 'withdrawn', 'expired', 'not_asked', 'lacks_capacity'] as const;
const AGREEMENT = ['present', 'absent', 'expired', 'wrong_purpose', 'wrong_category'] as const;
const DECISION = ['none', 'signed', 'expired', 'unsigned', 'emergency_unsigned', 'vital_interests'] as const;
type ConsentCase = (typeof CONSENT)[number];
type AgreementCase = (typeof AGREEMENT)[number];
type DecisionCase = (typeof DECISION)[number];

function consentsFor(c: ConsentCase): ConsentEntry[] {
  if (c === 'not_asked') return [];
  if (c === 'expired') return [consent('given', { expiresAt: daysFromNow(-1) })];
  return [consent(c)];
}

function agreementsFor(a: AgreementCase): AgreementFacts[] {
  switch (a) {
    case 'present':
      return [agreement()];
    case 'absent':
      return [];
    case 'expired':
      return [agreement({ validTo: daysFromNow(-1) })];
    case 'wrong_purpose':
      return [agreement({ purposes: ['service_planning'] })];
    case 'wrong_category':
      return [agreement({ categories: ['risk', 'contact'] })];
  }
}

function decisionsFor(d: DecisionCase): DecisionFacts[] {
  switch (d) {
    case 'none':
      return [];
    case 'signed':
      return [decision()];
    case 'expired':
      return [decision({ expiresAt: daysFromNow(-1) })];
    case 'unsigned':
      return [decision({ status: 'pending_signoff', signedOffAt: null })];
    case 'emergency_unsigned':
      return [decision({ status: 'pending_signoff', signedOffAt: null, emergency: true })];
    case 'vital_interests':
      return [decision({ basis: 'vital_interests' })];
  }
}

/** The record carries no sensitive field, or a safe address and a new phone (decisions list only the phone). */
const SENSITIVE: SensitiveFieldId[][] = [[], ['safe_address', 'new_phone']];

/**
 * The expectation rule, written from DESIGN.md §5 in terms of the cases, not the code:
 * consent+agreement first, then a decision in effect, else redact if an agreement in force links
 * the agencies for the purpose (most specific reason first), else deny. Sensitive fields are
 * withheld unless a decision in effect lists them (the test decisions list `new_phone` only).
 */
function expected(c: ConsentCase, a: AgreementCase, d: DecisionCase, sensitive: SensitiveFieldId[]): Expected {
  const refusedWithCapacity = c === 'refused' || c === 'withdrawn';
  const decisionOpens = d === 'signed' || d === 'emergency_unsigned' || (d === 'vital_interests' && !refusedWithCapacity);
  const withheldFields = decisionOpens ? sensitive.filter((f) => f !== 'new_phone') : sensitive;
  const releasedByEmergency = d === 'emergency_unsigned' && sensitive.includes('new_phone');
  const basis = d === 'vital_interests' ? 'vital_interests' : 'safeguarding';

  if (a === 'present' && c === 'given') {
    return {
      effect: 'allow',
      code: 'consent_and_agreement',
      basis: { kind: 'consent_and_agreement', agreementId: 'agr-1', consentId: 'consent-1' },
      withheldFields,
      flagged: releasedByEmergency,
    };
  }
  if (decisionOpens) {
    return {
      effect: 'allow',
      code: 'decision',
      basis: { kind: 'decision', decisionId: 'dec-1', basis },
      withheldFields,
      flagged: d === 'emergency_unsigned',
    };
  }
  if (a !== 'present' && a !== 'wrong_category') return { effect: 'deny', code: 'no_agreement' };

  const [code, remedy]: [RedactCode, Remedy] =
    d === 'vital_interests' ? ['decision_basis', 'request_decision']
    : d === 'unsigned' ? ['decision_unsigned', 'request_decision']
    : d === 'expired' ? ['decision_expired', 'request_decision']
    : c === 'refused' ? ['consent_refused', 'request_decision']
    : c === 'withdrawn' ? ['consent_withdrawn', 'request_decision']
    : c === 'lacks_capacity' ? ['lacks_capacity', 'request_decision']
    : a === 'wrong_category' ? ['agreement_category', 'agreement_needed']
    : c === 'not_asked' ? ['no_consent', 'seek_consent']
    : c === 'expired' ? ['consent_expired', 'renew_consent']
    : unreachable(`consent ${c} with agreement ${a} is allowed above`);
  return { effect: 'redact', code, remedy };
}

function unreachable(why: string): never {
  throw new Error(why);
}

const TABLE = CONSENT.flatMap((c) =>
  AGREEMENT.flatMap((a) =>
    DECISION.flatMap((d) =>
      SENSITIVE.map((sensitive) => ({
        name: `consent ${c}, agreement ${a}, decision ${d}, ${sensitive.length ? 'sensitive fields' : 'no sensitive field'}`,
        input: input({
          record: { id: 'enc-1', agencyId: TRUST, categories: ['risk', 'mental_health'], sensitiveFields: sensitive },
          consents: consentsFor(c),
          agreements: agreementsFor(a),
          decisions: decisionsFor(d),
        }),
        expected: expected(c, a, d, sensitive),
      })),
    ),
  ),
);

describe('decide: consent × agreement × decision × sensitive field', () => {
  it('covers every combination, and every outcome code the table can reach', () => {
    expect(TABLE).toHaveLength(6 * 5 * 6 * 2);
    const codes = new Set(TABLE.map((row) => row.expected.code));
    expect(codes).toEqual(
      new Set(['consent_and_agreement', 'decision', 'no_agreement', 'decision_basis', 'decision_unsigned', 'decision_expired',
        'consent_refused', 'consent_withdrawn', 'lacks_capacity', 'agreement_category', 'no_consent', 'consent_expired']),
    );
  });

  it.each(TABLE)('$name → $expected.effect ($expected.code)', ({ input: facts, expected: outcome }) => {
    expect(withoutReason(decide(facts))).toEqual(outcome);
  });
});

// ---- Targeted rules -------------------------------------------------------------------------

describe('decide: own agency', () => {
  it('always allows the viewer’s own agency, sensitive fields included, whatever else is on file', () => {
    const outcome = decide(
      input({
        record: { id: 'enc-1', agencyId: POLICE, categories: ['criminal_justice'], sensitiveFields: ['safe_address', 'domestic_abuse_disclosure'] },
        consents: [consent('refused')],
        agreements: [],
      }),
    );
    expect(withoutReason(outcome)).toEqual({ effect: 'allow', code: 'own_agency', basis: { kind: 'own_agency' }, withheldFields: [], flagged: false });
  });
});

describe('decide: consent scope', () => {
  it.each([
    ['another agency', { agencies: [HOUSING] }, /does not include your agency/],
    ['another purpose', { purposes: ['direct_care' as const] }, /does not cover crisis response/],
    ['too few categories', { categories: ['risk' as const] }, /does not cover mental health data/],
  ])('redacts with consent_scope when consent names %s', (_, scope, reason) => {
    const given = consent('given');
    const outcome = decide(input({ consents: [{ ...given, scope: { ...given.scope, ...scope } }] }));
    expect(outcome).toEqual({ effect: 'redact', code: 'consent_scope', remedy: 'seek_consent', reason: expect.stringMatching(reason) });
  });

  it('allows when consent lists the viewer’s agency by id', () => {
    const outcome = decide(input({ consents: [consent('given', { scope: { agencies: [POLICE], purposes: ['crisis_response'], categories: ['risk', 'mental_health'] } })] }));
    expect(outcome.code).toBe('consent_and_agreement');
  });

  it('lets all_panel consent reach any agency party to the agreement, and only through one', () => {
    const consents = [consent('given', { scope: { agencies: 'all_panel', purposes: ['crisis_response'], categories: ['risk', 'mental_health'] } })];
    const housingViewer = { userId: 'user-housing', agencyId: HOUSING, roles: ['practitioner'] };
    expect(decide(input({ consents, viewer: housingViewer })).code).toBe('consent_and_agreement');
    const twoParty = [agreement({ parties: [POLICE, TRUST] })];
    expect(decide(input({ consents, viewer: housingViewer, agreements: twoParty })).effect).toBe('deny');
  });
});

describe('decide: agreements', () => {
  it.each([
    ['suspended', agreement({ status: 'suspended' })],
    ['draft', agreement({ status: 'draft' })],
    ['not yet valid', agreement({ validFrom: daysFromNow(1) })],
    ['between other agencies', agreement({ parties: [POLICE, HOUSING] })],
  ])('denies when the only agreement is %s', (_, only) => {
    expect(decide(input({ agreements: [only] }))).toEqual({ effect: 'deny', code: 'no_agreement', reason: expect.stringMatching(REASONS.no_agreement) });
  });

  it('counts an agreement on the last instant of validTo, and an open-ended one', () => {
    expect(decide(input({ agreements: [agreement({ validTo: NOW })] })).effect).toBe('allow');
    expect(decide(input({ agreements: [agreement({ validTo: null })] })).effect).toBe('allow');
    expect(decide(input({ agreements: [agreement({ validTo: new Date(NOW.getTime() - 1) })] })).effect).toBe('deny');
  });

  it('names every category the agreement misses', () => {
    const outcome = decide(input({ agreements: [agreement({ categories: ['contact'] })] }));
    expect(outcome).toEqual({ effect: 'redact', code: 'agreement_category', remedy: 'agreement_needed', reason: expect.stringContaining('risk, mental health data') });
  });
});

describe('decide: decisions', () => {
  const noBasis = { consents: [consent('refused')] };

  it.each([
    ['rejected', decision({ status: 'rejected' })],
    ['revoked', decision({ status: 'revoked' })],
    ['for another agency', decision({ scope: { ...decision().scope, agencies: [HOUSING] } })],
    ['for another purpose', decision({ scope: { ...decision().scope, purposes: ['risk_panel'] } })],
    ['missing a category', decision({ scope: { ...decision().scope, categories: ['risk'] } })],
  ])('does not open a record with a decision %s', (_, d) => {
    expect(decide(input({ ...noBasis, decisions: [d] }))).toMatchObject({ effect: 'redact', code: 'consent_refused' });
  });

  it('stops holding at expiresAt', () => {
    expect(decide(input({ ...noBasis, decisions: [decision({ expiresAt: new Date(NOW.getTime() + 1) })] })).effect).toBe('allow');
    expect(decide(input({ ...noBasis, decisions: [decision({ expiresAt: NOW })] })).code).toBe('decision_expired');
  });

  it('opens a record without any agreement', () => {
    expect(decide(input({ ...noBasis, agreements: [], decisions: [decision()] })).code).toBe('decision');
  });

  it('denies rather than redacts when an unsigned decision exists but no agreement links the agencies', () => {
    expect(decide(input({ ...noBasis, agreements: [], decisions: [decision({ status: 'pending_signoff' })] })).effect).toBe('deny');
  });

  it('prefers a signed-off decision to an emergency one, so the view is not flagged', () => {
    const emergency = decision({ id: 'dec-emergency', status: 'pending_signoff', emergency: true, signedOffAt: null, decidedAt: daysFromNow(-1) });
    const signed = decision({ id: 'dec-signed', decidedAt: daysFromNow(-5) });
    expect(decide(input({ ...noBasis, decisions: [emergency, signed] }))).toMatchObject({
      basis: { kind: 'decision', decisionId: 'dec-signed' },
      flagged: false,
    });
  });

  it.each(['refused', 'withdrawn'] as const)('never lets vital interests override consent %s, even with a live agreement', (status) => {
    expect(decide(input({ consents: [consent(status)], decisions: [decision({ basis: 'vital_interests' })] }))).toMatchObject({
      effect: 'redact',
      code: 'decision_basis',
      remedy: 'request_decision',
    });
  });

  it('lets vital interests open a record when consent does not reach this sharing', () => {
    const narrow = consent('given', { scope: { agencies: [HOUSING], purposes: ['crisis_response'], categories: ['risk', 'mental_health'] } });
    expect(decide(input({ consents: [narrow], decisions: [decision({ basis: 'vital_interests' })] })).code).toBe('decision');
  });
});

describe('decide: sensitive fields', () => {
  const record = { id: 'enc-1', agencyId: TRUST, categories: ['risk' as const, 'contact' as const], sensitiveFields: ['safe_address', 'new_phone', 'domestic_abuse_disclosure'] as SensitiveFieldId[] };
  const consents = [consent('given', { scope: { agencies: 'all_panel', purposes: ['crisis_response'], categories: ['risk', 'contact'] } })];
  const releasing = (fields: SensitiveFieldId[], overrides: Partial<DecisionFacts> = {}) =>
    decision({ scope: { agencies: [POLICE], purposes: ['crisis_response'], categories: ['risk', 'contact'], sensitiveFields: fields }, ...overrides });

  it('withholds every sensitive field shared by consent alone', () => {
    expect(decide(input({ record, consents }))).toMatchObject({ effect: 'allow', withheldFields: ['safe_address', 'new_phone', 'domestic_abuse_disclosure'] });
  });

  it('names withheld fields in the reason', () => {
    expect(decide(input({ record, consents })).reason).toMatch(/Withheld: safe address, new phone, domestic abuse disclosure/);
  });

  it('releases only the fields a decision in effect lists', () => {
    expect(decide(input({ record, consents, decisions: [releasing(['safe_address'])] }))).toMatchObject({
      basis: { kind: 'consent_and_agreement' },
      withheldFields: ['new_phone', 'domestic_abuse_disclosure'],
      flagged: false,
    });
  });

  it('releases nothing on a decision awaiting sign-off or expired', () => {
    for (const d of [releasing(['safe_address'], { status: 'pending_signoff' }), releasing(['safe_address'], { expiresAt: NOW })]) {
      expect(decide(input({ record, consents, decisions: [d] }))).toMatchObject({ withheldFields: ['safe_address', 'new_phone', 'domestic_abuse_disclosure'] });
    }
  });

  it('flags a field released only by an unsigned emergency decision', () => {
    const emergency = releasing(['safe_address'], { status: 'pending_signoff', emergency: true, signedOffAt: null });
    expect(decide(input({ record, consents, decisions: [emergency] }))).toMatchObject({ basis: { kind: 'consent_and_agreement' }, withheldFields: ['new_phone', 'domestic_abuse_disclosure'], flagged: true });
  });

  it('withholds every sensitive field under break-glass', () => {
    const grant = { id: 'bg-1', userId: 'user-officer', expiresAt: daysFromNow(1) };
    expect(decide(input({ record, consents: [], breakGlass: [grant] }))).toMatchObject({ basis: { kind: 'break_glass' }, withheldFields: ['safe_address', 'new_phone', 'domestic_abuse_disclosure'] });
  });
});

describe('decide: break-glass', () => {
  const grant = (overrides: { userId?: string; expiresAt?: Date } = {}) => ({ id: 'bg-1', userId: 'user-officer', expiresAt: daysFromNow(1 / 24), ...overrides });

  it('allows and flags a live grant for this viewer, even against a refusal and with no agreement', () => {
    const outcome = decide(input({ consents: [consent('refused')], agreements: [], breakGlass: [grant()] }));
    expect(withoutReason(outcome)).toEqual({ effect: 'allow', code: 'break_glass', basis: { kind: 'break_glass', grantId: 'bg-1' }, withheldFields: [], flagged: true });
  });

  it('ignores an expired grant', () => {
    expect(decide(input({ consents: [], breakGlass: [grant({ expiresAt: NOW })] })).code).toBe('no_consent');
  });

  it('ignores another user’s grant', () => {
    expect(decide(input({ consents: [], breakGlass: [grant({ userId: 'user-colleague' })] })).code).toBe('no_consent');
  });

  it('is not needed, and so not flagged, when consent already opens the record', () => {
    expect(decide(input({ breakGlass: [grant()] }))).toMatchObject({ code: 'consent_and_agreement', flagged: false });
  });
});

describe('decide: consent history', () => {
  it('uses the latest entry: given then withdrawn is withdrawn', () => {
    const history = [consent('given', { id: 'c-given', recordedAt: daysFromNow(-30) }), consent('withdrawn', { id: 'c-withdrawn', recordedAt: daysFromNow(-1) })];
    expect(decide(input({ consents: history }))).toMatchObject({ effect: 'redact', code: 'consent_withdrawn', remedy: 'request_decision' });
  });

  it('uses the latest entry: withdrawn then given again is given', () => {
    const history = [consent('withdrawn', { id: 'c-withdrawn', recordedAt: daysFromNow(-30) }), consent('given', { id: 'c-given', recordedAt: daysFromNow(-1) })];
    expect(decide(input({ consents: history }))).toMatchObject({ basis: { kind: 'consent_and_agreement', consentId: 'c-given' } });
  });
});

describe('decide: codes', () => {
  it('exports every code the module can return', () => {
    expect(Object.values(SHARING_CODES).sort()).toEqual(Object.keys(REASONS).sort());
  });

  it('is pure: the same facts give the same answer, and the input is not changed', () => {
    const facts = input({ decisions: [decision(), decision({ id: 'dec-2', status: 'pending_signoff', emergency: true })] });
    const copy = structuredClone(facts);
    expect(decide(facts)).toEqual(decide(copy));
    expect(facts).toEqual(copy);
  });
});

// ---- Timeline markers -----------------------------------------------------------------------

describe('summariseWithheld', () => {
  const noConsent = decide(input({ consents: [] }));
  const refused = decide(input({ consents: [consent('refused')] }));
  const denied = decide(input({ agreements: [] }));
  const allowed = decide(input());

  it('groups redacted records per agency and reason, and leaves out denied and allowed ones', () => {
    const markers = summariseWithheld([
      { agencyName: 'Police', outcome: noConsent },
      { agencyName: 'Police', outcome: denied },
      { agencyName: 'Police', outcome: noConsent },
      { agencyName: 'Police', outcome: refused },
      { agencyName: 'Housing', outcome: noConsent },
      { agencyName: 'Housing', outcome: allowed },
    ]);
    expect(markers).toEqual([
      { agencyName: 'Police', count: 2, code: 'no_consent', remedy: 'seek_consent', reason: noConsent.reason, text: '2 Police records withheld: no consent on file for sharing with your agency' },
      { agencyName: 'Police', count: 1, code: 'consent_refused', remedy: 'request_decision', reason: refused.reason, text: expect.stringMatching(/^1 Police record withheld: the person refused consent/) },
      { agencyName: 'Housing', count: 1, code: 'no_consent', remedy: 'seek_consent', reason: noConsent.reason, text: '1 Housing record withheld: no consent on file for sharing with your agency' },
    ]);
  });

  it('says nothing when only denied records are withheld', () => {
    expect(summariseWithheld([{ agencyName: 'Police', outcome: denied }])).toEqual([]);
  });
});
