import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import {
  AGENCY_KINDS,
  BANK_HOLIDAY_REGIONS,
  SEVERITIES,
  WEEKDAYS,
  agencyHoursSchema,
  alertConditionSchema,
  alertRuleSchema,
  alertRulesSchema,
  bankHolidaySchema,
  bankHolidaysSchema,
  blockingKeySchema,
  businessHoursSchema,
  comparisonLevelSchema,
  comparisonSchema,
  dataCategorySchema,
  encounterKindSchema,
  escalationLevelSchema,
  escalationSchema,
  hoursScheduleSchema,
  matchingSchema,
  purposeSchema,
  riskCategorySchema,
  riskLevelSchema,
  ruleWindowSchema,
  sensitiveFieldSchema,
  taxonomySchema,
  timeRangeSchema,
  weeklyScheduleSchema,
} from "./domain/schemas";

export { AGENCY_KINDS, BANK_HOLIDAY_REGIONS, SEVERITIES, WEEKDAYS };

/** An alert or escalation severity; the same ids as the taxonomy's risk levels. */
export type Severity = (typeof SEVERITIES)[number];
/** An agency kind, as on the Agency model. */
export type AgencyKind = (typeof AGENCY_KINDS)[number];
/** A UK bank-holiday region as GOV.UK names it. */
export type BankHolidayRegion = (typeof BANK_HOLIDAY_REGIONS)[number];
/** A weekday key of a weekly schedule. */
export type Weekday = (typeof WEEKDAYS)[number];

/** The whole of taxonomy.json. */
export type Taxonomy = z.infer<typeof taxonomySchema>;
/** One level of the common risk scale (`low` … `critical`), with its rank. */
export type RiskLevel = z.infer<typeof riskLevelSchema>;
/** One category of the common risk taxonomy. */
export type RiskCategory = z.infer<typeof riskCategorySchema>;
/** One kind of encounter; `crisis` marks crisis contacts. */
export type EncounterKind = z.infer<typeof encounterKindSchema>;
/** A data category used by sharing agreements and consent scopes. */
export type DataCategory = z.infer<typeof dataCategorySchema>;
/** A purpose for sharing. */
export type Purpose = z.infer<typeof purposeSchema>;
/** A field that only crosses agencies with an explicit per-field decision. */
export type SensitiveField = z.infer<typeof sensitiveFieldSchema>;
/** The whole of alert-rules.json. */
export type AlertRulesConfig = z.infer<typeof alertRulesSchema>;
/** One detection rule. */
export type AlertRule = z.infer<typeof alertRuleSchema>;
/** A rule's condition; switch on `kind`. */
export type AlertCondition = z.infer<typeof alertConditionSchema>;
/** A rule's look-back window. */
export type RuleWindow = z.infer<typeof ruleWindowSchema>;
/** The whole of business-hours.json. */
export type BusinessHoursConfig = z.infer<typeof businessHoursSchema>;
/** An "in hours" schedule: weekly ranges and whether bank holidays close it. */
export type HoursSchedule = z.infer<typeof hoursScheduleSchema>;
/** Open ranges per weekday. */
export type WeeklySchedule = z.infer<typeof weeklyScheduleSchema>;
/** A half-open local-time range [start, end), "HH:MM". */
export type TimeRange = z.infer<typeof timeRangeSchema>;
/** A per-agency override of hours or bank-holiday region. */
export type AgencyHours = z.infer<typeof agencyHoursSchema>;
/** The whole of bank-holidays.json. */
export type BankHolidaysConfig = z.infer<typeof bankHolidaysSchema>;
/** One bank holiday. */
export type BankHoliday = z.infer<typeof bankHolidaySchema>;
/** The whole of escalation.json. */
export type EscalationConfig = z.infer<typeof escalationSchema>;
/** One rung of the escalation ladder. */
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;
/** The whole of matching.json. */
export type MatchingConfig = z.infer<typeof matchingSchema>;
/** One Fellegi–Sunter comparison. */
export type Comparison = z.infer<typeof comparisonSchema>;
/** One level of a comparison; switch on `method`. */
export type ComparisonLevel = z.infer<typeof comparisonLevelSchema>;
/** One blocking key. */
export type BlockingKey = z.infer<typeof blockingKeySchema>;

