import type { Browser } from 'playwright-core';
import type { EventPipelineHealthDto } from '../../contracts/system';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openContext, PHONE, signIn, type AgentBrowser } from '../support/browser';

/** A Socket.IO connection starts with a handshake: a polling request without a session id. */
const isHandshake = (url: string) => url.includes('/socket.io/') && url.includes('transport=polling') && !url.includes('sid=');

describe('one live connection for the whole signed-in app', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: AgentBrowser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await admin?.context.close();
    await browser?.close();
    await t?.close();
  });

  it('keeps one socket while moving between the inbox, the care pages and the system page', async () => {
    admin = await openContext(browser);
    const handshakes: string[] = [];
    const sockets: string[] = [];
    admin.page.on('request', (request) => void (isHandshake(request.url()) && handshakes.push(request.url())));
    admin.page.on('websocket', (socket) => void sockets.push(socket.url()));
    await signIn(admin.page, t.url, ADMIN_EMAIL, ADMIN_PASSWORD);

    for (const path of ['#/care', '#/inbox/unassigned', '#/care', '#/system', '#/inbox/open']) {
      await admin.page.evaluate(`window.location.hash = '${path}'`);
      await admin.page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    }
    await admin.page.waitForTimeout(500);
    expect(handshakes).toHaveLength(1);
    expect(sockets).toHaveLength(1);
    expect(admin.dialogs).toEqual([]);
  });

  it("shows admins each listener's delivery state on the system page, on a laptop and a phone", async () => {
    const token = await t.login();
    const health = (await t.http.get('/api/system/events').auth(token, { type: 'bearer' })).body as EventPipelineHealthDto;
    const page = admin.page;
    await page.evaluate("window.location.hash = '#/system'");
    await page.getByTestId('system-page').waitFor();
    for (const { name } of health.listeners) await page.getByTestId(`listener-${name}`).waitFor();
    expect(await page.getByTestId('listener-routing').textContent()).toContain('Healthy');
    await page.screenshot({ path: '/tmp/careloop-system-laptop.png', fullPage: true });
    const phone = await openContext(browser, PHONE);
    await signIn(phone.page, t.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await phone.page.evaluate("window.location.hash = '#/system'");
    await phone.page.getByTestId('listener-realtime').waitFor();
    await phone.page.screenshot({ path: '/tmp/careloop-system-phone.png', fullPage: true });
    await phone.context.close();
  });
});
