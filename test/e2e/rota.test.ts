/**
 * The rota editor in a browser: an agency admin finds it in the navigation, sees the "nobody on
 * call" warning for every level, adds a weekly pattern with the keyboard and sees that level drop
 * out of the warning, adds an override that changes another level's gaps, and is told plainly
 * why a swap of someone not on call is refused.
 */
import type { Browser } from 'playwright-core';
import { authenticator } from 'otplib';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { launchBrowser } from '../helpers/browser';
import { OnCallShift } from '../../server/models/OnCallShift';
import { RotaPattern } from '../../server/models/RotaPattern';
import { User } from '../../server/models/User';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp('e2e_rota');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The London calendar date `days` from now, as YYYY-MM-DD. */
function londonDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

describe('the rota editor in a browser', () => {
  it('lets an agency admin add a weekly pattern and an override, with the gap warning following each change', async () => {
    const agency = await buildAgency({ name: 'Northshire Police' });
    const admin = await buildUser({ roles: ['agency_admin'], agency, mfa: true });
    const dana = await buildUser({ roles: ['duty_manager'], agency });
    const sam = await buildUser({ roles: ['duty_manager'], agency });
    await User.updateOne({ _id: dana.user._id }, { $set: { name: 'Dana Duty' } });
    await User.updateOne({ _id: sam.user._id }, { $set: { name: 'Sam Senior' } });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.baseUrl);
    await page.getByLabel('Email').fill(admin.user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(authenticator.generate(admin.totpSecret as string));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rota' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rota' }).waitFor();

    // Nobody is on call at any level: the warning names all three.
    const gaps = page.getByRole('region', { name: 'Gaps in cover' });
    await gaps.getByText('Nobody on call at 3 levels in the next 14 days: Duty manager, Senior manager on call, Director on call.').waitFor();
    const seniorGaps = gaps.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Senior manager on call' }) }).getByRole('listitem');
    expect(await seniorGaps.count()).toBe(1);
    expect(await seniorGaps.first().textContent()).toMatch(/^Nobody from now until at least /);
    expect(await page.getByRole('region', { name: 'On call now' }).textContent()).not.toContain('Dana Duty');

    // A weekly pattern for the duty manager level, by keyboard: Dana all day, every day.
    await page.getByRole('button', { name: 'Add a weekly slot for Duty manager' }).click();
    const slotForm = page.getByRole('form', { name: 'New weekly slot: Duty manager' });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await slotForm.getByLabel(day).focus();
      await page.keyboard.press('Space');
    }
    await slotForm.getByLabel('Starts at').fill('00:00');
    await slotForm.getByLabel('Ends at').fill('00:00');
    await slotForm.getByLabel('Who is on call').selectOption({ label: 'Dana Duty' });
    await slotForm.getByRole('button', { name: 'Save weekly slot' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Weekly slot added: Duty manager.').waitFor();

    // The duty manager level leaves the warning; Dana is on call now.
    await gaps.getByText('Nobody on call at 2 levels in the next 14 days: Senior manager on call, Director on call.').waitFor();
    await page.getByRole('region', { name: 'On call now' }).getByText('Dana Duty').waitFor();
    const pattern = page.getByRole('table', { name: 'Weekly pattern: Duty manager' });
    expect(await pattern.getByRole('row').nth(1).textContent()).toBe('Every dayall dayDana DutyEditRemove');
    const stored = await RotaPattern.findOne({ agencyId: agency._id, level: 'duty_manager' }).orFail();
    expect(stored.slots.map((s) => ({ days: [...s.days], start: s.start, end: s.end, userId: String(s.userId) }))).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00', userId: dana.user.id },
    ]);

    // A swap of someone who is not on call is refused, and the page says why.
    const shiftForm = page.getByRole('form', { name: 'Add an override or a swap' });
    const tomorrow = londonDate(1);
    const dayAfter = londonDate(2);
    await shiftForm.getByLabel('Swap: someone takes over another person’s cover').check();
    await shiftForm.getByLabel('Level').selectOption({ label: 'Senior manager on call' });
    await shiftForm.getByLabel('Whose cover').selectOption({ label: 'Dana Duty' });
    await shiftForm.getByLabel('Who takes it over').selectOption({ label: 'Sam Senior' });
    await shiftForm.getByLabel('From').fill(`${tomorrow}T20:00`);
    await shiftForm.getByLabel('Until').fill(`${dayAfter}T08:00`);
    await shiftForm.getByRole('button', { name: 'Add swap' }).click();
    await shiftForm.getByRole('alert').getByText('The person whose cover you are swapping is not on call for the whole of that period.', { exact: false }).waitFor();
    expect(await OnCallShift.countDocuments({ agencyId: agency._id })).toBe(0);

    // An override: Sam covers the senior level tomorrow night, which splits that level's gap in two.
    await shiftForm.getByLabel('Override: someone is on call for a period').check();
    await shiftForm.getByLabel('Who is on call').selectOption({ label: 'Sam Senior' });
    await shiftForm.getByRole('button', { name: 'Add override' }).click();
    await page.getByText('Override added.').waitFor();
    await page.getByRole('table', { name: 'Overrides and swaps' }).getByRole('cell', { name: 'Sam Senior', exact: true }).waitFor();
    await seniorGaps.nth(1).waitFor();
    expect(await seniorGaps.count()).toBe(2);
    expect(await gaps.getByText('Nobody on call at 2 levels in the next 14 days', { exact: false }).count()).toBe(1);
    const override = await OnCallShift.findOne({ agencyId: agency._id }).orFail();
    expect(override).toMatchObject({ level: 'senior_on_call', source: 'override' });
    expect(String(override.userId)).toBe(sam.user.id);
    // 20:00 and 08:00 London time, whatever the browser's zone.
    const londonClock = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    expect([londonClock(override.from), londonClock(override.to)]).toEqual(['20:00', '08:00']);
    await context.close();
  }, 90_000);
});
