import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { launchBrowser, signInAs } from '../helpers/browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp('e2e_person');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const signIn = (built: BuiltUser): Promise<Page> => signInAs(browser, app.baseUrl, built);

describe('the person page in a browser', () => {
  it('shows a police user their record and markers for two other agencies, then the shared records after consent', async () => {
    const scene = await buildScene();
    const subject = { givenName: 'Casey', familyName: 'Marlowe', dateOfBirth: '1990-03-04' };
    await buildEncounter(scene.police, subject, { kind: 'police_report', categories: ['demographics', 'criminal_justice', 'risk'] });
    await buildEncounter(scene.trust, subject, { sensitive: { safeAddress: '9 Hidden Close' } });
    await buildEncounter(scene.ae, subject, { kind: 'ae_attendance' });

    const police = await signIn(await buildUser({ roles: ['practitioner'], agency: scene.police }));
    await police.getByRole('link', { name: 'People' }).click();
    await police.getByLabel('Family name').fill('Marlowe');
    await police.getByLabel('Date of birth').fill('1990-03-04');
    await police.getByRole('button', { name: 'Search' }).click();
    await police.getByRole('link', { name: /^Marlowe, Casey/ }).click();

    const timeline = police.getByRole('region', { name: 'Timeline' });
    await timeline.waitFor();
    expect(await timeline.getByRole('article').count()).toBe(1);
    const withheld = police.getByRole('region', { name: 'Withheld records' });
    await expect(withheld.textContent()).resolves.toMatch(/1 Mental Health Trust record withheld/);
    await expect(withheld.textContent()).resolves.toMatch(/1 A&E record withheld/);

    // The trust's key worker records the person's consent in their own browser.
    const keyWorker = await signIn(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    await keyWorker.goto(police.url());
    const form = keyWorker.getByRole('form', { name: 'Record consent' });
    await form.waitFor();
    await form.getByLabel('Given', { exact: true }).check();
    await form.getByLabel('Direct care').check();
    for (const c of ['Demographics', 'Mental health', 'Risk', 'Physical health']) await form.getByLabel(c, { exact: true }).check();
    await form.getByLabel('Evidence').fill('Signed consent form at assessment');
    await form.getByRole('button', { name: 'Record consent' }).click();
    await keyWorker.getByText(/consent given/i).first().waitFor();

    await police.reload();
    await timeline.waitFor();
    await timeline.getByRole('article').nth(2).waitFor();
    expect(await timeline.getByRole('article').count()).toBe(3);
    expect(await police.getByRole('region', { name: 'Withheld records' }).count()).toBe(0);
    const text = (await timeline.textContent()) ?? '';
    expect(text).toMatch(/Safe address withheld/);
    expect(text).not.toContain('9 Hidden Close');
  }, 90_000);
});
