import type { Browser } from 'playwright-core';
import type { SlaPolicyDto } from '../../contracts/sla';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, PHONE, waitForText, type AgentBrowser } from '../support/browser';
import { createTicket } from '../support/fixtures';

/** Finding one's way: the header says where you are, on a laptop and behind a phone's menu, in light or dark. */
describe('navigation, appearance and SLA entry', () => {
  let t: TestApp;
  let browser: Browser;
  let laptop: AgentBrowser;

  const current = (agent: AgentBrowser) => agent.page.locator('.app-header__nav a[aria-current="page"]:visible');
  /** The page's background as the browser paints it. */
  const background = (agent: AgentBrowser) => agent.page.evaluate('getComputedStyle(document.documentElement).backgroundColor');

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    laptop = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('marks the section you are in', async () => {
    expect(await current(laptop).textContent()).toBe('Inbox');
    await laptop.page.getByTestId('nav-mailboxes').click();
    await waitForText(current(laptop), 'Mailboxes');
    await laptop.page.goto(`${t.url}/#/settings/teams`);
    await waitForText(current(laptop), 'Team');
    // One's own profile is reached from one's name, not a section.
    await laptop.page.getByTestId('current-user').click();
    await laptop.page.getByTestId('profile-time-zone').waitFor();
    expect(await current(laptop).count()).toBe(0);
  });

  it("follows the system's dark preference, and the header toggle pins a choice that survives a reload", async () => {
    const dark = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
    await dark.page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(dark)).toBe('rgb(17, 22, 28)');
    await dark.page.emulateMedia({ colorScheme: 'light' });
    expect(await background(dark)).toBe('rgb(243, 245, 248)');

    // System → Light → Dark: pinned dark while the system says light.
    await dark.page.getByTestId('theme-toggle').click();
    await dark.page.getByTestId('theme-toggle').click();
    expect(await dark.page.getByTestId('theme-toggle').getAttribute('data-theme')).toBe('dark');
    expect(await background(dark)).toBe('rgb(17, 22, 28)');
    await dark.page.reload();
    await dark.page.getByTestId('theme-toggle').waitFor();
    expect(await background(dark)).toBe('rgb(17, 22, 28)');
    await dark.context.close();
  });

  it('folds the sections into a menu on a phone, naming the current one beside the brand', async () => {
    const phone = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE);
    const nav = phone.page.locator('#app-sections');
    expect(await nav.isVisible()).toBe(false);
    await waitForText(phone.page.locator('.app-header__current'), 'Inbox');
    await phone.page.getByTestId('nav-menu').click();
    await nav.getByText('Macros', { exact: true }).click();
    await phone.page.getByTestId('macros-page').waitFor();
    await waitForText(phone.page.locator('.app-header__current'), 'Macros');
    expect(await nav.isVisible()).toBe(false);
    // Nothing is wider than the phone.
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.context.close();
  });

  it('shows times in the time zone each person sets, with the zone named beside them', async () => {
    const ticket = await createTicket(t.app, { subject: 'Zone check', from: 'maya@example.com', status: 'open' });
    const { page } = laptop;
    const opened = async () => {
      await page.goto(`${t.url}/#/inbox/open/${ticket.id}`);
      await waitForText(page.getByTestId('ticket-view'), 'opened');
      return /opened (.+)$/.exec((await page.locator('.ticket-view__meta').textContent()) ?? '')?.[1];
    };
    // The browser's zone (UTC here) first, named.
    expect(await opened()).toMatch(/ UTC$/);
    await page.goto(`${t.url}/#/settings/profile`);
    await page.getByTestId('profile-time-zone').fill('Asia/Tokyo');
    await page.getByTestId('profile-save').click();
    await waitForText(page.getByTestId('profile-page'), 'Saved');
    const tokyo = await opened();
    expect(tokyo).toMatch(/ GMT\+9$/);
    // The same instant, nine hours on.
    expect(tokyo).toBe(`${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(ticket.createdAt))} GMT+9`);
  });

  it('takes SLA targets in hours and days and shows them that way', async () => {
    const { page } = laptop;
    await page.goto(`${t.url}/#/sla`);
    await page.getByRole('button', { name: 'Add policy' }).click();
    const form = page.locator('.sla-form');
    await form.getByLabel('Name').fill('Priority care');
    await form.getByLabel('First reply, normal (hours)').fill('1.5');
    await form.getByLabel('Resolution, normal (hours)').fill('2');
    await form.getByLabel('Resolution, normal: unit').selectOption('days');
    await page.getByTestId('policy-save').click();
    await form.waitFor({ state: 'detached' });

    const policies = (await t.http.get('/api/sla/policies').auth(await t.login(), { type: 'bearer' })).body as SlaPolicyDto[];
    expect(policies.find((policy) => policy.name === 'Priority care')?.targets.normal).toEqual({ firstReply: 90, resolution: 2880 });
    const row = page.locator('.sla-list__item').filter({ hasText: 'Priority care' }).locator('tr').filter({ hasText: 'Normal' });
    await waitForText(row, /1\.5 h.*2 days/);
  });
});
