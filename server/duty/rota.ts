/**
 * Who is on call: the weekly pattern of an agency and level, overlaid with one-off overrides and
 * swaps (newest first), and under both the shared, panel-wide rota as a fallback. The core is
 * pure (`paint`, `expandSlots`, `gapsIn`); the loaders read the rota for a window.
 */
import { trusted, Types } from 'mongoose';
import { domainConfig } from '../../config/domain';
import { OnCallShift, type ShiftSource } from '../models/OnCallShift';
import { RotaPattern } from '../models/RotaPattern';
import { User } from '../models/User';
import { addDays, localReading, minutesOf, weekdayOf, zonedInstant } from './localTime';

/** A candidate on-call period before overlaying. */
export interface Interval {
  from: Date;
  to: Date;
  userId: string;
  source: ShiftSource;
  /** The stored OnCallShift for overrides and swaps. */
  shiftId: string | null;
  /** From the shared, panel-wide rota rather than the agency's own. */
  shared: boolean;
}

/** One resolved stretch of the timeline: exactly one person on call. */
export type Segment = Interval;

/** A weekly slot, as stored on RotaPattern. */
export interface Slot {
  days: readonly string[];
  start: string;
  end: string;
  userId: unknown;
}

/** The role every on-call user must hold: the duty console is where they acknowledge. */
export const ON_CALL_ROLE = 'duty_manager';

/** How far ahead the "nobody on call" warning looks. */
export const GAP_HORIZON_DAYS = 14;

const timezone = () => domainConfig().businessHours.timezone;

/** The weekly slots as concrete intervals overlapping [from, to), in slot order. */
export function expandSlots(slots: readonly Slot[], from: Date, to: Date, shared: boolean, tz: string = timezone()): Interval[] {
  const out: Interval[] = [];
  const first = addDays(localReading(from, tz).date, -1);
  const last = localReading(to, tz).date;
  for (const slot of slots) {
    const overnight = minutesOf(slot.end) <= minutesOf(slot.start);
    for (let date = first; date <= last; date = addDays(date, 1)) {
      if (!slot.days.includes(weekdayOf(date))) continue;
      const start = zonedInstant(date, slot.start, tz);
      const end = zonedInstant(overnight ? addDays(date, 1) : date, slot.end, tz);
      if (end <= from || start >= to) continue;
      out.push({ from: start, to: end, userId: String(slot.userId), source: 'weekly', shiftId: null, shared });
    }
  }
  return out;
}

/**
 * Overlays intervals given in priority order (first wins) onto [from, to): each fills only time
 * nobody before it covers. Adjacent pieces for the same person are joined, so a segment's `to`
 * is when that person's cover really ends.
 */
export function paint(intervals: readonly Interval[], from: Date, to: Date): Segment[] {
  let segments: Segment[] = [];
  for (const iv of intervals) {
    const a = Math.max(iv.from.getTime(), from.getTime());
    const b = Math.min(iv.to.getTime(), to.getTime());
    if (a >= b) continue;
    const added: Segment[] = [];
    let cursor = a;
    for (const s of segments) {
      if (s.to.getTime() <= cursor) continue;
      if (s.from.getTime() >= b) break;
      if (s.from.getTime() > cursor) added.push({ ...iv, from: new Date(cursor), to: new Date(s.from.getTime()) });
      cursor = Math.max(cursor, s.to.getTime());
    }
    if (cursor < b) added.push({ ...iv, from: new Date(cursor), to: new Date(b) });
    segments = [...segments, ...added].sort((x, y) => x.from.getTime() - y.from.getTime());
  }
  const joined: Segment[] = [];
  for (const s of segments) {
    const prev = joined[joined.length - 1];
    if (prev && prev.userId === s.userId && prev.shared === s.shared && prev.to.getTime() === s.from.getTime()) {
      joined[joined.length - 1] = { ...prev, to: s.to };
    } else {
      joined.push(s);
    }
  }
  return joined;
}

/** The parts of [from, to) no segment covers. */
export function gapsIn(segments: readonly Segment[], from: Date, to: Date): { from: Date; to: Date }[] {
  const gaps: { from: Date; to: Date }[] = [];
  let cursor = from.getTime();
  for (const s of segments) {
    if (s.from.getTime() > cursor) gaps.push({ from: new Date(cursor), to: new Date(Math.min(s.from.getTime(), to.getTime())) });
    cursor = Math.max(cursor, s.to.getTime());
  }
  if (cursor < to.getTime()) gaps.push({ from: new Date(cursor), to });
  return gaps.filter((g) => g.to > g.from);
}

