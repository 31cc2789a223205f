import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  DomainConfigError,
  bankHolidayDates,
  defaultDomainDir,
  domainConfig,
  hoursFor,
  isAtLeastLevel,
  loadDomainConfig,
  windowStart,
  type BankHolidayRegion,
} from "../../config/domain";

const shippedDir = defaultDomainDir();
const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Copies the shipped files to a temp folder, lets `edit` change one parsed file, returns the folder. */
function brokenCopy(file: string, edit: (data: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "domain-config-"));
  tempDirs.push(dir);
  for (const name of fs.readdirSync(shippedDir).filter((n) => n.endsWith(".json"))) {
    fs.copyFileSync(path.join(shippedDir, name), path.join(dir, name));
  }
  const target = path.join(dir, file);
  const data = JSON.parse(fs.readFileSync(target, "utf8"));
  edit(data);
  fs.writeFileSync(target, JSON.stringify(data));
  return dir;
}

function loadError(dir: string): DomainConfigError {
  try {
    loadDomainConfig(dir);
  } catch (err) {
    if (err instanceof DomainConfigError) return err;
    throw err;
  }
  throw new Error("expected loadDomainConfig to throw");
}

const holidays = (region: BankHolidayRegion, year: number) =>
  domainConfig()
    .bankHolidays.regions[region].filter((h) => h.date.startsWith(`${year}-`))
    .map((h) => h.date.slice(5));

describe("the shipped domain configuration", () => {
  it("loads, validates and is frozen", () => {
    const config = loadDomainConfig();
    expect(config.taxonomy.levels.map((l) => l.id)).toEqual(["low", "medium", "high", "critical"]);
    expect(config.businessHours.timezone).toBe("Europe/London");
    expect(config.escalation.levels.map((l) => l.id)).toEqual(["duty_manager", "senior_on_call", "director_on_call"]);
    expect(Object.isFrozen(config.alertRules.rules[0].condition)).toBe(true);
    expect(domainConfig()).toBe(domainConfig());
  });

  it("names the data categories, purposes and sensitive fields the sharing module relies on", () => {
    const { taxonomy } = domainConfig();
    expect(taxonomy.purposes.map((p) => p.id)).toEqual(
      expect.arrayContaining(["direct_care", "safeguarding", "risk_panel", "crisis_response", "service_planning"]),
    );
    expect(taxonomy.dataCategories.map((c) => c.id)).toEqual(
      expect.arrayContaining(["demographics", "contact", "risk", "mental_health", "criminal_justice", "safeguarding"]),
    );
    expect(taxonomy.sensitiveFields.map((f) => f.id).sort()).toEqual(["domestic_abuse_disclosure", "new_phone", "safe_address"]);
  });

  it("keeps every blocking key at the position stored encounters' blocking values were built with", () => {
    // Stored values start with the key's position: keys may only be added at the end.
    const ids = domainConfig().matching.blocking.keys.map((k) => k.id);
    expect(ids.slice(0, 18)).toEqual([
      "nhs_number", "identifier", "dob_given_soundex", "dob_family_soundex", "dob_name_initials",
      "names_soundex_dob_year", "names_soundex_postcode", "postcode_given_initial", "postcode_family_initial",
      "dob_postcode_district", "full_name", "address_family_soundex", "address_name_initials", "family_given_soundex",
      "dob_address", "names_soundex_postcode_district", "family_given_initial_dob_year", "postcode_sector_name_initials",
    ]);
  });

  it("carries the four detection rules the panel asked for", () => {
    const conditions = domainConfig().alertRules.rules.map((r) => [r.condition.kind, r.window]);
    expect(conditions).toEqual([
      ["distinct_agencies", { unit: "days", count: 30 }],
      ["encounter_count", { unit: "days", count: 14 }],
      ["high_risk_plus_other_agency", { unit: "days", count: 30 }],
      ["agency_kind_count", { unit: "months", count: 12 }],
    ]);
  });

  it("routes medium and above out of hours with escalating deadlines", () => {
    const { escalation } = domainConfig();
    expect(escalation.outOfHoursMinSeverity).toBe("medium");
    expect(escalation.ackDeadlineMinutes).toEqual({ critical: 10, high: 15, medium: 60, low: null });
  });

  it("keeps weekday hours 09:00-18:00 by default and GP core hours for GPs", () => {
    expect(hoursFor({ kind: "police" }).schedule.weekly.mon).toEqual([{ start: "09:00", end: "18:00" }]);
    expect(hoursFor({ kind: "police" }).schedule.weekly.sat).toEqual([]);
    expect(hoursFor({ kind: "gp" }).schedule.weekly.fri).toEqual([{ start: "08:00", end: "18:30" }]);
    expect(hoursFor({ code: "unknown" }).bankHolidayRegion).toBe("england-and-wales");
  });
});

