import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { AGENT_PASSWORD, createAgent, launchBrowser, openAgent, PHONE, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';

const CUSTOMER = 'noor@example.com';
/** The page refetches health every 10 s; the worker needs a moment to connect (or fail) after a change. */
const HEALTH_TIMEOUT = 40_000;

describe('the mailboxes page in the browser', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let admin: AgentBrowser;

  const mailboxItem = (page: Page): Locator => page.getByTestId('mailbox-item').filter({ hasText: SUPPORT });
  const field = (page: Page, name: string): Locator => page.getByTestId('mailbox-form').getByTestId(`mailbox-${name}`);

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'noor-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '1' } });
    await createAgent(t, await t.login(), { email: 'sam@careloop.test', name: 'Sam Agent' });
    browser = await launchBrowser();
    admin = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  it('adds a mailbox through the form; a wrong IMAP password shows as an error, and the check tells IMAP from SMTP', async () => {
    const { page } = admin;
    await page.getByTestId('nav-mailboxes').click();
    await page.getByTestId('mailboxes-page').waitFor();
    await page.getByTestId('mailbox-new').click();
    // A new mailbox starts from the API's defaults.
    expect(await field(page, 'imapPort').inputValue()).toBe('993');
    expect(await field(page, 'imapTls').isChecked()).toBe(true);
    expect(await field(page, 'smtpPort').inputValue()).toBe('587');
    expect(await field(page, 'imapFolder').inputValue()).toBe('INBOX');

    await field(page, 'name').fill('Support');
    await field(page, 'address').fill(SUPPORT);
    await field(page, 'imapTls').uncheck();
    await field(page, 'imapHost').fill('not a host');
    await field(page, 'imapPort').fill(String(stack.imap.port));
    await field(page, 'imapUser').fill(SUPPORT);
    await field(page, 'imapPassword').fill('wrong-password');
    await field(page, 'smtpHost').fill(stack.smtp.host);
    await field(page, 'smtpPort').fill(String(stack.smtp.port));
    await field(page, 'smtpUser').fill(SUPPORT);
    await field(page, 'smtpPassword').fill(SUPPORT_PASSWORD);
    await page.getByTestId('mailbox-save').click();
    // The API refuses the host: its message shows next to the field, and the form stays open with what was typed.
    await waitForText(page.getByTestId('mailbox-imap').locator('.field__error'), 'must be a host name or IP address');
    await page.getByTestId('mailbox-form-error').waitFor();
    expect(await field(page, 'imapPassword').inputValue()).toBe('wrong-password');

    await field(page, 'imapHost').fill(stack.imap.host);
    await page.getByTestId('mailbox-save').click();
    await page.getByTestId('mailbox-form').waitFor({ state: 'detached' });
    const item = mailboxItem(page);
    await waitForAttribute(item, 'data-state', 'error', HEALTH_TIMEOUT);
    await waitForText(item.getByTestId('mailbox-state'), 'Error');
    await waitForText(item.getByTestId('mailbox-error'), /password/i);

    await item.getByTestId('mailbox-test').click();
    await waitForAttribute(item.getByTestId('mailbox-check-imap'), 'data-ok', 'false', 20_000);
    await waitForText(item.getByTestId('mailbox-check-imap'), /refused the username or password/);
    await waitForAttribute(item.getByTestId('mailbox-check-smtp'), 'data-ok', 'true');
    await waitForText(item.getByTestId('mailbox-check-smtp'), 'Connected and logged in');
    await page.screenshot({ path: '/tmp/careloop-laptop-mailbox-error.png' });
  });

  it('never shows a stored password, keeps the SMTP one when left empty, and connects with the right IMAP password', async () => {
    const { page } = admin;
    const item = mailboxItem(page);
    await item.getByTestId('mailbox-edit').click();
    const form = page.getByTestId('mailbox-form');
    await form.waitFor();
    expect(await field(page, 'imapPassword').inputValue()).toBe('');
    expect(await field(page, 'smtpPassword').inputValue()).toBe('');
    await waitForText(page.getByTestId('mailbox-imap'), 'Stored — leave empty to keep');
    await waitForText(page.getByTestId('mailbox-smtp'), 'Stored — leave empty to keep');
    expect(await form.innerHTML()).not.toContain(SUPPORT_PASSWORD);
    expect(await field(page, 'imapPort').inputValue()).toBe(String(stack.imap.port));

    await field(page, 'imapPassword').fill(SUPPORT_PASSWORD);
    await page.getByTestId('mailbox-save').click();
    await form.waitFor({ state: 'detached' });
    await waitForAttribute(item, 'data-state', 'connected', HEALTH_TIMEOUT);
    await waitForText(item.getByTestId('mailbox-state'), 'Connected');
    expect(await item.getByTestId('mailbox-error').count()).toBe(0);
    await waitForText(item.getByTestId('mailbox-last-sync'), /now|sec|min/);

    // The SMTP password left empty was kept: both checks pass now.
    await item.getByTestId('mailbox-test').click();
    await waitForAttribute(item.getByTestId('mailbox-check-imap'), 'data-ok', 'true', 20_000);
    await waitForAttribute(item.getByTestId('mailbox-check-smtp'), 'data-ok', 'true');
  });

  it('counts a delivered message as imported without a reload', async () => {
    const { page } = admin;
    const loads = { count: 0 };
    page.on('load', () => loads.count++);
    const item = mailboxItem(page);
    await waitForText(item.getByTestId('mailbox-imported'), /^0$/);
    await stack.deliver(email({ from: `Noor <${CUSTOMER}>`, subject: 'Is my order on its way?', body: 'Ordered on Monday.', messageId: `order.${Date.now()}@example.com` }), {
      from: CUSTOMER,
      to: [SUPPORT],
    });
    await waitForText(item.getByTestId('mailbox-imported'), /^1$/, HEALTH_TIMEOUT);
    await waitForText(item.getByTestId('mailbox-folder-count'), /^1$/, HEALTH_TIMEOUT);
    await waitForText(item.getByTestId('mailbox-flagged'), /^0$/);
    expect(loads.count).toBe(0);
  });

  it('is tidy on a laptop and usable on a phone (screenshots for review)', async () => {
    const { page } = admin;
    await waitForAttribute(mailboxItem(page), 'data-state', 'connected');
    await page.screenshot({ path: '/tmp/careloop-laptop-mailboxes.png', fullPage: true });
    await page.getByTestId('mailbox-new').click();
    await page.getByTestId('mailbox-form').waitFor();
    await page.screenshot({ path: '/tmp/careloop-laptop-mailbox-form.png', fullPage: true });
    await page.getByTestId('mailbox-form').getByRole('button', { name: 'Cancel' }).click();

    const phone = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE);
    await phone.page.goto(`${t.url}/#/mailboxes`);
    await waitForAttribute(mailboxItem(phone.page), 'data-state', 'connected');
    await phone.page.screenshot({ path: '/tmp/careloop-phone-mailboxes.png', fullPage: true });
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await mailboxItem(phone.page).getByTestId('mailbox-edit').click();
    await phone.page.getByTestId('mailbox-form').waitFor();
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.page.screenshot({ path: '/tmp/careloop-phone-mailbox-form.png', fullPage: true });
    await phone.context.close();
  });

  it('pauses and resumes a mailbox, and removes it only once confirmed', async () => {
    const { page, dialogs, acceptNextDialog } = admin;
    const item = mailboxItem(page);
    await item.getByTestId('mailbox-active').uncheck();
    await waitForAttribute(item, 'data-state', 'disabled');
    await waitForText(item.getByTestId('mailbox-state'), 'Disabled');
    await item.getByTestId('mailbox-active').check();
    await waitForAttribute(item, 'data-state', 'connected', HEALTH_TIMEOUT);

    await item.getByTestId('mailbox-delete').click();
    expect(dialogs).toEqual([expect.stringMatching(/^confirm: Remove the mailbox support@careloop\.test\?/)]);
    expect(await item.count()).toBe(1);
    acceptNextDialog();
    await item.getByTestId('mailbox-delete').click();
    await item.waitFor({ state: 'detached' });
    const list = (await t.http.get('/api/mailboxes').auth(await t.login(), { type: 'bearer' })).body as unknown[];
    expect(list).toEqual([]);
  });

  it('shows agents no Mailboxes link, and no mailbox settings', async () => {
    const agent = await openAgent(browser, t, 'sam@careloop.test', AGENT_PASSWORD);
    await agent.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Macros' }).waitFor();
    expect(await agent.page.getByTestId('nav-mailboxes').count()).toBe(0);
    expect(await agent.page.getByRole('link', { name: 'Mailboxes' }).count()).toBe(0);
    await agent.page.goto(`${t.url}/#/mailboxes`);
    await agent.page.getByText('Only admins manage mailboxes.').waitFor();
    expect(await agent.page.getByTestId('mailboxes-page').count()).toBe(0);
    await agent.context.close();
  });
});
