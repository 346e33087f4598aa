import { Client } from 'pg';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { TeamDto, UserDto } from '../../contracts/api';
import type { TestApp } from './app';

/**
 * Browser tests drive Debian's Chromium through playwright-core against the real app (which serves the
 * built client from client/dist). Each user gets a fresh browser context: separate cookies and socket.
 */
export const LAPTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface AgentBrowser {
  context: BrowserContext;
  page: Page;
  /** Every alert/confirm/prompt the page raised (each is dismissed unless `acceptNextDialog` was called). */
  dialogs: string[];
  /** The next confirm is answered OK, as a user agreeing to it. */
  acceptNextDialog(): void;
}

/** A fresh context for one user, recording dialogs so a test can assert none fired. */
export async function openContext(browser: Browser, viewport = LAPTOP): Promise<AgentBrowser> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const dialogs: string[] = [];
  let acceptNext = false;
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void (acceptNext ? dialog.accept() : dialog.dismiss());
    acceptNext = false;
  });
  return { context, page, dialogs, acceptNextDialog: () => (acceptNext = true) };
}

/** Signs in through the login form and waits for the inbox to be live (socket connected). */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
}

export async function openAgent(browser: Browser, t: TestApp, email: string, password: string, viewport = LAPTOP): Promise<AgentBrowser> {
  const agent = await openContext(browser, viewport);
  await signIn(agent.page, t.url, email, password);
  return agent;
}

/** Polls `read` on the locator until it gives the expected value; fails with the last value seen. */
async function waitForValue(locator: Locator, read: (timeout: number) => Promise<string | null>, expected: string | RegExp, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    const last = await read(Math.max(1, deadline - Date.now())).then(
      (value) => `"${value ?? ''}"`,
      (error: Error) => `unreadable (${error.message.split('\n')[0]})`,
    );
    seen.add(last);
    if (last.startsWith('"') && (typeof expected === 'string' ? last.includes(expected) : expected.test(last.slice(1, -1)))) return;
    if (Date.now() > deadline) throw new Error(`Expected ${what} of ${locator.toString()} to match ${String(expected)}, it was ${[...seen].join(', then ')}`);
    await locator.page().waitForTimeout(50);
  }
}

/** Waits until the locator's text contains (or matches) the expected text. */
export function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 15_000): Promise<void> {
  return waitForValue(locator, (timeout) => locator.textContent({ timeout }), expected, 'the text', timeoutMs);
}

/** Waits until the element carries exactly this attribute value, e.g. a mode switch applied by React. */
export function waitForAttribute(locator: Locator, name: string, value: string, timeoutMs = 15_000): Promise<void> {
  return waitForValue(locator, (timeout) => locator.getAttribute(name, { timeout }), new RegExp(`^${value}$`), name, timeoutMs);
}

/** The list row of the ticket with this subject. */
export function ticketRow(page: Page, subject: string): Locator {
  return page.getByTestId('ticket-row').filter({ has: page.getByTestId('ticket-row-subject').getByText(subject, { exact: true }) });
}

export const AGENT_PASSWORD = 'agent-password-1';

/** Creates an agent (and optionally a team they are in) through the admin API. */
export async function createAgent(t: TestApp, admin: string, fields: { email: string; name: string; teamIds?: string[] }): Promise<UserDto> {
  const response = await t.http
    .post('/api/users')
    .auth(admin, { type: 'bearer' })
    .send({ ...fields, role: 'agent', password: AGENT_PASSWORD });
  if (response.status !== 201) throw new Error(`agent not created: ${JSON.stringify(response.body)}`);
  return response.body as UserDto;
}

export async function createTeam(t: TestApp, admin: string, name: string): Promise<TeamDto> {
  const response = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name });
  if (response.status !== 201) throw new Error(`team not created: ${JSON.stringify(response.body)}`);
  return response.body as TeamDto;
}

/**
 * Inserts `count` tickets from one customer straight into the database (bulk data for list tests; no
 * realtime events). Subjects are `${prefix} 1` … `${prefix} count`, the highest number most recent.
 */
export async function insertTickets(t: TestApp, count: number, prefix: string, customerEmail = 'bulk@example.com'): Promise<void> {
  const client = new Client({ connectionString: t.database.url });
  await client.connect();
  try {
    const [customer] = (
      await client.query<{ id: string }>(
        `INSERT INTO customers (email, name, subscription_status, current_cycle, plan) VALUES ($1, 'Bulk Customer', 'active', 3, 'Monthly')
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
        [customerEmail],
      )
    ).rows;
    await client.query(
      `INSERT INTO tickets (subject, status, priority, customer_id, snippet, message_count, created_at, updated_at, last_activity_at)
       SELECT $1 || ' ' || n, 'open', 'normal', $2, 'Message number ' || n || ' about a delivery.', 1,
              now() - (($3 - n) || ' seconds')::interval, now(), now() - (($3 - n) || ' seconds')::interval
       FROM generate_series(1, $3) AS n`,
      [prefix, customer.id, count],
    );
  } finally {
    await client.end();
  }
}

/** The test id of the focused element (evaluated in the page; the test process has no DOM types). */
export function focusedTestId(page: Page): Promise<unknown> {
  return page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")');
}
