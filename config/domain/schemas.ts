import { z } from "zod";

// Shapes of the versioned domain data files in this folder. Each schema checks one file on its
// own; checks that span files (a rule naming a taxonomy level, ...) live in ../domain.ts.

/** Alert and escalation severities. They share their ids with the taxonomy's risk levels. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;

/** Agency kinds, as on the Agency model (DESIGN.md section 4). */
export const AGENCY_KINDS = [
  "police",
  "mental_health",
  "ambulance",
  "acute",
  "social_care",
  "housing",
  "substance_misuse",
  "voluntary",
  "gp",
  "other",
] as const;

/** Regions of the UK with their own bank holidays, as GOV.UK names them. */
export const BANK_HOLIDAY_REGIONS = ["england-and-wales", "scotland", "northern-ireland"] as const;

/** Days of the week as keys of a weekly schedule, Monday first. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const id = z.string().regex(/^[a-z][a-z0-9_.]*$/, "must be a lower_snake_case id");
const text = z.string().trim().min(1);
const version = z.string().regex(/^\d{4}\.\d+$/, "must look like 2025.1");
/** A calendar date `YYYY-MM-DD` that exists (zod's ISO date checks month lengths and leap years). */
const isoDate = z.iso.date();
const severity = z.enum(SEVERITIES);
const positiveInt = z.number().int().positive();
const probability = z.number().gt(0).lte(1);

