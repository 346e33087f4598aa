import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { freePort } from '../support/ports';

/** A new workspace opens on the setup checklist, and each step ticks itself once it is done on its own page. */
describe('the setup checklist of a new workspace', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: AgentBrowser;

  const step = (name: string) => admin.page.locator(`[data-testid="setup-step"][data-step="${name}"]`);
  /** Back to the checklist through the header link, as the admin would after finishing a step. */
  async function backToChecklist(done: number): Promise<void> {
    await admin.page.getByTestId('nav-setup').click();
    await waitForText(admin.page.getByTestId('setup-progress'), `${done} of 5 done`);
    await waitForText(admin.page.getByTestId('nav-setup'), `${done}/5`);
  }

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    admin = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens on the checklist with nothing done', async () => {
    const checklist = admin.page.locator('.ticket-pane').getByTestId('setup-checklist');
    await waitForText(checklist.getByTestId('setup-progress'), '0 of 5 done');
    const steps = await checklist.getByTestId('setup-step').all();
    expect(await Promise.all(steps.map(async (item) => `${await item.getAttribute('data-step')}:${await item.getAttribute('data-done')}`))).toEqual([
      'mailbox:false',
      'team:false',
      'hours:false',
      'macro:false',
      'journey:false',
    ]);
    expect(await admin.page.getByTestId('nav-setup').textContent()).toBe('Setup 0/5');
  });

  it('ticks each step as it is done on the page the step links to', async () => {
    const { page } = admin;

    // Invite: the link leads to People; with no mailbox yet the admin gets a link to pass on.
    await step('team').getByTestId('setup-go-team').click();
    await page.getByTestId('people-page').waitFor();
    await page.getByTestId('invite-open').click();
    await page.getByTestId('invite-email').fill('nina@careloop.test');
    await page.getByTestId('invite-name').fill('Nina Neu');
    await page.getByTestId('invite-submit').click();
    await page.getByTestId('invitation-link').waitFor();
    await page.getByTestId('invitation-done').click();
    await backToChecklist(1);
    await waitForAttribute(step('team'), 'data-done', 'true');

    // A mailbox, connected by its settings (nothing listens at the port: the checklist counts a configured mailbox).
    await step('mailbox').getByTestId('setup-go-mailbox').click();
    await page.getByTestId('mailboxes-page').waitFor();
    await page.getByTestId('mailbox-new').click();
    const field = (name: string) => page.getByTestId('mailbox-form').getByTestId(`mailbox-${name}`);
    const port = String(await freePort());
    await field('name').fill('Support');
    await field('address').fill('support@careloop.test');
    await field('imapTls').uncheck();
    for (const [name, value] of [['imapHost', '127.0.0.1'], ['imapPort', port], ['imapUser', 'support'], ['imapPassword', 'imap-secret'], ['smtpHost', '127.0.0.1'], ['smtpPort', port], ['smtpUser', 'support'], ['smtpPassword', 'smtp-secret']]) {
      await field(name).fill(value);
    }
    await page.getByTestId('mailbox-save').click();
    await page.getByTestId('mailbox-form').waitFor({ state: 'detached' });
    await backToChecklist(2);
    await waitForAttribute(step('mailbox'), 'data-done', 'true');

    // Business hours: a calendar on the SLA page.
    await step('hours').getByTestId('setup-go-hours').click();
    await page.getByTestId('sla-calendar-new').click();
    await page.getByTestId('calendar-name').fill('Office hours');
    await page.getByTestId('calendar-save').click();
    await waitForText(page.getByTestId('sla-settings'), 'Office hours');
    await backToChecklist(3);

    // A first macro.
    await step('macro').getByTestId('setup-go-macro').click();
    await page.getByTestId('macro-new').click();
    await page.getByTestId('macro-name').fill('Where is my order');
    await page.getByTestId('macro-body').fill('Your order is on its way.');
    await page.getByTestId('macro-save').click();
    await waitForText(page.getByTestId('macro-item').first(), 'Where is my order');
    await backToChecklist(4);

    // A care journey, switched on from a preset.
    await step('journey').getByTestId('setup-go-journey').click();
    await page.getByTestId('journeys-page').waitFor();
    await page.getByTestId('journey-preset-switch-on').first().click();
    // The preset is reviewed before it runs: what it sends, to whom, and when.
    await page.getByRole('button', { name: 'Switch it on' }).click();
    await waitForText(page.getByTestId('journeys-page').locator('.journeys__table'), 'Pause');

    // All done: the checklist says so, and the header no longer offers it.
    await page.goto(`${t.url}/#/setup`);
    await waitForText(page.getByTestId('setup-progress'), 'All done');
    expect(await page.locator('[data-testid="setup-step"][data-done="true"]').count()).toBe(5);
    expect(await page.getByTestId('nav-setup').count()).toBe(0);
    // And the inbox opens on its usual hint again.
    await page.goto(`${t.url}/#/inbox/open`);
    await waitForText(page.locator('.ticket-pane'), 'Select a ticket to read it');
  });
});
