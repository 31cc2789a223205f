import { domainConfig, type AgencyKind, type AlertRule, type AlertRulesConfig } from '../../config/domain';
import { evaluateRules, lookbackStart, type RuleEncounter } from '../../server/alerts/rules';

const { taxonomy, alertRules: shipped } = domainConfig();
const DAY = 86_400_000;
const NOW = new Date('2025-06-15T12:00:00.000Z');

/** The shipped rule with this id (cloned, so a test may change it). */
function shippedRule(id: string): AlertRule {
  const rule = shipped.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no shipped rule ${id}`);
  return structuredClone(rule) as AlertRule;
}

/** A rules file holding only these rules. */
function only(...rules: AlertRule[]): AlertRulesConfig {
  return { version: shipped.version, rules };
}

let seq = 0;
function enc(props: Partial<RuleEncounter> & { at: Date | number }): RuleEncounter {
  const { at, ...rest } = props;
  return {
    id: `e${++seq}`,
    agencyId: 'police-1',
    agencyKind: 'police',
    kind: 'other',
    riskIndicators: [],
    ...rest,
    occurredAt: typeof at === 'number' ? new Date(NOW.getTime() - at) : at,
  };
}

/** An offset before NOW, in ms (negative = after NOW). */
const ago = (ms: number) => ms;

// Level ids come from the shipped taxonomy, ranked.
const ranked = [...taxonomy.levels].sort((a, b) => a.rank - b.rank);
const highRule = shippedRule('high_risk_plus_other_agency_7d');
if (highRule.condition.kind !== 'high_risk_plus_other_agency') throw new Error('unexpected shipped rule');
const MIN_LEVEL = highRule.condition.minLevel;
const WITHIN_DAYS = highRule.condition.withinDays;
const minRank = ranked.find((l) => l.id === MIN_LEVEL)!.rank;
const BELOW_MIN = [...ranked].reverse().find((l) => l.rank < minRank)!.id;
const TOP_LEVEL = ranked[ranked.length - 1].id;

const crisisRule = shippedRule('repeat_crisis_14d');
if (crisisRule.condition.kind !== 'encounter_count') throw new Error('unexpected shipped rule');
const CRISIS_KINDS = crisisRule.condition.encounterKinds;
const NON_CRISIS_KINDS = taxonomy.encounterKinds.map((k) => k.id).filter((k) => !CRISIS_KINDS.includes(k));

describe('distinct_agencies (multi_agency_30d)', () => {
  const rule = shippedRule('multi_agency_30d');
  const config = only(rule);

  it('does not fire for 2 agencies and fires for 3', () => {
    const two = [enc({ agencyId: 'a', at: ago(DAY) }), enc({ agencyId: 'b', at: ago(2 * DAY) }), enc({ agencyId: 'a', at: ago(3 * DAY) })];
    expect(evaluateRules(config, two, NOW, taxonomy)).toEqual([]);
    const three = [...two, enc({ agencyId: 'c', at: ago(4 * DAY) })];
    const hits = evaluateRules(config, three, NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ ruleId: 'multi_agency_30d', severity: rule.severity, ruleVersion: shipped.version });
    expect(hits[0].evidence).toEqual(three.map((e) => e.id));
    expect(hits[0].agencyIds).toEqual(['a', 'b', 'c']);
  });

  it('includes an encounter exactly 30 days ago and excludes one 30 days + 1 ms ago', () => {
    const recent = [enc({ agencyId: 'a', at: ago(0) }), enc({ agencyId: 'b', at: ago(10 * DAY) })];
    const edge = enc({ agencyId: 'c', at: ago(30 * DAY) });
    const hit = evaluateRules(config, [...recent, edge], NOW, taxonomy);
    expect(hit).toHaveLength(1);
    expect(hit[0].firstAt).toEqual(new Date('2025-05-16T12:00:00.000Z'));
    expect(hit[0].lastAt).toEqual(NOW);
    const outside = enc({ agencyId: 'c', at: ago(30 * DAY + 1) });
    expect(evaluateRules(config, [...recent, outside], NOW, taxonomy)).toEqual([]);
  });

  it('ignores encounters dated after now, even by 1 ms', () => {
    const list = [enc({ agencyId: 'a', at: ago(DAY) }), enc({ agencyId: 'b', at: ago(DAY) }), enc({ agencyId: 'c', at: ago(-1) })];
    expect(evaluateRules(config, list, NOW, taxonomy)).toEqual([]);
    const hits = evaluateRules(config, [...list, enc({ agencyId: 'c', at: ago(0) })], NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).not.toContain(list[2].id);
  });

  it('counts 24-hour days across the spring clock change (instants, not local days)', () => {
    // 30 days before 2025-04-10 12:00 UTC is 2025-03-11 12:00 UTC, though the UK moved its clocks on 30 March.
    const now = new Date('2025-04-10T12:00:00.000Z');
    const base = [enc({ agencyId: 'a', at: now }), enc({ agencyId: 'b', at: now })];
    const inside = enc({ agencyId: 'c', at: new Date('2025-03-11T12:00:00.000Z') });
    const outside = enc({ agencyId: 'c', at: new Date('2025-03-11T11:59:59.999Z') });
    expect(evaluateRules(config, [...base, inside], now, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [...base, outside], now, taxonomy)).toEqual([]);
  });
});

describe('encounter_count (repeat_crisis_14d)', () => {
  const config = only(crisisRule);
  const min = (crisisRule.condition as { min: number }).min;

  it('fires at the minimum number of crisis contacts, not one below', () => {
    const crisis = (i: number) => enc({ kind: CRISIS_KINDS[i % CRISIS_KINDS.length], agencyId: `a${i}`, at: ago((i + 1) * DAY) });
    const below = Array.from({ length: min - 1 }, (_, i) => crisis(i));
    expect(evaluateRules(config, below, NOW, taxonomy)).toEqual([]);
    const at = [...below, crisis(min - 1)];
    const hits = evaluateRules(config, at, NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).toEqual(at.map((e) => e.id));
  });

  it('does not count non-crisis kinds, nor leave them in the evidence', () => {
    expect(NON_CRISIS_KINDS.length).toBeGreaterThan(0);
    const crisis = Array.from({ length: min - 1 }, (_, i) => enc({ kind: CRISIS_KINDS[0], at: ago((i + 1) * DAY) }));
    const others = NON_CRISIS_KINDS.map((kind, i) => enc({ kind, at: ago(i * 3600_000) }));
    expect(evaluateRules(config, [...crisis, ...others], NOW, taxonomy)).toEqual([]);
    const fourth = enc({ kind: CRISIS_KINDS[CRISIS_KINDS.length - 1], at: ago(13 * DAY) });
    const hits = evaluateRules(config, [...crisis, ...others, fourth], NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).toEqual([...crisis, fourth].map((e) => e.id));
  });

  it('counts only inside its own 14-day window', () => {
    const list = Array.from({ length: min - 1 }, (_, i) => enc({ kind: CRISIS_KINDS[0], at: ago(i * DAY) }));
    expect(evaluateRules(config, [...list, enc({ kind: CRISIS_KINDS[0], at: ago(14 * DAY) })], NOW, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [...list, enc({ kind: CRISIS_KINDS[0], at: ago(14 * DAY + 1) })], NOW, taxonomy)).toEqual([]);
  });

  it('counts every kind when the condition names none', () => {
    const rule = shippedRule('repeat_crisis_14d');
    delete (rule.condition as { encounterKinds?: string[] }).encounterKinds;
    const list = Array.from({ length: min }, (_, i) => enc({ kind: NON_CRISIS_KINDS[i % NON_CRISIS_KINDS.length], at: ago(i * DAY) }));
    expect(evaluateRules(only(rule), list, NOW, taxonomy)).toHaveLength(1);
    expect(evaluateRules(only(rule), list.slice(1), NOW, taxonomy)).toEqual([]);
  });
});

describe('high_risk_plus_other_agency (high_risk_plus_other_agency_7d)', () => {
  const config = only(highRule);
  const high = (props: Partial<RuleEncounter> & { at: Date | number }, level = MIN_LEVEL, category = 'suicide') =>
    enc({ riskIndicators: [{ category, level }], ...props });

  it('fires with a contact elsewhere exactly 7 days later, not 7 days + 1 ms', () => {
    const h = high({ agencyId: 'mh', agencyKind: 'mental_health', at: ago(20 * DAY) });
    const exactly = enc({ agencyId: 'pol', at: ago(20 * DAY - WITHIN_DAYS * DAY) });
    const hits = evaluateRules(config, [h, exactly], NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).toEqual([exactly.id, h.id]);
    expect(hits[0].agencyIds).toEqual(['pol', 'mh']);
    const late = enc({ agencyId: 'pol', at: ago(20 * DAY - WITHIN_DAYS * DAY - 1) });
    expect(evaluateRules(config, [h, late], NOW, taxonomy)).toEqual([]);
  });

  it('looks before the high-risk encounter as well as after', () => {
    const h = high({ agencyId: 'mh', at: ago(DAY) });
    const before = enc({ agencyId: 'pol', at: ago(DAY + WITHIN_DAYS * DAY) });
    const tooEarly = enc({ agencyId: 'pol', at: ago(DAY + WITHIN_DAYS * DAY + 1) });
    expect(evaluateRules(config, [h, before], NOW, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [h, tooEarly], NOW, taxonomy)).toEqual([]);
  });

  it('measures 7 days as 7 × 24 hours across the autumn clock change', () => {
    // The UK clocks went back on 26 October 2025: seven local days after 22 Oct 12:00 UTC is 29 Oct 13:00 UTC.
    const now = new Date('2025-11-05T00:00:00.000Z');
    const h = high({ agencyId: 'mh', at: new Date('2025-10-22T12:00:00.000Z') });
    const sameInstantNextWeek = enc({ agencyId: 'pol', at: new Date('2025-10-29T12:00:00.000Z') });
    const localWeekLater = enc({ agencyId: 'pol', at: new Date('2025-10-29T13:00:00.000Z') });
    expect(evaluateRules(config, [h, sameInstantNextWeek], now, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [h, localWeekLater], now, taxonomy)).toEqual([]);
  });

  it('does not count a contact with the same agency', () => {
    const h = high({ agencyId: 'mh', at: ago(3 * DAY) });
    const same = enc({ agencyId: 'mh', agencyKind: 'mental_health', at: ago(2 * DAY) });
    expect(evaluateRules(config, [h, same], NOW, taxonomy)).toEqual([]);
  });

  it('does not count a risk level just below the minimum, and counts the highest level', () => {
    const other = enc({ agencyId: 'pol', at: ago(DAY) });
    expect(evaluateRules(config, [high({ agencyId: 'mh', at: ago(2 * DAY) }, BELOW_MIN), other], NOW, taxonomy)).toEqual([]);
    expect(evaluateRules(config, [high({ agencyId: 'mh', at: ago(2 * DAY) }, TOP_LEVEL), other], NOW, taxonomy)).toHaveLength(1);
  });

  it('evidence is the high-risk encounters and the contacts paired with them, newest first', () => {
    const h1 = high({ agencyId: 'mh', at: ago(10 * DAY) });
    const paired = enc({ agencyId: 'pol', at: ago(5 * DAY) });
    const unpaired = enc({ agencyId: 'amb', at: ago(25 * DAY) });
    const sameAgency = enc({ agencyId: 'mh', at: ago(9 * DAY) });
    const lowElsewhere = high({ agencyId: 'ae', at: ago(28 * DAY) }, BELOW_MIN);
    const hits = evaluateRules(config, [unpaired, h1, sameAgency, lowElsewhere, paired], NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).toEqual([paired.id, h1.id]);
    expect(hits[0].firstAt).toEqual(h1.occurredAt);
    expect(hits[0].lastAt).toEqual(paired.occurredAt);
  });

  it('only counts the named categories when the rule lists some', () => {
    const rule = shippedRule('high_risk_plus_other_agency_7d');
    (rule.condition as { categories?: string[] }).categories = ['self_harm'];
    const other = enc({ agencyId: 'pol', at: ago(DAY) });
    expect(evaluateRules(only(rule), [high({ agencyId: 'mh', at: ago(2 * DAY) }, TOP_LEVEL, 'suicide'), other], NOW, taxonomy)).toEqual([]);
    expect(evaluateRules(only(rule), [high({ agencyId: 'mh', at: ago(2 * DAY) }, MIN_LEVEL, 'self_harm'), other], NOW, taxonomy)).toHaveLength(1);
  });

  it('needs both encounters inside the rule window', () => {
    const windowDays = highRule.window.count;
    const h = high({ agencyId: 'mh', at: ago(windowDays * DAY - DAY) });
    const beforeWindow = enc({ agencyId: 'pol', at: ago(windowDays * DAY + 1) });
    expect(evaluateRules(config, [h, beforeWindow], NOW, taxonomy)).toEqual([]);
  });
});

describe('agency_kind_count (repeat_police_12m)', () => {
  const rule = shippedRule('repeat_police_12m');
  const config = only(rule);
  const police = (at: Date | number, agencyId = 'pol') => enc({ agencyId, agencyKind: 'police', kind: 'police_report', at });

  it('counts encounters from agencies of the kind, not other kinds', () => {
    const list = [police(ago(DAY)), police(ago(100 * DAY), 'pol2'), enc({ agencyKind: 'ambulance', agencyId: 'amb', at: ago(2 * DAY) })];
    expect(evaluateRules(config, list, NOW, taxonomy)).toEqual([]);
    const third = police(ago(300 * DAY));
    const hits = evaluateRules(config, [...list, third], NOW, taxonomy);
    expect(hits).toHaveLength(1);
    expect(hits[0].evidence).toEqual([list[0].id, list[1].id, third.id]);
    expect(hits[0].agencyIds).toEqual(['pol', 'pol2']);
  });

  it('uses calendar months across a month end: 12 months before 31 March is 31 March', () => {
    const now = new Date('2025-03-31T09:00:00.000Z');
    const two = [police(new Date('2025-03-01T00:00:00.000Z')), police(new Date('2024-12-31T23:59:59.999Z'))];
    expect(evaluateRules(config, [...two, police(new Date('2024-03-31T09:00:00.000Z'))], now, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [...two, police(new Date('2024-03-31T08:59:59.999Z'))], now, taxonomy)).toEqual([]);
  });

  it('clamps to the end of a shorter month: 12 months before 29 Feb 2024 is 28 Feb 2023', () => {
    const now = new Date('2024-02-29T12:00:00.000Z');
    const two = [police(new Date('2024-01-31T12:00:00.000Z')), police(new Date('2023-06-30T12:00:00.000Z'))];
    expect(evaluateRules(config, [...two, police(new Date('2023-02-28T12:00:00.000Z'))], now, taxonomy)).toHaveLength(1);
    expect(evaluateRules(config, [...two, police(new Date('2023-02-28T11:59:59.999Z'))], now, taxonomy)).toEqual([]);
  });
});

describe('evidence, disabled rules and the shipped rules', () => {
  it('lists evidence newest first, each id once, with distinct agencies', () => {
    const config = only(shippedRule('multi_agency_30d'));
    const a = enc({ agencyId: 'a', at: ago(5 * DAY) });
    const b = enc({ agencyId: 'b', at: ago(1 * DAY) });
    const c = enc({ agencyId: 'c', at: ago(3 * DAY) });
    const a2 = enc({ agencyId: 'a', at: ago(2 * DAY) });
    const hits = evaluateRules(config, [a, b, c, a2, { ...b }, a], NOW, taxonomy);
    expect(hits[0].evidence).toEqual([b.id, a2.id, c.id, a.id]);
    expect(hits[0].agencyIds).toEqual(['b', 'a', 'c']);
    expect(hits[0].firstAt).toEqual(a.occurredAt);
    expect(hits[0].lastAt).toEqual(b.occurredAt);
  });

  it('never fires a disabled rule', () => {
    const rule = shippedRule('multi_agency_30d');
    const list = ['a', 'b', 'c', 'd'].map((agencyId) => enc({ agencyId, at: ago(DAY) }));
    expect(evaluateRules(only(rule), list, NOW, taxonomy)).toHaveLength(1);
    rule.enabled = false;
    expect(evaluateRules(only(rule), list, NOW, taxonomy)).toEqual([]);
  });

  it('loads the shipped four rules, and all fire on a realistic month of crisis care', () => {
    expect(shipped.rules.map((r) => r.id).sort()).toEqual(
      ['high_risk_plus_other_agency_7d', 'multi_agency_30d', 'repeat_crisis_14d', 'repeat_police_12m'],
    );
    const agency = (agencyId: string, agencyKind: AgencyKind) => ({ agencyId, agencyKind });
    const police = agency('police-west', 'police');
    const ae = agency('ae-general', 'acute');
    const haven = agency('safe-haven', 'voluntary');
    const crisisTeam = agency('crisis-team', 'mental_health');
    const history = [
      enc({ ...police, kind: 'police_report', at: ago(200 * DAY) }),
      enc({ ...police, kind: 'police_report', at: ago(90 * DAY) }),
      enc({ ...police, kind: 's136_detention', at: ago(12 * DAY), riskIndicators: [{ category: 'suicide', level: MIN_LEVEL }] }),
      enc({ ...ae, kind: 'ae_attendance', at: ago(12 * DAY - 4 * 3600_000), riskIndicators: [{ category: 'self_harm', level: BELOW_MIN }] }),
      enc({ ...crisisTeam, kind: 'crisis_contact', at: ago(9 * DAY) }),
      enc({ ...haven, kind: 'safe_haven_visit', at: ago(6 * DAY) }),
      enc({ ...haven, kind: 'safe_haven_visit', at: ago(2 * DAY) }),
      enc({ ...crisisTeam, kind: 'appointment', at: ago(-3 * DAY) }),
    ];
    const hits = evaluateRules(shipped, history, NOW, taxonomy);
    expect(hits.map((h) => h.ruleId)).toEqual(shipped.rules.map((r) => r.id));
    const byRule = Object.fromEntries(hits.map((h) => [h.ruleId, h]));
    expect(byRule.repeat_police_12m.evidence).toEqual([history[2].id, history[1].id, history[0].id]);
    expect(byRule.repeat_crisis_14d.evidence).toEqual([history[6].id, history[5].id, history[4].id, history[2].id]);
    expect(byRule.multi_agency_30d.agencyIds).toEqual(['safe-haven', 'crisis-team', 'ae-general', 'police-west']);
    // The s136 detention is the high-risk encounter; A&E the same day, the crisis team 3 days later and the
    // safe haven 6 days later pair with it; the safe haven 10 days later does not.
    expect(byRule.high_risk_plus_other_agency_7d.evidence).toEqual([history[5].id, history[4].id, history[3].id, history[2].id]);
    for (const h of hits) {
      expect(h.severity).toBe(shipped.rules.find((r) => r.id === h.ruleId)!.severity);
      expect(h.evidence).not.toContain(history[7].id);
    }
  });
});

describe('lookbackStart', () => {
  it('is the earliest window start of the enabled rules', () => {
    const now = new Date('2025-03-31T09:00:00.000Z');
    expect(lookbackStart(shipped, now)).toEqual(new Date('2024-03-31T09:00:00.000Z'));
    const noMonths = only(...shipped.rules.map((r) => ({ ...structuredClone(r), enabled: r.window.unit === 'days' }) as AlertRule));
    expect(lookbackStart(noMonths, now)).toEqual(new Date('2025-03-01T09:00:00.000Z'));
  });

  it('is now itself when no rule is enabled', () => {
    const none = only(...shipped.rules.map((r) => ({ ...structuredClone(r), enabled: false }) as AlertRule));
    expect(lookbackStart(none, NOW)).toEqual(NOW);
  });

  it('loads enough for every rule to fire as it would on the full history', () => {
    const list = Array.from({ length: 40 }, (_, i) =>
      enc({ agencyId: `a${i % 5}`, agencyKind: i % 2 ? 'police' : 'mental_health', kind: CRISIS_KINDS[i % CRISIS_KINDS.length], at: ago(i * 11 * DAY) }),
    );
    const start = lookbackStart(shipped, NOW).getTime();
    const loaded = list.filter((e) => e.occurredAt.getTime() >= start);
    expect(loaded.length).toBeLessThan(list.length);
    expect(evaluateRules(shipped, loaded, NOW, taxonomy)).toEqual(evaluateRules(shipped, list, NOW, taxonomy));
  });
});