/** The intervals of one rota (an agency's or the shared one) for a level, highest priority first. */
async function rotaIntervals(agencyId: Types.ObjectId | null, level: string, from: Date, to: Date): Promise<Interval[]> {
  const shared = agencyId === null;
  const [shifts, pattern] = await Promise.all([
    OnCallShift.find({ agencyId, level, cancelledAt: null, from: trusted({ $lt: to }), to: trusted({ $gt: from }) }).sort({ createdAt: -1, _id: -1 }),
    RotaPattern.findOne({ agencyId, level }),
  ]);
  const stored: Interval[] = shifts.map((s) => ({ from: s.from, to: s.to, userId: String(s.userId), source: s.source, shiftId: s.id as string, shared }));
  return [...stored, ...expandSlots(pattern?.slots ?? [], from, to, shared)];
}

/** Drops intervals of users who are disabled or no longer hold the on-call role. */
async function onlyActive(intervals: Interval[]): Promise<Interval[]> {
  const ids = [...new Set(intervals.map((i) => i.userId))];
  if (ids.length === 0) return intervals;
  const active = await User.find({ _id: trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }), disabled: false, roles: ON_CALL_ROLE }).select('_id');
  const ok = new Set(active.map((u) => String(u._id)));
  return intervals.filter((i) => ok.has(i.userId));
}

/**
 * The resolved on-call timeline of an agency for a level over [from, to): its own overrides and
 * swaps, then its weekly pattern, then (for an agency) the shared rota where it has nobody.
 */
export async function rotaTimeline(agencyId: Types.ObjectId | string | null, level: string, from: Date, to: Date): Promise<Segment[]> {
  const own = agencyId === null ? null : new Types.ObjectId(String(agencyId));
  const layers = await rotaIntervals(own, level, from, to);
  if (own) layers.push(...(await rotaIntervals(null, level, from, to)));
  return paint(await onlyActive(layers), from, to);
}

/**
 * A short-lived, per-process memory of resolved timelines, for workers that ask "who is on call"
 * for hundreds of alerts a second. A rota change reaches a worker within `ttlMs`.
 */
export class RotaCache {
  private readonly entries = new Map<string, { loadedAt: number; from: number; segments: Promise<Segment[]> }>();
  constructor(readonly ttlMs: number) {}

  /** The timeline from `at` for a day and a half, reusing a fresh one that covers `at` with a day to spare. */
  timelineFrom(agencyId: Types.ObjectId | string | null, level: string, at: Date): Promise<Segment[]> {
    const load = () => rotaTimeline(agencyId, level, at, new Date(at.getTime() + 36 * 3_600_000));
    if (this.ttlMs <= 0) return load();
    const key = `${String(agencyId)}|${level}`;
    const hit = this.entries.get(key);
    const t = at.getTime();
    if (hit && Date.now() - hit.loadedAt <= this.ttlMs && t >= hit.from && t <= hit.from + 12 * 3_600_000) return hit.segments;
    const segments = load();
    segments.catch(() => this.entries.delete(key));
    this.entries.set(key, { loadedAt: Date.now(), from: t, segments });
    return segments;
  }
}

const NO_CACHE = new RotaCache(0);

/** Who is on call for an agency (falling back to the shared rota) at a level at an instant, and until when. */
export async function onCallAt(agencyId: Types.ObjectId | string | null, level: string, at: Date, cache: RotaCache = NO_CACHE): Promise<Segment | null> {
  // Look ahead so the segment's end is the end of the person's cover, not of the query.
  const segments = await cache.timelineFrom(agencyId, level, at);
  const t = at.getTime();
  return segments.find((s) => s.from.getTime() <= t && t < s.to.getTime()) ?? null;
}

/** Periods in the next GAP_HORIZON_DAYS with nobody on call, per escalation level. */
export async function rotaGaps(agencyId: Types.ObjectId | string | null, now: Date, days = GAP_HORIZON_DAYS) {
  const to = new Date(now.getTime() + days * 86_400_000);
  const levels = domainConfig().escalation.levels;
  return Promise.all(
    levels.map(async (level) => ({ level: level.id, rank: level.rank, gaps: gapsIn(await rotaTimeline(agencyId, level.id, now, to), now, to) })),
  );
}
