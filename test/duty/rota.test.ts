import mongoose from 'mongoose';
import '../../server/store/connection';
import { testDbUri } from '../helpers/db';
import { User } from '../../server/models/User';
import { RotaPattern } from '../../server/models/RotaPattern';
import { expandSlots, gapsIn, onCallAt, paint, rotaGaps, rotaTimeline, type Interval } from '../../server/duty/rota';
import { buildAgency, buildUser } from '../helpers/factories';
import { cover, onCallAllWeek } from './helpers';

beforeAll(async () => {
  await mongoose.connect(testDbUri('duty_rota'));
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
});
afterAll(async () => {
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});

const d = (iso: string) => new Date(iso);
const iv = (from: string, to: string, userId: string, source: Interval['source'] = 'weekly'): Interval => ({ from: d(from), to: d(to), userId, source, shiftId: null, shared: false });

describe('weekly slots in local time', () => {
  const nights = [{ days: ['sat'], start: '18:00', end: '09:00', userId: 'u1' }];

  it('makes an overnight shift 15 hours long in winter and summer alike', () => {
    const winter = expandSlots(nights, d('2026-01-10T00:00:00Z'), d('2026-01-12T00:00:00Z'), false, 'Europe/London');
    expect(winter.map((s) => [s.from.toISOString(), s.to.toISOString()])).toEqual([['2026-01-10T18:00:00.000Z', '2026-01-11T09:00:00.000Z']]);
    const summer = expandSlots(nights, d('2026-06-13T00:00:00Z'), d('2026-06-15T00:00:00Z'), false, 'Europe/London');
    expect(summer.map((s) => [s.from.toISOString(), s.to.toISOString()])).toEqual([['2026-06-13T17:00:00.000Z', '2026-06-14T08:00:00.000Z']]);
  });

  it('makes the night the clocks go forward an hour shorter (14 hours), and the night they go back an hour longer', () => {
    const spring = expandSlots(nights, d('2026-03-28T00:00:00Z'), d('2026-03-30T00:00:00Z'), false, 'Europe/London')[0];
    expect((spring.to.getTime() - spring.from.getTime()) / 3_600_000).toBe(14);
    const autumn = expandSlots([{ ...nights[0], days: ['sat'] }], d('2026-10-24T00:00:00Z'), d('2026-10-26T00:00:00Z'), false, 'Europe/London')[0];
    expect((autumn.to.getTime() - autumn.from.getTime()) / 3_600_000).toBe(16);
  });
});

describe('paint and gaps', () => {
  it('lets an earlier (higher-priority) interval win where they overlap, and joins one person\'s adjacent pieces', () => {
    const out = paint(
      [iv('2026-06-13T20:00:00Z', '2026-06-13T22:00:00Z', 'cover', 'override'), iv('2026-06-13T18:00:00Z', '2026-06-14T08:00:00Z', 'rota')],
      d('2026-06-13T00:00:00Z'),
      d('2026-06-15T00:00:00Z'),
    );
    expect(out.map((s) => [s.userId, s.from.toISOString().slice(11, 16), s.to.toISOString().slice(11, 16)])).toEqual([
      ['rota', '18:00', '20:00'],
      ['cover', '20:00', '22:00'],
      ['rota', '22:00', '08:00'],
    ]);
    expect(gapsIn(out, d('2026-06-13T00:00:00Z'), d('2026-06-15T00:00:00Z')).map((g) => [g.from.toISOString(), g.to.toISOString()])).toEqual([
      ['2026-06-13T00:00:00.000Z', '2026-06-13T18:00:00.000Z'],
      ['2026-06-14T08:00:00.000Z', '2026-06-15T00:00:00.000Z'],
    ]);
  });
});

describe('who is on call', () => {
  it('answers the weekly pattern, an override beating it for its period, and a swap', async () => {
    const agency = await buildAgency();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => buildUser({ roles: ['duty_manager'], agency })));
    await onCallAllWeek(agency, 'duty_manager', a);
    await cover(agency, 'duty_manager', b, d('2026-06-13T20:00:00Z'), d('2026-06-13T23:00:00Z'));
    await cover(agency, 'duty_manager', c, d('2026-06-13T21:00:00Z'), d('2026-06-13T22:00:00Z'), 'swap');
    expect((await onCallAt(agency._id, 'duty_manager', d('2026-06-13T19:00:00Z')))?.userId).toBe(a.user.id);
    const override = await onCallAt(agency._id, 'duty_manager', d('2026-06-13T20:30:00Z'));
    expect(override).toMatchObject({ userId: b.user.id, source: 'override', to: d('2026-06-13T21:00:00Z') });
    expect((await onCallAt(agency._id, 'duty_manager', d('2026-06-13T21:30:00Z')))).toMatchObject({ userId: c.user.id, source: 'swap' });
    expect((await onCallAt(agency._id, 'duty_manager', d('2026-06-13T23:00:00Z')))?.userId).toBe(a.user.id);
  });

  it('skips a disabled user or one who lost the duty manager role, falling back to the shared rota', async () => {
    const agency = await buildAgency();
    const gone = await buildUser({ roles: ['duty_manager'], agency });
    const panel = await buildUser({ roles: ['duty_manager'] });
    await onCallAllWeek(agency, 'senior_on_call', gone);
    await onCallAllWeek(null, 'senior_on_call', panel);
    expect((await onCallAt(agency._id, 'senior_on_call', d('2026-06-13T01:00:00Z')))?.userId).toBe(gone.user.id);
    await User.updateOne({ _id: gone.user._id }, { $set: { disabled: true } });
    expect(await onCallAt(agency._id, 'senior_on_call', d('2026-06-13T01:00:00Z'))).toMatchObject({ userId: panel.user.id, shared: true });
    await RotaPattern.deleteMany({ agencyId: null, level: 'senior_on_call' });
    expect(await onCallAt(agency._id, 'senior_on_call', d('2026-06-13T01:00:00Z'))).toBeNull();
  });

  it('warns of the periods in the next 14 days with nobody on call, per level', async () => {
    const agency = await buildAgency();
    const a = await buildUser({ roles: ['duty_manager'], agency });
    await RotaPattern.create({ agencyId: agency._id, level: 'duty_manager', slots: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '09:00', userId: a.user._id }] });
    const now = d('2026-06-08T12:00:00Z'); // a Monday
    const levels = await rotaGaps(agency._id, now);
    const dm = levels.find((l) => l.level === 'duty_manager');
    // Days (09:00–18:00 BST) and the weekend (Sat 09:00 → Mon 18:00) are uncovered.
    expect(dm?.gaps[0]).toEqual({ from: now, to: d('2026-06-08T17:00:00Z') });
    expect(dm?.gaps.some((g) => g.from.toISOString() === '2026-06-13T08:00:00.000Z' && g.to.toISOString() === '2026-06-15T17:00:00.000Z')).toBe(true);
    expect(levels.find((l) => l.level === 'director_on_call')?.gaps).toEqual([{ from: now, to: d('2026-06-22T12:00:00Z') }]);
    expect((await rotaTimeline(agency._id, 'duty_manager', now, d('2026-06-09T12:00:00Z'))).map((s) => s.userId)).toEqual([a.user.id]);
  });
});
