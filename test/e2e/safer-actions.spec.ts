import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { TicketDetailDto } from '../../contracts/api';
import { Mailbox } from '../../server/src/mail/mailbox.entity';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, waitForText, type AgentBrowser } from '../support/browser';
import { createTicket } from '../support/fixtures';
import { waitFor } from '../support/wait';

describe('safer actions in the inbox', () => {
  let t: TestApp;
  let admin: string;
  let browser: Browser;
  let agent: AgentBrowser;

  const detail = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
  /** An open ticket with a mailbox to reply from (replies are queued; no SMTP is needed to see them stored). */
  async function replyableTicket(subject: string): Promise<string> {
    const ticket = await createTicket(t.app, { subject, from: 'maya@example.com', status: 'open' });
    const mailbox = await t.app.get(DataSource).getRepository(Mailbox).save({ name: 'Support', address: `support-${ticket.number}@careloop.test`, isActive: false });
    await t.app.get(TicketRepository).transaction((manager) => t.app.get(TicketRepository).updateTicket(ticket.id, { mailboxId: mailbox.id }, manager));
    return ticket.id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    browser = await launchBrowser();
    agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("applies a macro's actions only when the reply is sent", async () => {
    await t.http
      .post('/api/macros')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'Refund on its way', body: 'Your refund is on its way.', actions: [{ type: 'set_status', status: 'pending' }, { type: 'add_tags', tags: ['refund'] }] })
      .expect(201);
    const ticketId = await replyableTicket('Refund please');
    const { page } = agent;
    await page.goto(`${t.url}/#/inbox/open/${ticketId}`);
    await page.getByTestId('macro-picker-open').click();
    await page.getByTestId('macro-option').filter({ hasText: 'Refund on its way' }).click();
    await page.getByTestId('macro-preview').getByText('refund').first().waitFor();
    await page.getByTestId('macro-apply').click();

    await waitForText(page.getByTestId('composer-pending-macros'), /Refund on its way on send/);
    expect(await page.getByTestId('composer-body').inputValue()).toContain('Your refund is on its way.');
    // Still writing: the ticket has not changed.
    expect(await detail(ticketId)).toMatchObject({ status: 'open', tags: [] });

    await page.getByTestId('composer-send').click();
    await page.getByTestId('composer-pending-macros').waitFor({ state: 'detached' });
    await waitFor('the macro applied with the send', async () => {
      const ticket = await detail(ticketId);
      return ticket.status === 'pending' && ticket.tags.includes('refund') && ticket.messages.some((message) => message.direction === 'outbound');
    });
  });

  it('drops pending macro actions with a discarded draft', async () => {
    const ticketId = await replyableTicket('Discarded');
    const { page } = agent;
    await page.goto(`${t.url}/#/inbox/open/${ticketId}`);
    await page.getByTestId('macro-picker-open').click();
    await page.getByTestId('macro-option').filter({ hasText: 'Refund on its way' }).click();
    await page.getByTestId('macro-preview').waitFor();
    await page.getByTestId('macro-apply').click();
    await page.getByTestId('composer-pending-macros').waitFor();
    await page.getByTestId('composer-discard').click();
    await page.getByTestId('composer-pending-macros').waitFor({ state: 'detached' });
    expect(await page.getByTestId('composer-body').inputValue()).toBe('');
    expect(await detail(ticketId)).toMatchObject({ status: 'open', tags: [] });
  });

  it('solves with e, and Undo leaves the ticket open', async () => {
    const ticketId = await replyableTicket('Solve me, then not');
    const { page } = agent;
    await page.goto(`${t.url}/#/inbox/open/${ticketId}`);
    await page.getByTestId('ticket-subject').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('e');
    await waitForText(page.getByTestId('undo-toast'), /Solved #\d+/);
    await page.getByTestId('undo-button').click();
    await page.getByTestId('undo-toast').waitFor({ state: 'detached' });
    await waitFor('the ticket open again', async () => (await detail(ticketId)).status === 'open');
    await waitForText(page.getByTestId('status-select').locator('option:checked'), 'Open');
  });
});
