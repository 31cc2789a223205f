/**
 * "In hours" or not, for one agency, at one instant: the weekly schedule and bank holidays of
 * config/domain (business-hours.json, bank-holidays.json), read in the config's time zone
 * (Europe/London, so GMT and BST both come out right). Pure: `now` is always an argument.
 */
import {
  bankHolidayDates,
  domainConfig,
  hoursFor,
  WEEKDAYS,
  type AgencyKind,
  type BankHolidaysConfig,
  type BusinessHoursConfig,
  type Weekday,
} from '../../config/domain';

/** The agency facts that choose its hours (code overrides kind overrides the default). */
export interface HoursAgency {
  code?: string;
  kind?: AgencyKind;
}

/** Optional config, for tests; defaults to the shipped files. */
export interface HoursConfig {
  businessHours?: BusinessHoursConfig;
  bankHolidays?: BankHolidaysConfig;
}

/** A wall-clock reading in a time zone. */
interface LocalTime {
  date: string;
  weekday: Weekday;
  minutes: number;
}

const DAY_MS = 86_400_000;

function localTime(now: Date, timezone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = get('weekday').slice(0, 3).toLowerCase() as Weekday;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function scheduleOf(agency: HoursAgency, config: HoursConfig) {
  const businessHours = config.businessHours ?? domainConfig().businessHours;
  const hours = hoursFor(agency, businessHours);
  const holidays = hours.schedule.observesBankHolidays ? bankHolidayDates(hours.bankHolidayRegion, config.bankHolidays ?? domainConfig().bankHolidays) : new Set<string>();
  return { ...hours, holidays };
}

/**
 * True when `now` falls outside the agency's open hours: outside every range of the local
 * weekday (ranges are half-open, so 18:00 is already out of a 09:00–18:00 day), or on a bank
 * holiday of its region when its schedule observes them. Years beyond the bank-holiday file's
 * coverage are judged on the weekly schedule alone.
 */
export function isOutOfHours(now: Date, agency: HoursAgency, config: HoursConfig = {}): boolean {
  const { schedule, timezone, holidays } = scheduleOf(agency, config);
  const local = localTime(now, timezone);
  if (holidays.has(local.date)) return true;
  const open = schedule.weekly[local.weekday].some((r) => toMinutes(r.start) <= local.minutes && local.minutes < toMinutes(r.end));
  return !open;
}

/**
 * When the agency next opens on a later local day than `now` (the due time of a next-working-day
 * review). Looks up to three weeks ahead; null if the schedule never opens.
 */
export function nextWorkingDayStart(now: Date, agency: HoursAgency, config: HoursConfig = {}): Date | null {
  const { schedule, timezone, holidays } = scheduleOf(agency, config);
  const today = localTime(now, timezone).date;
  for (let i = 1; i <= 21; i++) {
    // Noon UTC on day i is the same calendar day in London whatever the season.
    const day = new Date(Date.parse(`${today}T12:00:00Z`) + i * DAY_MS);
    const date = day.toISOString().slice(0, 10);
    const weekday = WEEKDAYS[(day.getUTCDay() + 6) % 7];
    const first = schedule.weekly[weekday][0];
    if (!first || holidays.has(date)) continue;
    return zonedInstant(date, first.start, timezone);
  }
  return null;
}

/** The instant at which the wall clock in `timezone` reads `date` `hhmm`. */
function zonedInstant(date: string, hhmm: string, timezone: string): Date {
  const naive = Date.parse(`${date}T${hhmm}:00Z`);
  // Correct by the zone's offset at that moment (twice, in case the first guess crossed a change).
  let guess = naive;
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(guess), timezone);
    const asUtc = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
    guess = naive - (asUtc - guess);
  }
  return new Date(guess);
}
