import type { Browser } from 'playwright-core';
import type { TicketPageDto } from '../../contracts/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';

/** A newcomer tries the demo workspace: a reply "sends" without any SMTP server, into a labelled demo outbox. */
describe('the demo workspace’s outbox', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: AgentBrowser;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_DEMO: 'true' } });
    browser = await launchBrowser();
    admin = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('keeps the first reply in the demo outbox with its headers, and the ticket says Sent, not Not sent', async () => {
    const token = await t.login();
    const [ticket] = ((await t.http.get('/api/tickets?status=new,open&limit=1').auth(token, { type: 'bearer' })).body as TicketPageDto).items;
    const { page } = admin;
    await page.goto(`${t.url}/#/inbox/open/${ticket.id}`);
    await page.getByTestId('composer-body').fill('Trying Careloop: a fresh bag is on its way.');
    await page.getByTestId('composer-send').click();
    const delivery = page.getByTestId('message').filter({ hasText: 'a fresh bag is on its way' }).getByTestId('delivery-state');
    await waitForAttribute(delivery, 'data-state', 'sent');
    expect(await page.locator('[data-testid="delivery-state"][data-state="failed"]').count()).toBe(0);

    // The mailbox says where its replies go; the outbox says it is a demo and shows what would have gone out.
    await page.getByTestId('nav-mailboxes').click();
    await waitForText(page.getByTestId('mailbox-demo'), 'Replies are kept in the demo outbox, not sent.');
    await page.getByTestId('mailbox-demo').getByRole('link', { name: 'demo outbox' }).click();
    const outbox = page.getByTestId('demo-outbox');
    await waitForText(outbox, 'Nothing on this page was sent');
    const email = outbox.getByTestId('captured-email').first();
    await waitForText(email, ticket.subject);
    await waitForText(email, `to ${ticket.customer?.email}`);
    await email.locator('summary').click();
    await waitForText(email.locator('.demo-outbox__headers'), /Message-ID<.+@careloop\.local>/);
    await waitForText(email.locator('.demo-outbox__body'), 'a fresh bag is on its way');
  });
});
