import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { buildEncounterCsv } from '../helpers/csv';
import { launchBrowser } from '../helpers/browser';
import { Encounter } from '../../server/models/Encounter';
import { QUEUE_NAMES } from '../../workers/queues';

let app: TestApp;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  app = await startTestApp('e2e_import', { workers: true });
  // This test is about the import page; the rows' link jobs are held (test/server/imports.test.ts runs them).
  await app.runtime.ctx.queue(QUEUE_NAMES.linkage).pause();
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccw-e2e-import-'));
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('importing a CSV in the browser', () => {
  it('shows progress, then a per-row report of the bad rows, and stores the good ones', async () => {
    const agency = await buildAgency();
    const built = await buildUser({ roles: ['practitioner'], agency });
    const { text, expectedBad, good } = buildEncounterCsv(1500, { badEvery: 100, prefix: 'E2E' });
    const file = path.join(dir, 'contacts.csv');
    fs.writeFileSync(file, text);

    const page = await (await browser.newContext()).newPage();
    await page.goto(app.baseUrl);
    await page.getByLabel('Email').fill(built.user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Import records' }).click();
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload' }).click();

    await page.getByText(/Processed [\d,]+ of 1,500 rows/).first().waitFor({ timeout: 60_000 });
    const table = page.getByRole('table', { name: 'Problems in this file' });
    await table.waitFor({ timeout: 60_000 });
    // One body row per bad row, each naming the row number and the column.
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(expectedBad.length);
    const firstRow = (await rows.first().textContent()) ?? '';
    expect(firstRow).toContain(String(expectedBad[0].row));
    expect(firstRow).toContain(expectedBad[0].field);
    expect(await Encounter.countDocuments({ agencyId: agency._id })).toBe(good);
    expect(await app.runtime.ctx.queue(QUEUE_NAMES.linkage).getWaitingCount()).toBe(good);
  }, 90_000);
});
