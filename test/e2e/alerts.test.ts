/**
 * The alert inbox and the alert page in a browser, with the real workers: a third agency's record
 * arrives through the ingest API and the alert appears in the open inbox without a reload; the
 * panel member opens it, sees the evidence, acknowledges it, adds a note and closes it.
 */
import type { Browser, Page } from 'playwright-core';
import type { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildApiClient, buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { launchBrowser, signInAs } from '../helpers/browser';
import { Alert } from '../../server/models/Alert';
import { Consent } from '../../server/models/Consent';
import { User } from '../../server/models/User';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp('e2e_alerts', { workers: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const signIn = (built: BuiltUser): Promise<Page> => signInAs(browser, app.baseUrl, built);

async function named(built: BuiltUser, name: string): Promise<BuiltUser> {
  await User.updateOne({ _id: built.user._id }, { $set: { name } });
  return built;
}

const RULE = 'Known to 3+ agencies in 30 days';

/** A person known to police and the trust, who agreed to share with risk panels. */
async function knownToTwoAgencies(subject: { givenName: string; familyName: string; dateOfBirth: string }) {
  const scene = await buildScene();
  const quiet = { riskIndicators: [], occurredAt: new Date(Date.now() - 2 * 86_400_000) };
  const first = await buildEncounter(scene.police, subject, { ...quiet, kind: 'police_report' });
  await buildEncounter(scene.trust, subject, { ...quiet, kind: 'assessment' });
  const personId = first.personId as Types.ObjectId;
  const keyWorker = await buildUser({ roles: ['key_worker'], agency: scene.trust });
  await Consent.create({
    personId,
    status: 'given',
    scope: { allPanel: true, purposes: ['risk_panel', 'direct_care'], categories: ['demographics', 'risk', 'mental_health', 'criminal_justice', 'physical_health'] },
    evidence: 'Recorded at assessment',
    recordedBy: keyWorker.user._id,
    recordedByAgency: keyWorker.user.agencyId,
    recordedAt: new Date(Date.now() - 60_000),
  });
  return { scene, quiet, personId };
}

/** The third agency's record arrives from its system: link → detection → notification → socket. */
async function thirdAgencyRecord(scene: Awaited<ReturnType<typeof buildScene>>, externalRef: string, subject: object, occurredAt: Date) {
  const { key } = await buildApiClient({ agency: scene.ae });
  await app
    .anon()
    .post('/api/ingest/encounters')
    .set('Authorization', `ApiKey ${key}`)
    .send({ externalRef, occurredAt: occurredAt.toISOString(), kind: 'ae_attendance', subject, categories: ['demographics', 'physical_health'] })
    .expect(201);
}


describe('the alert inbox and alert page in a browser', () => {
  it('shows a new alert live, then takes it through acknowledge, note and close', async () => {
    const subject = { givenName: 'Robin', familyName: 'Alertfield', dateOfBirth: '1984-05-06' };
    // The person agreed to share with risk panels, so the panel sees who it is and the evidence.
    const { scene, quiet, personId } = await knownToTwoAgencies(subject);

    const member = await named(await buildUser({ roles: ['panel_member'], agency: scene.police }), 'Sam Panelworth');
    const colleague = await named(await buildUser({ roles: ['panel_member'], agency: scene.police }), 'Jo Colleague');
    const page = await signIn(member);
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByText('No active alerts').waitFor();
    await page.getByText('Live updates on').waitFor();

    await thirdAgencyRecord(scene, 'AE-E2E-ALERT-1', subject, quiet.occurredAt);

    // It appears in the open inbox without a reload, announced politely, and names nobody.
    const list = page.getByRole('region', { name: /Active alerts/ });
    const row = list.getByRole('article').filter({ hasText: RULE });
    await row.waitFor({ timeout: 30_000 });
    await page.getByText(/New alert: the latest is medium severity/).waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('Medium severity');
    expect(rowText).toContain('A person known to 3 agencies');
    expect(rowText).not.toContain('Alertfield');
    const alert = (await Alert.findOne({ personId, ruleId: 'multi_agency_30d' }))!;
    expect(alert.sharingState).toBe('consented');

    // The filters live in the URL: a severity that does not match empties the list.
    await page.getByLabel('Severity', { exact: true }).selectOption('critical');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/\/alerts\?severity=critical$/);
    await page.getByText('No alerts match these filters').waitFor();
    await page.goBack();
    await row.waitFor();

    // The alert page: what fired and why, who, and the evidence.
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: RULE }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/alerts/${alert.id as string}`);
    await page.getByText('Contacts recorded by three or more distinct agencies within 30 days.').waitFor();
    await page.getByRole('link', { name: 'Robin Alertfield' }).waitFor();
    const evidence = page.getByRole('region', { name: 'Evidence' });
    await evidence.getByRole('article').nth(2).waitFor();
    expect(await evidence.getByRole('article').count()).toBe(3);
    const evidenceText = (await evidence.textContent()) ?? '';
    for (const agency of ['Police', 'Mental Health Trust', 'A&E']) expect(evidenceText).toContain(agency);

    // Acknowledge: announced, and focus moves to the new status.
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const status = page.getByRole('heading', { level: 2, name: 'Status: Acknowledged' });
    await status.waitFor();
    await page.getByText(/^Acknowledged\. Others who received this alert/).waitFor();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('alert-status-title');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    // A note.
    await page.getByLabel('Note', { exact: true }).fill('Discussed with the trust duty worker; care coordinator to call today.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Note added to the timeline.').waitFor();
    const timeline = page.getByRole('region', { name: 'Alert timeline' });
    await timeline.getByText('Discussed with the trust duty worker; care coordinator to call today.').waitFor();
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('');

    // A colleague's step elsewhere shows up on the open page, and is said to be theirs.
    const other = await app.as(colleague);
    await other.post(`/api/alerts/${alert.id as string}/notes`, { text: 'Police have no further reports this week.' }).expect(201);
    await timeline.getByText('Police have no further reports this week.').waitFor();
    await page.getByText('This alert was updated elsewhere; the timeline shows what changed.').waitFor();

    // Close with an outcome and a note.
    await page.getByLabel('Outcome', { exact: true }).selectOption('care_plan_updated');
    await page.getByLabel('Closing note (optional)').fill('Crisis plan updated with the trust.');
    await page.getByRole('button', { name: 'Close the alert' }).click();
    await page.getByRole('heading', { level: 2, name: 'Status: Closed' }).waitFor();
    await page.getByText('Alert closed: Care plan updated.').waitFor();
    expect(await page.getByRole('region', { name: 'Actions' }).count()).toBe(0);

    // The timeline shows each step, with who took it.
    await timeline.getByText('Closed: Care plan updated').waitFor();
    const steps = await timeline.getByRole('listitem').allTextContents();
    const stepIndex = (re: RegExp) => steps.findIndex((s) => re.test(s));
    expect(stepIndex(/^Alert raised/)).toBe(0);
    const acked = stepIndex(/^Acknowledged · Sam Panelworth/);
    const noted = stepIndex(/^Note added · Sam Panelworth.*care coordinator to call today/);
    const colleagueNote = stepIndex(/^Note added · Jo Colleague/);
    const closed = stepIndex(/^Closed: Care plan updated · Sam Panelworth.*Crisis plan updated with the trust\./);
    expect([acked, noted, colleagueNote, closed].every((i) => i > 0)).toBe(true);
    expect(acked < noted && noted < colleagueNote && colleagueNote < closed).toBe(true);

    const saved = (await Alert.findById(alert._id))!;
    expect(saved.status).toBe('closed');
    expect(saved.outcome?.code).toBe('care_plan_updated');
    expect(saved.outcome?.note).toBe('Crisis plan updated with the trust.');

    // Back in the inbox, the closed alert has left the active list.
    await page.getByRole('link', { name: 'All alerts' }).click();
    await page.getByText('No active alerts').waitFor();
  }, 120_000);

  it('announces a new alert on any page, and opens it from the notice by keyboard', async () => {
    const subject = { givenName: 'Morgan', familyName: 'Noticeley', dateOfBirth: '1979-11-02' };
    const { scene, quiet } = await knownToTwoAgencies(subject);
    const member = await buildUser({ roles: ['panel_member'], agency: scene.police });
    const page = await signIn(member);
    await page.getByText('Live updates on').waitFor();

    await thirdAgencyRecord(scene, 'AE-E2E-NOTICE-1', subject, quiet.occurredAt);

    // On the home page, not the inbox: the notice says how severe, and names nobody.
    const notice = page.getByRole('status').filter({ hasText: /^New alert: the latest is medium severity\./ });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).not.toContain('Noticeley');
    const open = notice.getByRole('link', { name: 'Open the alert' });
    await open.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: RULE }).waitFor();
    await page.getByRole('link', { name: 'Morgan Noticeley' }).waitFor();
    // Opened, the notice has gone.
    expect(await page.getByText(/^New alert: the latest is/).count()).toBe(0);
  }, 90_000);
});