describe("UK bank holidays", () => {
  it("match GOV.UK for England and Wales 2025 and 2026", () => {
    expect(holidays("england-and-wales", 2025)).toEqual(["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"]);
    expect(holidays("england-and-wales", 2026)).toEqual(["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"]);
  });

  it("move Christmas and Boxing Day 2027 (Saturday, Sunday) to 27 and 28 December", () => {
    for (const region of ["england-and-wales", "scotland", "northern-ireland"] as const) {
      expect(holidays(region, 2027).filter((d) => d.startsWith("12-"))).toEqual(["12-27", "12-28"]);
    }
  });

  it("give New Year's Day 2028 (Saturday) a substitute, and Scotland 2 January too", () => {
    expect(holidays("england-and-wales", 2028)[0]).toBe("01-03");
    expect(holidays("scotland", 2028).slice(0, 2)).toEqual(["01-03", "01-04"]);
    expect(holidays("scotland", 2027).slice(0, 2)).toEqual(["01-01", "01-04"]);
  });

  it("follow Scotland's own calendar: no Easter Monday, first Monday of August, St Andrew's Day", () => {
    const scotland2025 = holidays("scotland", 2025);
    expect(scotland2025).not.toContain("04-21");
    expect(scotland2025).toContain("08-04");
    expect(scotland2025).not.toContain("08-25");
    expect(scotland2025).toContain("12-01"); // 30 Nov 2025 is a Sunday
    expect(holidays("scotland", 2026)).toContain("11-30");
  });

  it("include St Patrick's Day and the Boyne in Northern Ireland, with substitutes", () => {
    expect(holidays("northern-ireland", 2026)).toEqual(
      expect.arrayContaining(["03-17", "04-06", "07-13"]), // 12 Jul 2026 is a Sunday
    );
    expect(holidays("northern-ireland", 2026)).not.toContain("07-12");
    expect(holidays("northern-ireland", 2025)).toContain("07-14"); // 12 Jul 2025 is a Saturday
    expect(holidays("england-and-wales", 2026)).not.toContain("03-17");
  });

  it("are all weekdays, and every region covers 2025 to 2028", () => {
    for (const region of ["england-and-wales", "scotland", "northern-ireland"] as const) {
      const dates = [...bankHolidayDates(region)];
      expect(dates.every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
      for (const year of [2025, 2026, 2027, 2028]) expect(dates.some((d) => d.startsWith(`${year}`))).toBe(true);
    }
  });
});

describe("loadDomainConfig refuses bad data", () => {
  it("names the file and the field of an invalid severity", () => {
    const dir = brokenCopy("alert-rules.json", (d) => (d.rules[2].severity = "severe"));
    const err = loadError(dir);
    expect(err.message).toMatch(/alert-rules\.json: rules\.2\.severity: Invalid option/);
    expect(err.path).toBe("rules.2.severity");
  });

  it("refuses a rule that refers to an unknown risk level", () => {
    const dir = brokenCopy("alert-rules.json", (d) => (d.rules[2].condition.minLevel = "extreme"));
    expect(loadError(dir).message).toMatch(/alert-rules\.json: rules\.2\.condition\.minLevel: unknown risk level "extreme"/);
  });

  it("refuses a rule that counts an unknown encounter kind", () => {
    const dir = brokenCopy("alert-rules.json", (d) => d.rules[1].condition.encounterKinds.push("crisis"));
    expect(loadError(dir).message).toMatch(/rules\.1\.condition\.encounterKinds\.4: unknown encounter kind/);
  });

  it("refuses unknown fields", () => {
    const dir = brokenCopy("escalation.json", (d) => (d.ackDeadlinesMinutes = {}));
    expect(loadError(dir).message).toMatch(/escalation\.json: .*Unrecognized key/);
  });

  it("refuses bank holidays out of order", () => {
    const dir = brokenCopy("bank-holidays.json", (d) => d.regions.scotland.reverse());
    expect(loadError(dir).message).toMatch(/bank-holidays\.json: regions\.scotland\.1\.date: .*sorted/);
  });

  it("refuses a bank holiday on a date that does not exist", () => {
    const dir = brokenCopy("bank-holidays.json", (d) => (d.regions["northern-ireland"][0].date = "2025-02-30"));
    expect(loadError(dir).message).toMatch(/bank-holidays\.json: regions\.northern-ireland\.0\.date/);
  });

  it("refuses a weekend bank holiday (a forgotten substitute day)", () => {
    const dir = brokenCopy("bank-holidays.json", (d) => {
      const list = d.regions["northern-ireland"];
      list.find((h: { date: string }) => h.date === "2026-07-13").date = "2026-07-12";
    });
    expect(loadError(dir).message).toMatch(/"2026-07-12" is a weekend day/);
  });

  it("refuses a lower match threshold at or above the upper one", () => {
    const dir = brokenCopy("matching.json", (d) => (d.thresholds.lower = d.thresholds.upper));
    expect(loadError(dir).message).toMatch(/matching\.json: thresholds\.lower: must be below thresholds\.upper/);
  });

  it("refuses m probabilities that do not sum to 1", () => {
    const dir = brokenCopy("matching.json", (d) => (d.comparisons[0].levels[0].m = 0.5));
    expect(loadError(dir).message).toMatch(/matching\.json: comparisons\.0\.levels: m probabilities sum to/);
  });

  it("refuses an out-of-hours severity with no acknowledgement deadline", () => {
    const dir = brokenCopy("escalation.json", (d) => (d.ackDeadlineMinutes.medium = null));
    expect(loadError(dir).message).toMatch(/escalation\.json: ackDeadlineMinutes\.medium:/);
  });

  it("refuses an escalation severity missing from the deadlines", () => {
    const dir = brokenCopy("escalation.json", (d) => delete d.ackDeadlineMinutes.high);
    expect(loadError(dir).message).toMatch(/escalation\.json: ackDeadlineMinutes\.high:/);
  });

  it("refuses business hours that end before they start", () => {
    const dir = brokenCopy("business-hours.json", (d) => (d.default.weekly.tue = [{ start: "18:00", end: "09:00" }]));
    expect(loadError(dir).message).toMatch(/business-hours\.json: default\.weekly\.tue\.0\.end: start must be before end/);
  });

  it("names a file that is not JSON", () => {
    const dir = brokenCopy("taxonomy.json", () => undefined);
    fs.writeFileSync(path.join(dir, "taxonomy.json"), "{ not json");
    expect(loadError(dir).message).toMatch(/taxonomy\.json: invalid JSON/);
  });
});

describe("helpers", () => {
  it("compares risk levels by rank", () => {
    const { taxonomy } = domainConfig();
    expect(isAtLeastLevel(taxonomy, "critical", "high")).toBe(true);
    expect(isAtLeastLevel(taxonomy, "medium", "high")).toBe(false);
    expect(() => isAtLeastLevel(taxonomy, "severe", "high")).toThrow(/unknown risk level/);
  });

  it("computes rule windows in days and in calendar months", () => {
    const at = new Date("2026-03-31T12:00:00Z");
    expect(windowStart({ unit: "days", count: 30 }, at).toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(windowStart({ unit: "months", count: 1 }, at).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(windowStart({ unit: "months", count: 12 }, at).toISOString()).toBe("2025-03-31T12:00:00.000Z");
  });
});