/** Refuses a list in which two entries share an id, naming the second one's position. */
function uniqueIds<T extends { id: string }>(items: T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) {
      ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate id "${item.id}"` });
    }
    seen.add(item.id);
  });
}

const entry = { id, label: text, description: text };

// ---- taxonomy.json -------------------------------------------------------------------------

/** One level of the common risk scale; a higher rank is a more serious risk. */
export const riskLevelSchema = z.object({ ...entry, rank: positiveInt }).strict();

/** One category of the common risk taxonomy; `crisis` marks categories that describe a crisis. */
export const riskCategorySchema = z.object({ ...entry, crisis: z.boolean() }).strict();

/** A kind of encounter agencies record; `crisis` marks what counts as a crisis contact. */
export const encounterKindSchema = z.object({ ...entry, crisis: z.boolean() }).strict();

/** A category of data named by sharing agreements and consent scopes. */
export const dataCategorySchema = z
  .object({ ...entry, specialCategory: z.boolean().describe("UK GDPR Art 9 / Art 10 data") })
  .strict();

/** A purpose for which records may be shared. */
export const purposeSchema = z.object(entry).strict();

/** A field that never crosses agencies without an explicit per-field decision (DESIGN.md 3a). */
export const sensitiveFieldSchema = z.object({ ...entry, dataCategory: id }).strict();

/** taxonomy.json: the one language for risk, data categories, purposes and sensitive fields. */
export const taxonomySchema = z
  .object({
    version,
    effectiveFrom: isoDate,
    levels: z.array(riskLevelSchema).min(2).superRefine(uniqueIds),
    categories: z.array(riskCategorySchema).min(1).superRefine(uniqueIds),
    encounterKinds: z.array(encounterKindSchema).min(1).superRefine(uniqueIds),
    dataCategories: z.array(dataCategorySchema).min(1).superRefine(uniqueIds),
    purposes: z.array(purposeSchema).min(1).superRefine(uniqueIds),
    sensitiveFields: z.array(sensitiveFieldSchema).superRefine(uniqueIds),
  })
  .strict();

// ---- alert-rules.json ----------------------------------------------------------------------

/** How far back a rule looks from the moment it is evaluated; months are calendar months. */
export const ruleWindowSchema = z
  .object({ unit: z.enum(["days", "months"]), count: positiveInt })
  .strict();

/** The condition a person's linked encounters inside the window must meet to raise the alert. */
export const alertConditionSchema = z.discriminatedUnion("kind", [
  /** `min` or more distinct agencies recorded an encounter. */
  z.object({ kind: z.literal("distinct_agencies"), min: positiveInt }).strict(),
  /** `min` or more encounters whose kind is one of `encounterKinds` (any agency). */
  z
    .object({
      kind: z.literal("encounter_count"),
      min: positiveInt,
      encounterKinds: z.array(id).min(1),
    })
    .strict(),
  /** `min` or more encounters recorded by agencies of `agencyKind`. */
  z
    .object({
      kind: z.literal("agency_kind_count"),
      min: positiveInt,
      agencyKind: z.enum(AGENCY_KINDS),
    })
    .strict(),
  /**
   * A risk indicator at `minLevel` or above (in one of `categories` when given, else any), and an
   * encounter recorded by a different agency within `withinDays` of it, before or after.
   */
  z
    .object({
      kind: z.literal("high_risk_plus_other_agency"),
      minLevel: id,
      categories: z.array(id).min(1).optional(),
      withinDays: positiveInt,
    })
    .strict(),
]);

/** One detection rule: raises (or updates) one open alert per person when its condition holds. */
export const alertRuleSchema = z
  .object({
    id,
    name: text,
    description: text,
    enabled: z.boolean(),
    severity,
    window: ruleWindowSchema,
    condition: alertConditionSchema,
  })
  .strict();

/** alert-rules.json: the detection rules, as data. */
export const alertRulesSchema = z
  .object({ version, rules: z.array(alertRuleSchema).superRefine(uniqueIds) })
  .strict();

// ---- business-hours.json -------------------------------------------------------------------

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM (00:00-24:00)");

/** A half-open interval [start, end) of local wall-clock time: 09:00-18:00 includes 17:59, not 18:00. */
export const timeRangeSchema = z
  .object({ start: clock, end: clock })
  .strict()
  .refine((r) => r.start < r.end, { message: "start must be before end", path: ["end"] });

const dayRanges = z
  .array(timeRangeSchema)
  .refine((ranges) => ranges.every((r, i) => i === 0 || ranges[i - 1].end <= r.start), {
    message: "ranges must be in order and must not overlap",
  });

/** Open ranges per weekday (keys as in WEEKDAYS); an empty list means closed all day. */
export const weeklyScheduleSchema = z
  .object({
    mon: dayRanges,
    tue: dayRanges,
    wed: dayRanges,
    thu: dayRanges,
    fri: dayRanges,
    sat: dayRanges,
    sun: dayRanges,
  })
  .strict();

/** When a panel or duty desk counts as "in hours". */
export const hoursScheduleSchema = z
  .object({
    description: text,
    /** Bank holidays of the applicable region are out of hours all day when true. */
    observesBankHolidays: z.boolean(),
    weekly: weeklyScheduleSchema,
  })
  .strict();

/** A per-agency override: its own schedule and/or bank-holiday region (e.g. a Scottish agency). */
export const agencyHoursSchema = z
  .object({
    schedule: hoursScheduleSchema.optional(),
    bankHolidayRegion: z.enum(BANK_HOLIDAY_REGIONS).optional(),
  })
  .strict();

/** business-hours.json: hours for alert routing. Precedence: agency code, then agency kind, then default. */
export const businessHoursSchema = z
  .object({
    version,
    timezone: z.literal("Europe/London"),
    defaultBankHolidayRegion: z.enum(BANK_HOLIDAY_REGIONS),
    default: hoursScheduleSchema,
    agencyKinds: z.partialRecord(z.enum(AGENCY_KINDS), hoursScheduleSchema),
    agencies: z.record(z.string().min(1), agencyHoursSchema),
  })
  .strict();

// ---- bank-holidays.json --------------------------------------------------------------------

/** One bank holiday as GOV.UK lists it; substitute days carry "(substitute day)" in the title. */
export const bankHolidaySchema = z.object({ date: isoDate, title: text }).strict();

/** bank-holidays.json: UK bank holidays per region for the covered years. */
export const bankHolidaysSchema = z
  .object({
    version,
    source: text,
    coverage: z.object({ fromYear: positiveInt, toYear: positiveInt }).strict(),
    regions: z.record(z.enum(BANK_HOLIDAY_REGIONS), z.array(bankHolidaySchema).min(1)),
  })
  .strict();

// ---- escalation.json -----------------------------------------------------------------------

/** One rung of the on-call ladder; rank 1 is told first. */
export const escalationLevelSchema = z.object({ ...entry, rank: positiveInt }).strict();

/** escalation.json: acknowledgement deadlines, out-of-hours routing and the escalation ladder. */
export const escalationSchema = z
  .object({
    version,
    /** Minutes each level has to acknowledge; null = no deadline (handled in hours, never escalated). */
    ackDeadlineMinutes: z.record(severity, positiveInt.nullable()),
    /** Out of hours, alerts at this severity or above go to the level-1 on-call duty manager. */
    outOfHoursMinSeverity: severity,
    levels: z.array(escalationLevelSchema).min(1).superRefine(uniqueIds),
    /** After the top level's deadline passes unacknowledged, restart at `restartAtLevel` `times` more times. */
    repeat: z.object({ times: z.number().int().min(0), restartAtLevel: id }).strict(),
    /** An acknowledged alert with no further action after this many minutes re-notifies; null = never. */
    reNotifyAfterAckMinutes: z.record(severity, positiveInt.nullable()),
  })
  .strict();

// ---- matching.json -------------------------------------------------------------------------

/** Fields of a normalised subject that comparisons read. */
export const MATCH_FIELDS = [
  "given_name",
  "family_name",
  "date_of_birth",
  "nhs_number",
  "identifier",
  "postcode",
  "address",
] as const;

/** Values derived from a normalised subject that blocking keys are built from. */
export const BLOCKING_PARTS = [
  ...MATCH_FIELDS.filter((f) => f !== "address"),
  "given_initial",
  "family_initial",
  "given_soundex",
  "family_soundex",
  "dob_year",
  "postcode_sector",
  "postcode_district",
  /** Given and family initials in alphabetical order, so swapped names share it. */
  "name_initials",
  /** Given and family Soundex codes in alphabetical order, so swapped names share it. */
  "name_soundex_pair",
  /** The first house number and the first word after it in the address ("12 high"). */
  "address_key",
  /**
   * The first part of a family name of more than one part ("smith" for "Smith-Jones"), else the
   * family name (also when the first part is a particle of one or two letters, as in "O'Brien").
   */
  "family_first_part",
  /** The date of birth with day and month in ascending order, so a day/month transposition shares it. */
  "dob_day_month_unordered",
  /** Month and day of birth without the year ("07-21"), so a mistyped year shares it. */
  "dob_month_day",
  /** Given and family names in alphabetical order, so swapped names share it. */
  "name_pair",
  /** The first three letters of the given name (all of a shorter name), so a later typo shares it. */
  "given_prefix3",
  /** The last three letters of the given name (all of a shorter name), so an earlier typo shares it. */
  "given_suffix3",
  /** The first two letters of the family name (all of a shorter name). */
  "family_prefix2",
  /** The last three letters of the family name (all of a shorter name). */
  "family_suffix3",
] as const;

const weights = { id, label: text, m: probability, u: probability };

/** One comparison level; within a comparison the first level that applies is used. */
export const comparisonLevelSchema = z.discriminatedUnion("method", [
  z.object({ ...weights, method: z.literal("exact") }).strict(),
  z
    .object({ ...weights, method: z.literal("jaro_winkler"), threshold: z.number().gt(0).lt(1) })
    .strict(),
  z
    .object({ ...weights, method: z.literal("damerau_levenshtein"), maxDistance: positiveInt })
    .strict(),
  /** The value equals the other record's `with` field (given and family names swapped). */
  z
    .object({ ...weights, method: z.literal("columns_reversed"), with: z.enum(MATCH_FIELDS) })
    .strict(),
  z.object({ ...weights, method: z.literal("date_day_month_transposed") }).strict(),
  z.object({ ...weights, method: z.literal("date_same_year") }).strict(),
  z.object({ ...weights, method: z.literal("postcode_sector") }).strict(),
  z.object({ ...weights, method: z.literal("postcode_district") }).strict(),
  /** Jaccard overlap of the two values' token sets. */
  z
    .object({ ...weights, method: z.literal("token_overlap"), minJaccard: z.number().gt(0).lte(1) })
    .strict(),
  /** Catch-all; must be the last level. */
  z.object({ ...weights, method: z.literal("else") }).strict(),
]);

const SUM_TOLERANCE = 0.001;

/** One Fellegi–Sunter comparison; a missing value on either side contributes weight 0. */
export const comparisonSchema = z
  .object({
    id,
    field: z.enum(MATCH_FIELDS),
    description: text,
    termFrequencyAdjustments: z.boolean(),
    levels: z.array(comparisonLevelSchema).min(2).superRefine(uniqueIds),
  })
  .strict()
  .superRefine((c, ctx) => {
    const last = c.levels.length - 1;
    c.levels.forEach((level, i) => {
      if ((level.method === "else") !== (i === last)) {
        ctx.addIssue({
          code: "custom",
          path: ["levels", i, "method"],
          message: 'the last level, and only the last, must be "else"',
        });
      }
    });
    for (const p of ["m", "u"] as const) {
      const sum = c.levels.reduce((acc, level) => acc + level[p], 0);
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        ctx.addIssue({
          code: "custom",
          path: ["levels"],
          message: `${p} probabilities sum to ${sum.toFixed(6)}, not 1`,
        });
      }
    }
  });

/** A blocking key: records sharing every part's value become candidate pairs. */
export const blockingKeySchema = z
  .object({ id, parts: z.array(z.enum(BLOCKING_PARTS)).min(1) })
  .strict();

/** matching.json: record-linkage model (Fellegi–Sunter) and blocking. */
export const matchingSchema = z
  .object({
    version,
    source: text,
    /** lambda: the probability that two random records are the same person. */
    prior: z.object({ lambda: z.number().gt(0).lt(1) }).strict(),
    /** Match weights (log2 odds, prior included): >= upper auto-links, < lower creates a new person, between goes to review. */
    thresholds: z.object({ lower: z.number(), upper: z.number() }).strict(),
    comparisons: z.array(comparisonSchema).min(1).superRefine(uniqueIds),
    blocking: z
      .object({
        /** A block with more records than this is not compared (other keys still find pairs). */
        maxBlockSize: z.number().int().min(2),
        /**
         * Each stored encounter keeps its blocking values, and a value starts with its key's
         * position in this list: add keys at the end, and never reorder or remove one, or
         * stored records stop being found through the keys that moved.
         */
        keys: z.array(blockingKeySchema).min(1).superRefine(uniqueIds),
      })
      .strict(),
  })
  .strict();
