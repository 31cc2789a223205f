import type { Browser } from 'playwright-core';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../helpers/server';
import { TEST_PASSWORD } from '../helpers/factories';
import { launchBrowser } from '../helpers/browser';
import { directContext } from '../helpers/workerContext';
import { TEST_REDIS_URL } from '../helpers/redis';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { redisEmitter } from '../../server/realtime/emitter';
import { domainConfig } from '../../config/domain';
import { Alert } from '../../server/models/Alert';
import { routeAlert } from '../../server/duty/router';
import { resolveDuty } from '../../server/duty/options';
import { buildDutyAlert, dutyScene } from '../duty/helpers';

let app: TestApp;
let browser: Browser;
const redis = new Redis(TEST_REDIS_URL);
let ctx: ReturnType<typeof directContext>;

beforeAll(async () => {
  app = await startTestApp('e2e_duty');
  ctx = directContext({ redis, logger: createLogger('silent'), redisPrefix: app.config.redisPrefix });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await ctx?.closeQueues();
  await closeRedis(redis);
  await app?.close();
});

/** Hours in which the agency is never open, so the real clock is always out of hours. */
function alwaysClosed() {
  const businessHours = domainConfig().businessHours;
  const closed = { sat: [], sun: [], mon: [], tue: [], wed: [], thu: [], fri: [] };
  return { ...businessHours, default: { ...businessHours.default, weekly: closed }, agencyKinds: {} };
}

describe('the duty console in a browser', () => {
  it('shows an out-of-hours alert arriving live with its countdown, and the duty manager acknowledges it', async () => {
    const { agency, dm } = await dutyScene();
    await dm.user.updateOne({ $set: { name: 'Dana Duty' } });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/duty`);
    await page.getByLabel('Email').fill(dm.user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Duty' }).waitFor();
    await page.getByRole('heading', { name: 'Live queue (0)' }).waitFor();
    expect(await page.getByRole('region', { name: 'On call now' }).textContent()).toContain('Dana Duty');
    await page.getByText('Live updates on').waitFor();

    const alert = await buildDutyAlert(agency, { severity: 'high' });
    const deps = { queue: ctx.queue, realtime: redisEmitter(redis, app.config.redisPrefix), duty: resolveDuty({ hours: { businessHours: alwaysClosed() } }) };
    expect(await routeAlert(deps, alert.id)).toMatchObject({ outcome: 'out_of_hours' });

    const card = page.getByRole('article', { name: /HIGH alert · Duty manager/ });
    await card.waitFor({ timeout: 10_000 });
    await page.getByText('New high alert for you.').waitFor();
    const first = await card.getByTestId('countdown').textContent();
    expect(first).toMatch(/^1[45]:\d\d left$/);
    // It ticks.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await card.getByTestId('countdown').textContent()).not.toBe(first);

    // Keyboard: focus the button and press Enter.
    await card.getByRole('button', { name: 'Acknowledge' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Alert acknowledged.').waitFor();
    await card.getByText('Acknowledged', { exact: true }).waitFor();
    expect(await card.getByTestId('countdown').count()).toBe(0);
    const stored = await Alert.findById(alert._id).orFail();
    expect(stored.status).toBe('acknowledged');
    expect(String(stored.acknowledgedBy)).toBe(dm.user.id);
    await context.close();
  }, 90_000);
});
