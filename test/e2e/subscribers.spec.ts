import type { Browser } from 'playwright-core';
import type { CustomerDto, TicketPageDto } from '../../contracts/api';
import { waitFor } from '../support/wait';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, PHONE, waitForText, type AgentBrowser } from '../support/browser';

/** Demo users sign in with the admin's password (see the seed). */
const CARE_OWNER = 'carla@careloop.local';
const AGENT = 'alex@careloop.local';

/** Lifetime values as the table shows them ("€1,234.50"), as numbers. */
const amounts = (texts: string[]) => texts.map((text) => Number(text.replace(/[^\d.]/g, '')));

describe('subscribers and the customer page in the browser, on the demo workspace', () => {
  let t: TestApp;
  let browser: Browser;
  let carla: AgentBrowser;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_DEMO: 'true' } });
    browser = await launchBrowser();
    carla = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sorts and filters the table on the server, keeps it in the URL, pages on, and opens a customer from a row', async () => {
    const { page } = carla;
    await page.getByRole('link', { name: 'Subscribers' }).click();
    const table = page.getByTestId('subscribers-table');
    await table.getByTestId('subscriber-row').first().waitFor();
    const total = Number((await page.getByTestId('subscribers-count').innerText()).replace(/\D/g, ''));
    expect(total).toBeGreaterThan(100);
    expect(await table.getByTestId('subscriber-row').count()).toBe(50);

    // Biggest lifetime value first, in euros.
    await table.getByRole('button', { name: 'Lifetime value' }).click();
    await page.waitForURL(/sort=lifetime_value&order=desc/);
    await waitForText(table.locator('th[aria-sort="descending"]'), 'Lifetime value');
    const values = await table.locator('td[data-label="Lifetime value"]').allInnerTexts();
    expect(values[0]).toMatch(/€/);
    expect(amounts(values)).toEqual([...amounts(values)].sort((a, b) => b - a));

    // Only cancelled subscribers; the count follows.
    await table.getByLabel('Status').selectOption('cancelled');
    await page.waitForURL(/status=cancelled/);
    await waitForText(page.getByTestId('subscribers-count'), /match$/);
    expect(new Set(await table.locator('td[data-label="Status"]').allInnerTexts())).toEqual(new Set(['Cancelled']));
    const cancelled = Number((await page.getByTestId('subscribers-count').innerText()).replace(/\D/g, ''));
    expect(cancelled).toBeLessThan(total);

    // The next page continues where the first ended; a reload shows the same page from the URL.
    const lastOnFirst = amounts(await table.locator('td[data-label="Lifetime value"]').allInnerTexts()).at(-1) ?? 0;
    const firstPageNames = await table.locator('td[data-label="Customer"] a').allInnerTexts();
    await table.getByRole('button', { name: 'Next →' }).click();
    await page.waitForURL(/after=/);
    // The app's CSP forbids evaluating strings in the page: poll the first row's name from here.
    await waitFor('the second page', async () => (await table.locator('td[data-label="Customer"] a').first().innerText()) !== firstPageNames[0]);
    const secondPage = amounts(await table.locator('td[data-label="Lifetime value"]').allInnerTexts());
    expect(secondPage[0]).toBeLessThanOrEqual(lastOnFirst);
    const secondPageNames = await table.locator('td[data-label="Customer"] a').allInnerTexts();
    await page.reload();
    await table.getByTestId('subscriber-row').first().waitFor();
    expect(await table.locator('td[data-label="Customer"] a').allInnerTexts()).toEqual(secondPageNames);
    await table.getByRole('button', { name: '← Previous' }).click();
    await page.waitForURL(/before=/);
    await waitForText(table.getByTestId('subscriber-row').first().locator('a'), firstPageNames[0]);
    await page.getByRole('heading', { name: 'Subscribers', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/careloop-subscribers-laptop.png' });

    // A row opens the customer page; a care owner may edit the profile there.
    const name = firstPageNames[0];
    await table.getByTestId('subscriber-row').first().locator('td[data-label="Plan"]').click();
    await waitForText(page.getByTestId('customer-360').locator('h1'), name);
    await page.getByRole('button', { name: 'Edit profile' }).waitFor();
    await page.goBack();
    await page.waitForURL(/status=cancelled/);
    await waitForText(table.getByTestId('subscriber-row').first().locator('a'), name);
    expect(carla.dialogs).toEqual([]);
  });

  it('works on a phone: each row a card, sorted from a menu', async () => {
    const phone = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD, PHONE);
    const { page } = phone;
    await page.goto(`${t.url}/#/customers?status=active&sort=next_renewal&order=asc`);
    const table = page.getByTestId('subscribers-table');
    await table.getByTestId('subscriber-row').first().waitFor();
    expect(await table.getByLabel('Sort by').inputValue()).toBe('next_renewal:asc');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await table.getByLabel('Sort by').selectOption('cycle:desc');
    await page.waitForURL(/sort=cycle&order=desc/);
    await page.screenshot({ path: '/tmp/careloop-subscribers-phone.png', fullPage: false });
    await table.getByTestId('subscriber-row').first().locator('a').click();
    await page.getByTestId('customer-360').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: '/tmp/careloop-customer-phone.png', fullPage: true });
    await phone.context.close();
  });

  it('lets an agent open the customer page from a ticket, read-only: lifetime value, subscription, tickets, no edit controls', async () => {
    const alex = await openAgent(browser, t, AGENT, ADMIN_PASSWORD);
    const token = await t.login(AGENT, ADMIN_PASSWORD);
    const tickets = (await t.http.get('/api/tickets').query({ limit: 100, status: 'new,open,pending' }).auth(token, { type: 'bearer' })).body as TicketPageDto;
    let subscriber: { ticketId: string; customer: CustomerDto } | null = null;
    for (const ticket of tickets.items) {
      if (!ticket.customer) continue;
      const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`).auth(token, { type: 'bearer' })).body as CustomerDto;
      if (customer.subscriptionStatus !== 'none' && customer.lifetimeValue > 0) {
        subscriber = { ticketId: ticket.id, customer };
        break;
      }
    }
    if (!subscriber) throw new Error('the demo workspace has no ticket from a subscriber that Alex may read');
    const { page } = alex;
    await page.goto(`${t.url}/#/inbox/open/${subscriber.ticketId}`);
    const panel = page.getByTestId('customer-panel');
    await waitForText(panel.getByTestId('customer-lifetime-value'), /€\s?[\d,.]+/);
    await panel.getByTestId('customer-page-link').click();
    const overview = page.getByTestId('customer-360');
    await waitForText(overview.locator('h1'), subscriber.customer.name ?? subscriber.customer.email);
    await waitForText(overview.getByTestId('customer-360-lifetime-value'), /€/);
    await overview.getByTestId('read-only-note').waitFor();
    expect(await overview.getByRole('button', { name: 'Edit profile' }).count()).toBe(0);
    expect(await overview.locator('section[aria-labelledby="tickets-title"] li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/careloop-customer-agent-laptop.png', fullPage: true });
    expect(alex.dialogs).toEqual([]);
    await alex.context.close();
  });
});
