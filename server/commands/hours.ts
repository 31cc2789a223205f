/**
 * "In hours" or not, for one agency, at one instant: the weekly schedule and bank holidays of
 * config/domain (business-hours.json, bank-holidays.json), read in the config's time zone
 * (Europe/London, so GMT and BST both come out right). Pure: `now` is always an argument.
 */
import { bankHolidayDates, domainConfig, hoursFor, type AgencyKind, type BankHolidaysConfig, type BusinessHoursConfig } from '../../config/domain';
import { addDays, localReading, minutesOf, weekdayOf, zonedInstant } from '../duty/localTime';

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
  const local = localReading(now, timezone);
  if (holidays.has(local.date)) return true;
  const open = schedule.weekly[weekdayOf(local.date)].some((r) => minutesOf(r.start) <= local.minutes && local.minutes < minutesOf(r.end));
  return !open;
}

/**
 * When the agency next opens on a later local day than `now` (the due time of a next-working-day
 * review). Looks up to three weeks ahead; null if the schedule never opens.
 */
export function nextWorkingDayStart(now: Date, agency: HoursAgency, config: HoursConfig = {}): Date | null {
  const { schedule, timezone, holidays } = scheduleOf(agency, config);
  const today = localReading(now, timezone).date;
  for (let i = 1; i <= 21; i++) {
    const date = addDays(today, i);
    const first = schedule.weekly[weekdayOf(date)][0];
    if (!first || holidays.has(date)) continue;
    return zonedInstant(date, first.start, timezone);
  }
  return null;
}
