/**
 * Debian's Chromium driven by playwright-core (no browser download). Every test gets a fresh,
 * empty profile; background networking is off because this machine has no outside network.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_PASSWORD, type BuiltUser } from './factories';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Signs a user in (password only) in a fresh browser context and waits for the home page. */
export async function signInAs(browser: Browser, baseUrl: string, built: BuiltUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByLabel('Email').fill(built.user.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
  return page;
}
