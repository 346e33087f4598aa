import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { TicketSummaryDto } from '../../contracts/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { AGENT_PASSWORD, createAgent, launchBrowser, openAgent, PHONE, ticketRow, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { connectMailbox, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';

const CUSTOMER = 'mallory@example.com';
/** 4×4 red PNG, the inline (cid:) logo. */
const INLINE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAEAQMAAACTPww9AAAAA1BMVEX/AAAZ4gk3AAAAC0lEQVQI12NgQAcAABAAAeCu1m8AAAAASUVORK5CYII=';
/** 3×2 blue PNG served by the "sender's" image host over plain http. */
const REMOTE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACAQMAAACnuvRZAAAAA1BMVEUAAP+KeNJXAAAADElEQVQI12NgYGAAAAAEAAEnNCcKAAAAAElFTkSuQmCC', 'base64');
const SHOTS = '/tmp/shots-security';

/** A newsletter-style hostile email: script, handlers, an inline cid: logo, a remote http image, quoted history. */
function hostileHtmlEmail(imageUrl: string, messageId: string): string {
  const html = [
    '<p>Hello from the <b>attacker</b>. Our new catalogue is below.</p>',
    '<script>window.__pwned = 1; parent.__pwned = 1; alert("script")</script>',
    '<img src="x" onerror="parent.__pwned = 2">',
    '<p><img src="cid:logo@shop.example" alt="inline logo" width="40" height="40"></p>',
    `<p><img src="${imageUrl}" alt="remote banner" width="120" height="80"></p>`,
    '<a href="javascript:parent.__pwned=4">click me</a>',
    '<p>On Monday, Support wrote:</p><blockquote><p>Thanks for writing in. <b>History line</b></p></blockquote>',
  ].join('\r\n');
  return [
    `From: Mallory <${CUSTOMER}>`,
    `To: ${SUPPORT}`,
    'Subject: Catalogue with pictures',
    `Message-ID: <${messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    html,
    '--rel',
    'Content-Type: image/png',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <logo@shop.example>',
    'Content-Disposition: inline; filename="logo.png"',
    '',
    INLINE_PNG,
    '--rel--',
    '',
  ].join('\r\n');
}

/** The sender's image host: counts requests and keeps their headers. */
async function startImageHost(): Promise<{ url: string; requests: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.headers);
    response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' }).end(REMOTE_PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/banner.png`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What of an <img> the check reads (the test code is compiled without the DOM library). */
interface LoadingImage {
  complete: boolean;
  naturalWidth: number;
  addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
}

/** The natural width of an image in the frame, once it finished loading (0 when blocked or broken). */
function loadedWidth(frame: FrameLocator, alt: string): Promise<number> {
  return frame.locator(`img[alt="${alt}"]`).evaluate(
    (element) =>
      new Promise<number>((resolve) => {
        const image = element as unknown as LoadingImage;
        if (image.complete) return resolve(image.naturalWidth);
        for (const event of ['load', 'error']) image.addEventListener(event, () => resolve(image.naturalWidth), { once: true });
      }),
  );
}

describe('the email frame: its own document, its own policy, the ticket access rule', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let imageHost: Awaited<ReturnType<typeof startImageHost>>;
  let admin: string;
  let ticket: TicketSummaryDto;
  let messageId: string;
  const agents: AgentBrowser[] = [];

  const openTicket = async (page: Page) => {
    await page.goto(`${t.url}/#/inbox/open`);
    await ticketRow(page, 'Catalogue with pictures').getByRole('link').click({ timeout: 20_000 });
    const frame = page.frameLocator('[data-testid="message-html"]');
    await frame.getByText('attacker').waitFor();
    return frame;
  };
  const shoot = async (page: Page, name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  };

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'mallory-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '1' } });
    admin = await t.login();
    await connectMailbox(t, stack, admin);
    imageHost = await startImageHost();
    browser = await launchBrowser();
    await stack.deliver(hostileHtmlEmail(imageHost.url, `catalogue.${Date.now()}@example.com`), { from: CUSTOMER, to: [SUPPORT] });
    for (let attempt = 0; attempt < 100 && !ticket; attempt++) {
      const page = await t.http.get('/api/tickets?limit=50').auth(admin, { type: 'bearer' });
      ticket = (page.body as { items?: TicketSummaryDto[] }).items?.find((item) => item.subject === 'Catalogue with pictures') as TicketSummaryDto;
      if (!ticket) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const detail = await t.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' });
    messageId = (detail.body as { messages: { id: string }[] }).messages[0].id;
  });

  afterAll(async () => {
    for (const agent of agents) await agent.context.close();
    await browser?.close();
    await imageHost?.close();
    await t?.close();
    await stack?.stop();
  });

  it('runs none of the hostile HTML, shows the inline logo, and loads the remote image only after "Show images"', async () => {
    const agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
    agents.push(agent);
    const { page, dialogs } = agent;
    const frameResponses: { url: string; csp: string }[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/frame')) frameResponses.push({ url: response.url(), csp: response.headers()['content-security-policy'] ?? '' });
    });
    const frame = await openTicket(page);

    // The app's own policy no longer lets any remote image in; the frame's lets in only data: images.
    const appCsp = (await page.request.get(`${t.url}/`)).headers()['content-security-policy'];
    expect(appCsp).toMatch(/img-src 'self' data: blob:(;|$)/);
    expect(frameResponses[0].csp).toContain('img-src data:;');
    expect(frameResponses[0].csp).toContain('sandbox');

    await shoot(page, 'email-frame-1366-blocked');
    await frame.getByText('click me').click({ timeout: 2000 }).catch(() => undefined);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await frame.locator('body').innerHTML()).not.toMatch(/<script|onerror|javascript:/i);
    expect(await loadedWidth(frame, 'inline logo')).toBe(4);
    expect(await frame.locator('img[alt="remote banner"]').getAttribute('src')).toMatch(/^data:/);
    // The quoted history is folded and opens without script.
    expect(await frame.getByText('History line').isVisible()).toBe(false);
    expect(imageHost.requests).toHaveLength(0);

    await page.getByTestId('show-images').click();
    await waitForAttribute(page.getByTestId('message-html'), 'data-images', 'shown');
    const shown = page.frameLocator('[data-testid="message-html"]');
    await shown.locator(`img[alt="remote banner"][src="${imageHost.url}"]`).waitFor();
    expect(await loadedWidth(shown, 'remote banner')).toBe(3);
    expect(await loadedWidth(shown, 'inline logo')).toBe(4);
    expect(imageHost.requests.length).toBeGreaterThanOrEqual(1);
    // The sender learns nothing about where the mail was read.
    expect(imageHost.requests.every((headers) => headers.referer === undefined && headers.cookie === undefined)).toBe(true);
    expect(frameResponses.at(-1)).toMatchObject({ url: expect.stringContaining('images=1'), csp: expect.stringContaining('img-src data: http: https:;') });
    await shoot(page, 'email-frame-1366-shown');
    await shown.getByText('Show quoted text').click();
    expect(await shown.getByText('History line').isVisible()).toBe(true);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('runs no script even when the frame URL is opened on its own', async () => {
    const agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
    agents.push(agent);
    const response = await agent.page.goto(`${t.url}/api/tickets/${ticket.id}/messages/${messageId}/frame?images=1`);
    expect(response?.status()).toBe(200);
    await agent.page.getByText('attacker').waitFor();
    expect(await agent.page.evaluate('window.__pwned')).toBeUndefined();
    expect(agent.dialogs).toEqual([]);
    // The document has an opaque origin: it cannot read the app's cookies or storage.
    expect(await agent.page.evaluate('origin')).toBe('null');
  });

  it('lays out on a phone, before and after "Show images"', async () => {
    const agent = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE);
    agents.push(agent);
    await openTicket(agent.page);
    await shoot(agent.page, 'email-frame-390-blocked');
    await agent.page.getByTestId('show-images').click();
    await agent.page.frameLocator('[data-testid="message-html"]').locator(`img[alt="remote banner"][src="${imageHost.url}"]`).waitFor();
    await shoot(agent.page, 'email-frame-390-shown');
  });

  it('answers 404 to a signed-in agent outside the private team the ticket moved into, with the same cookie the app uses', async () => {
    const team = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Fraud', isPrivate: true });
    expect(team.status).toBe(201);
    await createAgent(t, admin, { email: 'member@careloop.test', name: 'Mia Member', teamIds: [team.body.id as string] });
    await createAgent(t, admin, { email: 'outsider@careloop.test', name: 'Oskar Outsider' });
    const frameUrl = `${t.url}/api/tickets/${ticket.id}/messages/${messageId}/frame`;
    const outsider = await openAgent(browser, t, 'outsider@careloop.test', AGENT_PASSWORD);
    const member = await openAgent(browser, t, 'member@careloop.test', AGENT_PASSWORD);
    agents.push(outsider, member);
    expect((await outsider.page.request.get(frameUrl)).status()).toBe(200);

    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId: team.body.id })).status).toBe(200);
    for (const url of [frameUrl, `${frameUrl}?images=1`]) {
      const refused = await outsider.page.request.get(url);
      expect(refused.status()).toBe(404);
      expect(await refused.text()).not.toContain('attacker');
      expect((await member.page.request.get(url)).status()).toBe(200);
    }
    // An id that is no message of this ticket is not found either, and nobody signed out gets anything.
    expect((await member.page.request.get(`${t.url}/api/tickets/${ticket.id}/messages/${ticket.id}/frame`)).status()).toBe(404);
    expect((await t.http.get(`/api/tickets/${ticket.id}/messages/${messageId}/frame`)).status).toBe(401);
  });

  it('an outsider with the ticket open sees it go when its team turns private, and so does a member taken out of the team', async () => {
    const returns = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Returns', memberIds: [] });
    expect(returns.status).toBe(201);
    const memberId = ((await t.http.get('/api/users').auth(admin, { type: 'bearer' })).body as { id: string; email: string }[]).find((user) => user.email === 'member@careloop.test')?.id;
    expect((await t.http.patch(`/api/teams/${returns.body.id}`).auth(admin, { type: 'bearer' }).send({ memberIds: [memberId] })).status).toBe(200);
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId: returns.body.id, status: 'open' })).status).toBe(200);
    const outsider = await openAgent(browser, t, 'outsider@careloop.test', AGENT_PASSWORD);
    const member = await openAgent(browser, t, 'member@careloop.test', AGENT_PASSWORD);
    agents.push(outsider, member);
    for (const { page } of [outsider, member]) await openTicket(page);
    await member.page.getByTestId('presence-viewer').filter({ hasText: 'Oskar Outsider' }).waitFor();

    expect((await t.http.patch(`/api/teams/${returns.body.id}`).auth(admin, { type: 'bearer' }).send({ isPrivate: true })).status).toBe(200);
    await outsider.page.getByText('This ticket does not exist, or you cannot see it.').waitFor({ timeout: 5000 });
    await ticketRow(outsider.page, 'Catalogue with pictures').waitFor({ state: 'detached', timeout: 5000 });
    await member.page.getByTestId('presence-viewer').filter({ hasText: 'Oskar Outsider' }).waitFor({ state: 'detached', timeout: 5000 });
    // The view counts follow (recounted at most once a second while events stream in).
    await waitForText(outsider.page.getByTestId('view-open').getByTestId('view-count'), /^0$/);
    await shoot(outsider.page, 'team-turned-private-outsider-1366');
    expect(await member.page.getByTestId('ticket-subject').innerText()).toBe('Catalogue with pictures');

    // Taken out of the team, the member loses the open ticket too.
    expect((await t.http.patch(`/api/teams/${returns.body.id}`).auth(admin, { type: 'bearer' }).send({ memberIds: [] })).status).toBe(200);
    await member.page.getByText('This ticket does not exist, or you cannot see it.').waitFor({ timeout: 5000 });
    await ticketRow(member.page, 'Catalogue with pictures').waitFor({ state: 'detached', timeout: 5000 });
  });
});
