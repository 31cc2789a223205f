import { isOutOfHours, nextWorkingDayStart } from '../../server/commands/hours';

const police = { kind: 'police' as const };
const gp = { kind: 'gp' as const };

describe('isOutOfHours (Europe/London business hours and bank holidays)', () => {
  it.each([
    ['a BST weekday at 17:59', '2026-06-10T16:59:00Z', false],
    ['a BST weekday at 18:01', '2026-06-10T17:01:00Z', true],
    ['a BST weekday at 18:00 (ranges are half-open)', '2026-06-10T17:00:00Z', true],
    ['a BST weekday at 09:00', '2026-06-10T08:00:00Z', false],
    ['a BST weekday at 08:59', '2026-06-10T07:59:00Z', true],
    ['a GMT weekday at 17:59', '2026-03-10T17:59:00Z', false],
    ['a GMT weekday at 18:01', '2026-03-10T18:01:00Z', true],
    ['a Saturday at 12:00', '2026-06-13T11:00:00Z', true],
    ['a Saturday at 17:59', '2026-06-13T16:59:00Z', true],
    ['a Sunday at 10:00', '2026-06-14T09:00:00Z', true],
    ['a bank holiday Monday at 12:00', '2026-05-25T11:00:00Z', true],
    ['a bank holiday Monday at 17:59', '2026-05-25T16:59:00Z', true],
    ['the Tuesday after it at 12:00', '2026-05-26T11:00:00Z', false],
  ])('for a police agency, %s → out of hours: %s', (_name, iso, expected) => {
    expect(isOutOfHours(new Date(iso), police)).toBe(expected);
  });

  it('uses the agency kind’s own hours (a GP practice is open until 18:30)', () => {
    expect(isOutOfHours(new Date('2026-06-10T17:01:00Z'), gp)).toBe(false);
    expect(isOutOfHours(new Date('2026-06-10T17:31:00Z'), gp)).toBe(true);
  });
});

describe('nextWorkingDayStart', () => {
  it.each([
    ['Tuesday evening (GMT) → Wednesday 09:00', '2026-03-10T19:00:00Z', '2026-03-11T09:00:00.000Z'],
    ['Friday evening (BST) → Monday 09:00 BST', '2026-06-12T18:00:00Z', '2026-06-15T08:00:00.000Z'],
    ['Friday before a bank holiday Monday → Tuesday', '2026-05-22T19:00:00Z', '2026-05-26T08:00:00.000Z'],
    ['Saturday before the clocks go forward → Monday 09:00 BST', '2026-03-28T12:00:00Z', '2026-03-30T08:00:00.000Z'],
    ['a weekday in hours → the next weekday, not today', '2026-06-10T10:00:00Z', '2026-06-11T08:00:00.000Z'],
  ])('%s', (_name, iso, expected) => {
    expect(nextWorkingDayStart(new Date(iso), police)?.toISOString()).toBe(expected);
  });
});