/** Every domain data file, validated together. Returned frozen: do not mutate. */
export interface DomainConfig {
  taxonomy: Taxonomy;
  alertRules: AlertRulesConfig;
  businessHours: BusinessHoursConfig;
  bankHolidays: BankHolidaysConfig;
  escalation: EscalationConfig;
  matching: MatchingConfig;
}

/** The file behind each part of DomainConfig, inside the data folder. */
export const DOMAIN_FILES = {
  taxonomy: "taxonomy.json",
  alertRules: "alert-rules.json",
  businessHours: "business-hours.json",
  bankHolidays: "bank-holidays.json",
  escalation: "escalation.json",
  matching: "matching.json",
} as const satisfies Record<keyof DomainConfig, string>;

const SCHEMAS: { [K in keyof DomainConfig]: z.ZodType<DomainConfig[K]> } = {
  taxonomy: taxonomySchema,
  alertRules: alertRulesSchema,
  businessHours: businessHoursSchema,
  bankHolidays: bankHolidaysSchema,
  escalation: escalationSchema,
  matching: matchingSchema,
};

/** A domain data file that is missing, unreadable or invalid; `file` and `path` name the problem. */
export class DomainConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ""}${problem}`);
    this.name = "DomainConfigError";
  }
}

/**
 * The shipped data folder. From source (tsx, jest) it is ./domain next to this file; from the
 * compiled dist/config/ the JSON is not copied (dist/config/domain holds only schemas.js), so the
 * test is for the data file itself, falling back to the source tree's config/domain.
 */
export function defaultDomainDir(): string {
  const local = path.resolve(__dirname, "domain");
  if (fs.existsSync(path.join(local, DOMAIN_FILES.taxonomy))) {
    return local;
  }
  return path.resolve(__dirname, "../../config/domain");
}

/** The file's name as an operator would type it: relative to the working directory when inside it. */
function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function readFile<K extends keyof DomainConfig>(dir: string, key: K): DomainConfig[K] {
  const file = displayName(path.join(dir, DOMAIN_FILES[key]));
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path.join(dir, DOMAIN_FILES[key]), "utf8"));
  } catch (err) {
    const reason = err instanceof SyntaxError ? `invalid JSON: ${err.message}` : String(err);
    throw new DomainConfigError(file, "", reason);
  }
  const result = SCHEMAS[key].safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DomainConfigError(file, issue.path.join("."), issue.message);
  }
  return result.data;
}

/** A cross-file problem: which file, where in it, and what. */
type Problem = [key: keyof DomainConfig, path: (string | number)[], message: string];

function* taxonomyProblems({ taxonomy }: DomainConfig): Generator<Problem> {
  const ranks = new Set<number>();
  for (const [i, level] of taxonomy.levels.entries()) {
    if (ranks.has(level.rank)) yield ["taxonomy", ["levels", i, "rank"], `duplicate rank ${level.rank}`];
    ranks.add(level.rank);
  }
  const levelIds = new Set(taxonomy.levels.map((l) => l.id));
  for (const severity of SEVERITIES) {
    if (!levelIds.has(severity)) yield ["taxonomy", ["levels"], `missing level "${severity}" (alert severities share the level ids)`];
  }
  const dataCategories = new Set(taxonomy.dataCategories.map((c) => c.id));
  for (const [i, field] of taxonomy.sensitiveFields.entries()) {
    if (!dataCategories.has(field.dataCategory)) {
      yield ["taxonomy", ["sensitiveFields", i, "dataCategory"], `unknown data category "${field.dataCategory}"`];
    }
  }
}

function* alertRuleProblems({ taxonomy, alertRules }: DomainConfig): Generator<Problem> {
  const known = (list: { id: string }[]) => new Set(list.map((x) => x.id));
  const levels = known(taxonomy.levels);
  const categories = known(taxonomy.categories);
  const kinds = known(taxonomy.encounterKinds);
  const names = (set: Set<string>) => [...set].join(", ");
  for (const [i, rule] of alertRules.rules.entries()) {
    const at = (...rest: (string | number)[]) => ["rules", i, "condition", ...rest];
    const c = rule.condition;
    if (c.kind === "encounter_count") {
      for (const [j, kind] of c.encounterKinds.entries()) {
        if (!kinds.has(kind)) yield ["alertRules", at("encounterKinds", j), `unknown encounter kind "${kind}" (taxonomy has ${names(kinds)})`];
      }
    }
    if (c.kind === "high_risk_plus_other_agency") {
      if (!levels.has(c.minLevel)) yield ["alertRules", at("minLevel"), `unknown risk level "${c.minLevel}" (taxonomy has ${names(levels)})`];
      for (const [j, category] of (c.categories ?? []).entries()) {
        if (!categories.has(category)) yield ["alertRules", at("categories", j), `unknown risk category "${category}"`];
      }
      const windowDays = rule.window.unit === "days" ? rule.window.count : rule.window.count * 31;
      if (c.withinDays > windowDays) yield ["alertRules", at("withinDays"), "must not exceed the rule's window"];
    }
  }
}

function* bankHolidayProblems({ bankHolidays, businessHours }: DomainConfig): Generator<Problem> {
  const { fromYear, toYear } = bankHolidays.coverage;
  if (fromYear > toYear) yield ["bankHolidays", ["coverage"], "fromYear must not be after toYear"];
  for (const region of BANK_HOLIDAY_REGIONS) {
    const list = bankHolidays.regions[region];
    const years = new Set<number>();
    for (const [i, { date }] of list.entries()) {
      const at = ["regions", region, i, "date"];
      const day = new Date(`${date}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
        yield ["bankHolidays", at, `invalid date "${date}"`];
        continue;
      }
      if (i > 0 && list[i - 1].date >= date) yield ["bankHolidays", at, `"${date}" is not after the previous date: dates must be sorted and unique`];
      if ([0, 6].includes(day.getUTCDay())) yield ["bankHolidays", at, `"${date}" is a weekend day: list the substitute day instead`];
      const year = day.getUTCFullYear();
      if (year < fromYear || year > toYear) yield ["bankHolidays", at, `"${date}" is outside the coverage ${fromYear}-${toYear}`];
      years.add(year);
    }
    for (let year = fromYear; year <= toYear; year++) {
      if (!years.has(year)) yield ["bankHolidays", ["regions", region], `no holidays listed for ${year}`];
    }
  }
  for (const [code, agency] of Object.entries(businessHours.agencies)) {
    if (!agency.schedule && !agency.bankHolidayRegion) yield ["businessHours", ["agencies", code], "overrides nothing"];
  }
}

