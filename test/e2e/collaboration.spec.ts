import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { AGENT_PASSWORD, createAgent, launchBrowser, openAgent, ticketRow, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';

const CUSTOMER = 'ines@example.com';
const SUBJECT = 'Refund for a damaged mug';

describe('two agents on the same ticket', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let alex: AgentBrowser;
  let blair: AgentBrowser;
  let ticketId: string;

  const openTicket = async (page: Page) => {
    await page.goto(`${t.url}/#/inbox/open/${ticketId}`);
    await page.locator(`[data-testid="ticket-view"][data-ticket-id="${ticketId}"]`).waitFor();
  };
  const viewerOn = (page: Page, name: string) => page.getByTestId('presence-viewer').filter({ hasText: name });

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'ines-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '1' } });
    admin = await t.login();
    await connectMailbox(t, stack, admin);
    await createAgent(t, admin, { email: 'alex@careloop.test', name: 'Alex Agent' });
    await createAgent(t, admin, { email: 'blair@careloop.test', name: 'Blair Agent' });
    await stack.deliver(email({ from: `Ines <${CUSTOMER}>`, subject: SUBJECT, body: 'My mug arrived in pieces.', messageId: `mug.${Date.now()}@example.com` }), { from: CUSTOMER, to: [SUPPORT] });

    browser = await launchBrowser();
    [alex, blair] = await Promise.all([
      openAgent(browser, t, 'alex@careloop.test', AGENT_PASSWORD),
      openAgent(browser, t, 'blair@careloop.test', AGENT_PASSWORD),
    ]);
    await alex.page.getByTestId('view-open').click();
    const row = ticketRow(alex.page, SUBJECT);
    await row.waitFor({ timeout: 20_000 });
    ticketId = (await row.getAttribute('data-ticket-id')) ?? '';
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  it("shows each agent the other's presence, and what they are typing: a note as a note, a reply as a reply", async () => {
    await Promise.all([openTicket(alex.page), openTicket(blair.page)]);
    await viewerOn(alex.page, 'Blair Agent').waitFor();
    await waitForAttribute(viewerOn(blair.page, 'Alex Agent'), 'data-typing', 'none');

    await alex.page.getByTestId('composer-mode-note').click();
    await alex.page.getByTestId('composer-body').fill('Check the courier photos first.');
    await waitForAttribute(viewerOn(blair.page, 'Alex Agent'), 'data-typing', 'note');
    await waitForText(viewerOn(blair.page, 'Alex Agent'), 'writing an internal note');
    expect(await viewerOn(blair.page, 'Alex Agent').textContent()).not.toContain('reply');

    await alex.page.getByTestId('composer-mode-reply').click();
    await waitForAttribute(viewerOn(blair.page, 'Alex Agent'), 'data-typing', 'reply');
    await blair.page.getByTestId('composer-others-typing').getByText('Alex Agent').waitFor();

    await alex.page.getByTestId('composer-body').fill('');
    await waitForAttribute(viewerOn(blair.page, 'Alex Agent'), 'data-typing', 'none');
  });

  it("shows each agent the other's changes to status and tags as they happen", async () => {
    await blair.page.getByTestId('status-select').selectOption('on_hold');
    await blair.page.getByTestId('tag-input').fill('refund');
    await blair.page.getByTestId('tag-input').press('Enter');

    await waitForText(alex.page.getByTestId('status-select').locator('option:checked'), 'On hold');
    await alex.page.getByTestId('ticket-view').getByTestId('tag').getByText('refund').waitFor();
    // The timeline records both changes, by Blair.
    await alex.page.getByTestId('timeline-event').filter({ hasText: 'Open → On hold' }).or(alex.page.getByTestId('timeline-event').filter({ hasText: '→ On hold' })).first().waitFor();
    await alex.page.getByTestId('timeline-event').filter({ hasText: '+refund' }).waitFor();
    // The ticket left Alex's "All open" list (it is on hold now) without a reload.
    await ticketRow(alex.page, SUBJECT).waitFor({ state: 'detached' });

    await alex.page.getByTestId('status-select').selectOption('open');
    await waitForText(blair.page.getByTestId('status-select').locator('option:checked'), 'Open');
    await ticketRow(blair.page, SUBJECT).waitFor();
  });

  it('holds a reply drafted while someone else replied, until the agent has looked at theirs', async () => {
    await alex.page.getByTestId('composer-body').fill('Hi Ines, we will refund the mug.');
    await blair.page.getByTestId('composer-body').fill('Hello Ines, a replacement mug ships today.');
    await blair.page.getByTestId('composer-send').click();

    const held = alex.page.getByTestId('composer-held');
    await waitForText(held, 'Blair Agent');
    expect(await alex.page.getByTestId('composer-send').isDisabled()).toBe(true);
    await alex.page.getByTestId('composer-show-new-reply').click();
    await held.waitFor({ state: 'detached' });
    await alex.page.getByTestId('composer-send').click();

    const received = await stack.waitForMessages(CUSTOMER, 2, 20_000);
    const bodies = received.map((message) => message.source.toString());
    expect(bodies.some((body) => body.includes('a replacement mug ships today'))).toBe(true);
    expect(bodies.some((body) => body.includes('we will refund the mug'))).toBe(true);
  });

  it('catches up after a dropped connection: nothing missed, nothing twice, no reload', async () => {
    const { page } = alex;
    const loads = { count: 0 };
    page.on('load', () => loads.count++);
    await ticketRow(page, SUBJECT).waitFor();
    // The network drops: the socket closes and cannot come back until it returns.
    await alex.context.setOffline(true);
    await page.locator('[data-testid="live-status"][data-status="offline"]').waitFor();

    const blairToken = await t.login('blair@careloop.test', AGENT_PASSWORD);
    await t.http.post(`/api/tickets/${ticketId}/notes`).auth(blairToken, { type: 'bearer' }).send({ body: 'Written while Alex was offline.' }).expect(201);
    await t.http.patch(`/api/tickets/${ticketId}`).auth(blairToken, { type: 'bearer' }).send({ status: 'pending', tags: ['refund', 'breakage'] }).expect(200);
    await alex.context.setOffline(false);

    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor({ timeout: 30_000 });
    const note = page.getByTestId('message').filter({ hasText: 'Written while Alex was offline.' });
    await note.waitFor();
    await waitForText(page.getByTestId('status-select').locator('option:checked'), 'Pending');
    await page.getByTestId('ticket-view').getByTestId('tag').getByText('breakage').waitFor();
    // Lists are never refetched on reconnect: only the replayed events can take the now pending ticket out of "All open".
    await ticketRow(page, SUBJECT).waitFor({ state: 'detached' });
    expect(await note.count()).toBe(1);
    expect(await page.getByTestId('timeline-event').filter({ hasText: '+breakage' }).count()).toBe(1);
    expect(loads.count).toBe(0);
  });
});
