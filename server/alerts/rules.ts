/**
 * The detection-rule evaluator: pure functions over one person's linked encounters. Rules are
 * data (config/domain/alert-rules.json); each looks back over its window ending at the moment of
 * evaluation, both edges included, and fires when its condition holds. Instants are compared, never
 * local days, so a window or a "within 7 days" that spans a clock change is still 24-hour days.
 */
import {
  riskLevelRank,
  windowStart,
  type AgencyKind,
  type AlertCondition,
  type AlertRule,
  type AlertRulesConfig,
  type Severity,
  type Taxonomy,
} from '../../config/domain';

/** One encounter as the rules see it: who recorded it, when, what kind, and its risk indicators. */
export interface RuleEncounter {
  id: string;
  agencyId: string;
  agencyKind: AgencyKind;
  occurredAt: Date;
  kind: string;
  riskIndicators: { category: string; level: string }[];
}

/** A rule that fires, with the encounters that make it fire. */
export interface RuleHit {
  ruleId: string;
  severity: Severity;
  /** The version of the rules file the rule came from. */
  ruleVersion: string;
  /** Encounter ids, newest first, each once. */
  evidence: string[];
  /** The distinct agencies of the evidence, in the order they first appear in it. */
  agencyIds: string[];
  /** occurredAt of the oldest evidence. */
  firstAt: Date;
  /** occurredAt of the newest evidence. */
  lastAt: Date;
}

const DAY_MS = 86_400_000;

/** Newest first; encounters at the same instant in id order, so evidence is stable. */
function newestFirst(a: RuleEncounter, b: RuleEncounter): number {
  const dt = b.occurredAt.getTime() - a.occurredAt.getTime();
  if (dt !== 0) return dt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The encounters a rule may look at: valid dates, each id once, newest first. */
function prepare(encounters: readonly RuleEncounter[]): RuleEncounter[] {
  const seen = new Set<string>();
  const out: RuleEncounter[] = [];
  for (const e of encounters) {
    if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime()) || seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out.sort(newestFirst);
}

/** Whether one encounter carries a risk indicator at or above minRank (in one of the categories when given). */
function isHighRisk(e: RuleEncounter, minRank: number, ranks: ReadonlyMap<string, number>, categories?: ReadonlySet<string>): boolean {
  return e.riskIndicators.some(
    (r) => (categories === undefined || categories.has(r.category)) && (ranks.get(r.level) ?? -Infinity) >= minRank,
  );
}

/**
 * The evidence for one condition over the in-window encounters (newest first), or undefined when
 * the condition does not hold.
 */
function conditionEvidence(condition: AlertCondition, inWindow: readonly RuleEncounter[], taxonomy: Taxonomy): RuleEncounter[] | undefined {
  switch (condition.kind) {
    case 'distinct_agencies': {
      const agencies = new Set(inWindow.map((e) => e.agencyId));
      return agencies.size >= condition.min ? [...inWindow] : undefined;
    }
    case 'encounter_count': {
      const kinds = condition.encounterKinds as readonly string[] | undefined;
      const counted = kinds && kinds.length > 0 ? inWindow.filter((e) => kinds.includes(e.kind)) : [...inWindow];
      return counted.length >= condition.min ? counted : undefined;
    }
    case 'agency_kind_count': {
      const counted = inWindow.filter((e) => e.agencyKind === condition.agencyKind);
      return counted.length >= condition.min ? counted : undefined;
    }
    case 'high_risk_plus_other_agency': {
      // An unknown minimum level is a configuration error, so it throws; an unknown level on an
      // encounter simply does not count as high risk.
      const minRank = riskLevelRank(taxonomy, condition.minLevel);
      const ranks = new Map(taxonomy.levels.map((l) => [l.id, l.rank]));
      const categories = condition.categories ? new Set(condition.categories) : undefined;
      const withinMs = condition.withinDays * DAY_MS;
      const chosen = new Set<RuleEncounter>();
      for (const high of inWindow) {
        if (!isHighRisk(high, minRank, ranks, categories)) continue;
        const t = high.occurredAt.getTime();
        let paired = false;
        for (const other of inWindow) {
          if (other.agencyId === high.agencyId || Math.abs(other.occurredAt.getTime() - t) > withinMs) continue;
          chosen.add(other);
          paired = true;
        }
        if (paired) chosen.add(high);
      }
      return chosen.size > 0 ? inWindow.filter((e) => chosen.has(e)) : undefined;
    }
  }
}

/** The hit for a rule whose condition held, from its evidence (newest first, non-empty). */
function toHit(rule: AlertRule, version: string, evidence: readonly RuleEncounter[]): RuleHit {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    ruleVersion: version,
    evidence: evidence.map((e) => e.id),
    agencyIds: [...new Set(evidence.map((e) => e.agencyId))],
    firstAt: new Date(evidence[evidence.length - 1].occurredAt.getTime()),
    lastAt: new Date(evidence[0].occurredAt.getTime()),
  };
}

/**
 * Evaluates every enabled rule over one person's encounters as of `now`; returns the rules that
 * fire, in the order of the rules file. A rule looks at encounters with
 * `windowStart(rule.window, now) <= occurredAt <= now`; encounters dated after `now` are ignored,
 * and an encounter id given twice counts once.
 */
export function evaluateRules(config: AlertRulesConfig, encounters: readonly RuleEncounter[], now: Date, taxonomy: Taxonomy): RuleHit[] {
  const nowMs = now.getTime();
  const all = prepare(encounters).filter((e) => e.occurredAt.getTime() <= nowMs);
  const hits: RuleHit[] = [];
  for (const rule of config.rules) {
    if (!rule.enabled) continue;
    const startMs = windowStart(rule.window, now).getTime();
    const inWindow = all.filter((e) => e.occurredAt.getTime() >= startMs);
    if (inWindow.length === 0) continue;
    const evidence = conditionEvidence(rule.condition, inWindow, taxonomy);
    if (evidence && evidence.length > 0) hits.push(toHit(rule, config.version, evidence));
  }
  return hits;
}

/**
 * The earliest occurredAt any enabled rule can look at as of `now` (so callers load only what is
 * needed): the earliest window start of the enabled rules, or `now` itself when none is enabled.
 */
export function lookbackStart(config: AlertRulesConfig, now: Date): Date {
  let earliest = now.getTime();
  for (const rule of config.rules) {
    if (rule.enabled) earliest = Math.min(earliest, windowStart(rule.window, now).getTime());
  }
  return new Date(earliest);
}
