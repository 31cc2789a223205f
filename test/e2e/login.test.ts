import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { launchBrowser } from '../helpers/browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp('e2e_login');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('signing in with a browser', () => {
  it('shows the app shell after a correct login, and the login page again after signing out', async () => {
    const agency = await buildAgency({ name: 'Riverside Safe Haven', kind: 'voluntary' });
    const built = await buildUser({ roles: ['key_worker'], agency });
    await built.user.updateOne({ $set: { name: 'Robin Keyworker' } });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.baseUrl);

    await page.getByLabel('Email').fill(built.user.email);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /incorrect/i }).waitFor();

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('Robin Keyworker');
    expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).toContain('Home');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
    await context.close();
  }, 60_000);
});