function* escalationProblems({ taxonomy, escalation }: DomainConfig): Generator<Problem> {
  for (const [i, level] of escalation.levels.entries()) {
    if (level.rank !== i + 1) yield ["escalation", ["levels", i, "rank"], `must be ${i + 1}: ranks run 1, 2, 3... in order`];
  }
  if (!escalation.levels.some((l) => l.id === escalation.repeat.restartAtLevel)) {
    yield ["escalation", ["repeat", "restartAtLevel"], `unknown escalation level "${escalation.repeat.restartAtLevel}"`];
  }
  const minRank = riskLevelRank(taxonomy, escalation.outOfHoursMinSeverity);
  for (const severity of SEVERITIES) {
    if (riskLevelRank(taxonomy, severity) >= minRank && escalation.ackDeadlineMinutes[severity] === null) {
      yield ["escalation", ["ackDeadlineMinutes", severity], "is routed out of hours, so it needs an acknowledgement deadline"];
    }
  }
}

function* matchingProblems({ matching }: DomainConfig): Generator<Problem> {
  if (matching.thresholds.lower >= matching.thresholds.upper) {
    yield ["matching", ["thresholds", "lower"], "must be below thresholds.upper"];
  }
  for (const [i, comparison] of matching.comparisons.entries()) {
    // Levels are tried in order, so a looser level before a stricter one would hide it.
    const last: Record<string, number> = {};
    for (const [j, level] of comparison.levels.entries()) {
      const at = ["comparisons", i, "levels", j];
      if (level.method === "columns_reversed" && level.with === comparison.field) {
        yield ["matching", [...at, "with"], "must name another field"];
      }
      const strictness =
        level.method === "jaro_winkler" ? level.threshold
        : level.method === "token_overlap" ? level.minJaccard
        : level.method === "damerau_levenshtein" ? -level.maxDistance
        : undefined;
      if (strictness === undefined) continue;
      if (level.method in last && strictness >= last[level.method]) {
        yield ["matching", at, "is not looser than an earlier level of the same method, so it can never apply"];
      }
      last[level.method] = strictness;
    }
  }
}

