import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { insertTickets, launchBrowser, openAgent, ticketRow, waitForText, type AgentBrowser } from '../support/browser';

const TICKETS = 3000;

describe('a large inbox: virtualised list, capped counts, bulk changes and saved views', () => {
  let t: TestApp;
  let browser: Browser;
  let agent: AgentBrowser;

  beforeAll(async () => {
    t = await startTestApp();
    await insertTickets(t, TICKETS, 'Bulk');
    browser = await launchBrowser();
    agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows "999+" for a view with thousands of tickets and draws only the rows in sight while scrolling deep', async () => {
    const { page } = agent;
    await page.getByTestId('view-open').click();
    await waitForText(page.getByTestId('view-open').getByTestId('view-count'), '999+');
    await ticketRow(page, `Bulk ${TICKETS}`).waitFor();

    const scroller = page.getByTestId('ticket-list-scroll');
    // Scroll to the end a few times: each time the next page loads.
    // The last row of each page, in sight at the bottom once that page has loaded.
    for (const deeper of [TICKETS - 49, TICKETS - 99, TICKETS - 149]) {
      await scroller.hover();
      await page.mouse.wheel(0, 100_000);
      await ticketRow(page, `Bulk ${deeper}`).waitFor();
    }
    expect(Number(await page.getByTestId('ticket-list').getAttribute('aria-rowcount'))).toBeGreaterThanOrEqual(150);
    expect(await page.getByTestId('ticket-row').count()).toBeLessThan(40);
  });

  it('changes the status of selected tickets at once; they leave the view and the counts follow', async () => {
    const { page } = agent;
    await page.getByTestId('view-pending').click();
    await waitForText(page.getByTestId('view-pending').getByTestId('view-count'), '0');
    await page.getByTestId('view-open').click();
    for (const number of [TICKETS, TICKETS - 1, TICKETS - 2]) await ticketRow(page, `Bulk ${number}`).getByTestId('ticket-select').check();
    await waitForText(page.getByTestId('bulk-actions'), '3 selected');
    await page.getByTestId('bulk-status').selectOption('pending');

    await ticketRow(page, `Bulk ${TICKETS}`).waitFor({ state: 'detached' });
    await page.getByTestId('bulk-actions').waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('view-pending').getByTestId('view-count'), '3');
  });

  it('saves a shared view from a filter and lists its tickets', async () => {
    const { page } = agent;
    await page.getByTestId('new-view').click();
    const form = page.getByTestId('save-view-form');
    await page.getByTestId('save-view-name').fill('Waiting on customers');
    await form.getByLabel('New').uncheck();
    await form.getByLabel('Open').uncheck();
    await form.getByLabel('Pending').check();
    await form.getByLabel('Shared with everyone').check();
    await page.getByTestId('save-view-submit').click();

    const view = page.getByRole('link', { name: /Waiting on customers/ });
    await view.waitFor();
    await waitForText(view.getByTestId('view-count'), '3');
    await view.click();
    await ticketRow(page, `Bulk ${TICKETS - 1}`).waitFor();
    expect(await page.getByTestId('ticket-row').count()).toBe(3);
  });

  it('edits a saved view: its name, its filter, and with them its count and tickets', async () => {
    const { page } = agent;
    await page.getByRole('button', { name: 'Edit view Waiting on customers' }).click();
    const form = page.getByTestId('save-view-form');
    // The form opens on the view as saved.
    expect(await page.getByTestId('save-view-name').inputValue()).toBe('Waiting on customers');
    expect(await form.getByLabel('Pending').isChecked()).toBe(true);
    expect(await form.getByLabel('Open').isChecked()).toBe(false);
    await page.getByTestId('save-view-name').fill('Waiting: ticket 2999');
    await form.getByLabel('Containing text').fill(`Bulk ${TICKETS - 1}`);
    await page.getByTestId('save-view-submit').click();

    const view = page.getByRole('link', { name: /Waiting: ticket 2999/ });
    await waitForText(view.getByTestId('view-count'), /^1$/);
    expect(await page.getByRole('link', { name: /Waiting on customers/ }).count()).toBe(0);
    await view.click();
    await ticketRow(page, `Bulk ${TICKETS - 1}`).waitFor();
    await ticketRow(page, `Bulk ${TICKETS}`).waitFor({ state: 'detached' });
    expect(await page.getByTestId('ticket-row').count()).toBe(1);
  });

  it('merges into the ticket picked in the dialog, after a moment to undo; the other closes and says where it went', async () => {
    const { page } = agent;
    await page.getByTestId('view-open').click();
    // The first selected is not the one kept: the agent picks the second in the dialog.
    const [source, target] = [ticketRow(page, `Bulk ${TICKETS - 3}`), ticketRow(page, `Bulk ${TICKETS - 4}`)];
    const [sourceId, targetId] = [await source.getAttribute('data-ticket-id'), await target.getAttribute('data-ticket-id')];
    await source.getByTestId('ticket-select').check();
    await target.getByTestId('ticket-select').check();
    await page.getByTestId('bulk-merge').click();
    const dialog = page.getByTestId('merge-dialog');
    await waitForText(dialog, `Bulk ${TICKETS - 3}`);
    await dialog.getByTestId('merge-choice').filter({ hasText: `Bulk ${TICKETS - 4}` }).getByRole('radio').check();
    await waitForText(dialog.getByTestId('merge-choice').filter({ hasText: `Bulk ${TICKETS - 3}` }), /Merged and closed/);
    await dialog.getByTestId('merge-confirm').click();
    await waitForText(page.getByTestId('undo-toast'), /Merging 1 ticket into #\d+/);

    await source.waitFor({ state: 'detached', timeout: 20_000 });
    expect(agent.dialogs).toEqual([]);
    await target.waitFor();
    await page.goto(`${t.url}/#/inbox/open/${targetId}`);
    await page.getByTestId('timeline-event').filter({ hasText: /Merged #\d+ into this ticket/ }).waitFor();
    await page.goto(`${t.url}/#/inbox/open/${sourceId}`);
    await page.getByTestId('timeline-event').filter({ hasText: /Merged into #\d+/ }).waitFor();
    await waitForText(page.getByTestId('status-select').locator('option:checked'), 'Closed');
  });
});
