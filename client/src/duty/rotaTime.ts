/**
 * Rota times in the rota's own zone (Europe/London), whatever the browser's: weekly slots are
 * written in it, and a one-off period typed as "Sat 20:00" means 20:00 there, GMT or BST.
 */
import type { Weekday } from './rotaApi';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(at: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
}

/** "Sat 13 Jun, 09:00" in the rota's zone. */
export function rotaDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The value of a `datetime-local` input showing `at` in the rota's zone ("2026-06-13T09:00"). */
export function toLocalInput(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * The instant a `datetime-local` value means in the rota's zone, as ISO; null when it is not a
 * date and time. A time that does not exist (the hour the clocks skip) becomes the one after it.
 */
export function fromLocalInput(value: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const naive = Date.parse(`${value}:00Z`);
  if (Number.isNaN(naive)) return null;
  let guess = naive;
  // Correct by the zone's offset at the guess, twice in case the first guess crossed a change.
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(guess), timeZone);
    const asUtc = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`);
    guess = naive - (asUtc - guess);
  }
  return new Date(guess).toISOString();
}

export const DAY_LABELS: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const SHORT: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Every day", "Mon–Fri", "Sat, Sun" or "Mon, Wed, Fri". */
export function describeDays(days: readonly Weekday[]): string {
  const chosen = ORDER.filter((d) => days.includes(d));
  if (chosen.length === ORDER.length) return 'Every day';
  if (chosen.length === 0) return 'No days';
  const first = ORDER.indexOf(chosen[0]);
  const contiguous = chosen.length >= 3 && chosen.every((d, i) => ORDER.indexOf(d) === first + i);
  return contiguous ? `${SHORT[chosen[0]]}–${SHORT[chosen[chosen.length - 1]]}` : chosen.map((d) => SHORT[d]).join(', ');
}

/** "18:00 to 09:00 next day", "09:00 to 17:00" or "all day (00:00 to 00:00)". */
export function describeHours(start: string, end: string): string {
  if (start === end) return start === '00:00' ? 'all day' : `${start} for 24 hours`;
  return end < start ? `${start} to ${end} next day` : `${start} to ${end}`;
}
