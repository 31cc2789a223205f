import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/server';
import type { BuiltUser } from '../helpers/factories';
import { launchBrowser, signInAs } from '../helpers/browser';
import { buildConferenceScene, liveConference } from '../conferences/helpers';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp('e2e_conference');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const signIn = (built: BuiltUser): Promise<Page> => signInAs(browser, app.baseUrl, built);

describe('a conference in the browser', () => {
  it('lets two users chat, record an action and a decision, close the conference and open the minutes', async () => {
    const s = await buildConferenceScene();
    const id = await liveConference(await app.as(s.chair), s.personId, [s.trustMember], { start: false });

    const chair = await signIn(s.chair);
    await chair.getByRole('link', { name: 'Conferences' }).click();
    await chair.getByRole('link', { name: 'Risk panel' }).click();
    await chair.getByRole('button', { name: 'Start the conference' }).click();
    await chair.getByRole('textbox', { name: 'Message' }).waitFor();

    const member = await signIn(s.trustMember);
    await member.goto(`${app.baseUrl}/conferences/room/${id}`);
    const memberLog = member.getByRole('log', { name: 'Messages' });
    await memberLog.getByText('The chair started the conference.').waitFor();

    await chair.getByRole('textbox', { name: 'Message' }).fill('Thanks for joining at short notice.');
    await chair.getByRole('textbox', { name: 'Message' }).press('Enter');
    await memberLog.getByText('Thanks for joining at short notice.').waitFor();

    await member.getByRole('textbox', { name: 'Message' }).fill('The trust saw them on Tuesday.');
    await member.getByRole('button', { name: 'Send' }).click();
    const chairLog = chair.getByRole('log', { name: 'Messages' });
    await chairLog.getByText('The trust saw them on Tuesday.').waitFor();

    // The member records an action for themselves; the chair records a decision.
    const actionForm = member.getByRole('form', { name: 'Record an action' });
    await actionForm.getByLabel('Action').fill('Arrange a joint home visit');
    await actionForm.getByLabel('Owner').selectOption({ label: 'Test User (Mental Health Trust)' });
    await actionForm.getByLabel('Due date').fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await actionForm.getByRole('button', { name: 'Record action' }).click();
    await chairLog.getByText(/Arrange a joint home visit/).waitFor();

    const decisionForm = chair.getByRole('form', { name: 'Record a decision' });
    await decisionForm.getByLabel('Decision').fill('Agree a shared crisis plan');
    await decisionForm.getByRole('button', { name: 'Record decision' }).click();
    await memberLog.getByText('Decision: Agree a shared crisis plan').waitFor();
    await member.getByRole('region', { name: 'Decisions' }).getByText('Agree a shared crisis plan').waitFor();

    const closeForm = chair.getByRole('form', { name: 'Close the conference' });
    await closeForm.getByLabel('Outcome').selectOption({ label: 'Multi-agency plan agreed' });
    await closeForm.getByLabel('Closing summary').fill('Plan agreed; review in four weeks.');
    await closeForm.getByRole('button', { name: 'Close the conference' }).click();
    await chair.getByRole('link', { name: 'Open the minutes' }).click();
    await chair.getByRole('heading', { level: 1, name: 'Minutes: Risk panel' }).waitFor();
    const chairMinutes = (await chair.locator('article.minutes').textContent()) ?? '';
    expect(chairMinutes).toContain('Agree a shared crisis plan');
    expect(chairMinutes).toContain('Arrange a joint home visit');
    expect(chairMinutes).toContain('Multi-agency plan agreed');

    await member.getByRole('link', { name: 'Open the minutes' }).click();
    await member.getByRole('heading', { level: 1, name: 'Minutes: Risk panel' }).waitFor();
    const attendees = member.getByRole('region', { name: 'Attendees' });
    await expect(attendees.textContent()).resolves.toMatch(/Police[\s\S]*Mental Health Trust|Mental Health Trust[\s\S]*Police/);
    await member.getByRole('button', { name: 'Print' }).waitFor();
  }, 120_000);
});