const CROSS_CHECKS = [taxonomyProblems, alertRuleProblems, bankHolidayProblems, escalationProblems, matchingProblems];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Reads and validates every domain data file in `dir`, then checks the references between them.
 * Throws a DomainConfigError naming the file and the first problem path, e.g.
 * `config/domain/alert-rules.json: rules.2.severity: Invalid option: ...`.
 */
export function loadDomainConfig(dir: string = defaultDomainDir()): DomainConfig {
  const config: DomainConfig = {
    taxonomy: readFile(dir, "taxonomy"),
    alertRules: readFile(dir, "alertRules"),
    businessHours: readFile(dir, "businessHours"),
    bankHolidays: readFile(dir, "bankHolidays"),
    escalation: readFile(dir, "escalation"),
    matching: readFile(dir, "matching"),
  };
  for (const check of CROSS_CHECKS) {
    for (const [key, at, message] of check(config)) {
      throw new DomainConfigError(displayName(path.join(dir, DOMAIN_FILES[key])), at.join("."), message);
    }
  }
  return deepFreeze(config);
}

let cached: DomainConfig | undefined;

/** The shipped domain configuration, loaded and validated once per process. */
export function domainConfig(): DomainConfig {
  cached ??= loadDomainConfig();
  return cached;
}

/** The rank of a risk level or severity id (higher is more serious); throws on an unknown id. */
export function riskLevelRank(taxonomy: Taxonomy, levelId: string): number {
  const level = taxonomy.levels.find((l) => l.id === levelId);
  if (!level) throw new Error(`unknown risk level "${levelId}"`);
  return level.rank;
}

/** Whether `levelId` is at or above `minLevelId` on the common risk scale. */
export function isAtLeastLevel(taxonomy: Taxonomy, levelId: string, minLevelId: string): boolean {
  return riskLevelRank(taxonomy, levelId) >= riskLevelRank(taxonomy, minLevelId);
}

/**
 * The earliest instant inside a rule's window ending at `at` (inclusive). Days are 24-hour
 * periods; months are calendar months in UTC, clamped to the month's end (31 Mar - 1 month = 28/29 Feb).
 */
export function windowStart(window: RuleWindow, at: Date): Date {
  if (window.unit === "days") return new Date(at.getTime() - window.count * 86_400_000);
  const start = new Date(at.getTime());
  const day = start.getUTCDate();
  start.setUTCDate(1);
  start.setUTCMonth(start.getUTCMonth() - window.count);
  const monthLength = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
  start.setUTCDate(Math.min(day, monthLength));
  return start;
}

/** The hours, bank-holiday region and time zone that apply to one agency (code, then kind, then default). */
export function hoursFor(
  agency: { code?: string; kind?: AgencyKind },
  config: BusinessHoursConfig = domainConfig().businessHours,
): { schedule: HoursSchedule; bankHolidayRegion: BankHolidayRegion; timezone: string } {
  const own = agency.code === undefined ? undefined : config.agencies[agency.code];
  const byKind = agency.kind === undefined ? undefined : config.agencyKinds[agency.kind];
  return {
    schedule: own?.schedule ?? byKind ?? config.default,
    bankHolidayRegion: own?.bankHolidayRegion ?? config.defaultBankHolidayRegion,
    timezone: config.timezone,
  };
}

/**
 * The set of bank-holiday dates (YYYY-MM-DD, local) for a region. Only years inside
 * `bankHolidays.coverage` are known: check the year before trusting a "no".
 */
export function bankHolidayDates(
  region: BankHolidayRegion,
  config: BankHolidaysConfig = domainConfig().bankHolidays,
): ReadonlySet<string> {
  return new Set(config.regions[region].map((h) => h.date));
}
