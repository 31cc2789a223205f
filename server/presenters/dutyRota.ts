/** The rota for the console and the rota editor: periods, stored shifts and weekly patterns, with staff names. */
import type { OnCallShiftDoc } from '../models/OnCallShift';
import type { RotaPatternDoc } from '../models/RotaPattern';
import type { Segment } from '../duty/rota';
import type { Names } from './dutyAlert';

const nameOf = (names: Names, id: unknown) => names.get(String(id)) ?? 'Unknown user';

export function presentSegment(s: Segment, names: Names) {
  return { from: s.from.toISOString(), to: s.to.toISOString(), userId: s.userId, userName: nameOf(names, s.userId), source: s.source, shiftId: s.shiftId, shared: s.shared };
}

export function presentShift(s: OnCallShiftDoc, names: Names) {
  return {
    id: s.id as string,
    level: s.level,
    shared: s.agencyId === null,
    userId: String(s.userId),
    userName: nameOf(names, s.userId),
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    source: s.source,
    replacesUserId: s.replacesUserId ? String(s.replacesUserId) : null,
    cancelledAt: s.cancelledAt ? s.cancelledAt.toISOString() : null,
  };
}

export function presentPattern(p: RotaPatternDoc, names: Names) {
  return {
    level: p.level,
    shared: p.agencyId === null,
    slots: p.slots.map((s) => ({ days: [...s.days], start: s.start, end: s.end, userId: String(s.userId), userName: nameOf(names, s.userId) })),
  };
}
