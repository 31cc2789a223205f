/**
 * Wall-clock arithmetic in a time zone (Europe/London from business-hours.json), for business
 * hours and the rota: weekly rota slots are written in local time, so a "18:00–09:00" shift is
 * 15 hours in winter and in summer alike, and the night the clocks change is an hour shorter or
 * longer, as it is for staff.
 */
import { WEEKDAYS, type Weekday } from '../../config/domain';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/**
 * Readings by zone and UTC minute: a reading changes only from one minute to the next, and
 * formatting is the costly part of every routing and closing-time calculation.
 */
const readings = new Map<string, { date: string; minutes: number }>();
const READINGS_MAX = 10_000;

/** The local calendar date (YYYY-MM-DD) and minutes since local midnight at an instant. */
export function localReading(at: Date, timezone: string): { date: string; minutes: number } {
  const key = `${timezone}|${Math.floor(at.getTime() / 60_000)}`;
  const known = readings.get(key);
  if (known) return { ...known };
  const parts = formatter(timezone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const reading = { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
  if (readings.size >= READINGS_MAX) readings.clear();
  readings.set(key, reading);
  return { ...reading };
}

/** "HH:MM" as minutes since midnight. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The weekday of a calendar date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7];
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant at which the wall clock in `timezone` reads `date` `hhmm`. In the hour that does not
 * exist when the clocks go forward it answers the instant just after the jump.
 */
export function zonedInstant(date: string, hhmm: string, timezone: string): Date {
  const naive = Date.parse(`${date}T${hhmm}:00Z`);
  let guess = naive;
  // Correct by the zone's offset at the guess (twice, in case the first guess crossed a change).
  for (let i = 0; i < 2; i++) {
    const local = localReading(new Date(guess), timezone);
    const asUtc = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
    guess = naive - (asUtc - guess);
  }
  return new Date(guess);
}
