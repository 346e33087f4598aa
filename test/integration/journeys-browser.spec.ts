import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openContext, signIn, type AgentBrowser } from '../support/browser';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';

const LOU = 'lou@customer.test';

describe('a care owner switches on cycle-1 recovery in the browser and watches it act', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let owner: AgentBrowser;

  beforeAll(async () => {
    // The client is built into a folder of this test's own, so it never races other builds of client/dist.
    const clientDir = mkdtempSync(join(tmpdir(), 'careloop-journeys-client-'));
    await promisify(execFile)('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: resolve(__dirname, '../..') });
    stack = await startMailStack({ users: [{ address: SUPPORT, password: SUPPORT_PASSWORD }, { address: LOU, password: 'lou-pass' }] });
    t = await startTestApp({ env: { CARELOOP_CLIENT_DIR: clientDir, CARELOOP_IMAP_POLL_SECONDS: '2' } });
    const admin = await t.login();
    await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'carla@careloop.test', name: 'Carla Care', role: 'care_owner', password: 'password-12345' });
    await connectMailbox(t, stack, admin);
    const careOwner = await t.login('carla@careloop.test', 'password-12345');
    // Real time here: quiet hours off so the test does not depend on the hour it runs at.
    await t.http.patch('/api/care/settings').auth(careOwner, { type: 'bearer' }).send({ quietHoursStart: null, quietHoursEnd: null });
    const secret = (await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' })).body.secret as string;
    await t.http
      .post('/api/subscriptions/events')
      .auth(secret, { type: 'bearer' })
      .send({ id: 'lou-created', type: 'created', occurredAt: new Date().toISOString(), customer: { email: LOU, name: 'Lou Martin' } });
    browser = await launchBrowser();
    owner = await openContext(browser);
    await signIn(owner.page, t.url, 'carla@careloop.test', 'password-12345');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  it('reviews the preset, switches it on, and the next first-cycle ticket gets the apology, a task and a place in the journey', async () => {
    const { page } = owner;
    await page.getByRole('link', { name: 'Journeys' }).click();
    const preset = page.locator('.journeys__preset', { hasText: 'Cycle-1 recovery' });
    await preset.getByRole('button', { name: 'Switch on…' }).click();
    // The review: who it would have taken in lately (nobody wrote in during a first cycle yet), its emails rendered for a sample customer, its other steps in words.
    const review = page.getByTestId('preset-review');
    await review.getByTestId('review-count').getByText('Nobody would have entered it in the last 30 days.').waitFor();
    const emails = review.getByTestId('review-email');
    expect(await emails.count()).toBe(3);
    expect(await emails.first().innerText()).toMatch(/Re: My first box arrived damaged[\s\S]*Hi Sam,/);
    await review.getByText(/Opens a ticket for the care team: “Confirm a replacement or credit note for Sam Sample”/).waitFor();
    expect(await page.locator('.journeys__table tr', { hasText: 'Cycle-1 recovery' }).count()).toBe(0);
    await review.getByRole('button', { name: 'Switch it on' }).click();
    await review.waitFor({ state: 'detached' });
    const row = page.locator('.journeys__table tr', { hasText: 'Cycle-1 recovery' });
    await row.getByText('active').waitFor();

    await stack.deliver(email({ from: `Lou Martin <${LOU}>`, subject: 'My first box arrived broken', body: 'The bag split open in the box.', messageId: 'lou.browser.1@customer.test' }), {
      from: LOU,
      to: [SUPPORT],
    });
    const [apology] = await stack.waitForMessages(LOU, 1, 30_000);
    expect(apology.subject).toBe('Re: My first box arrived broken');

    await row.getByRole('link', { name: 'Cycle-1 recovery' }).click();
    await page.reload();
    await page.getByText(/1 entered · 1 in it now/).waitFor();
    await page.locator('.journey-editor__step-head', { has: page.getByText('apology', { exact: true }) }).getByText('1 done').waitFor();

    await page.getByRole('link', { name: 'Subscribers' }).click();
    await page.getByLabel('Search subscribers').fill('lou');
    await page.getByRole('link', { name: 'Lou Martin' }).click();
    const overview = page.getByTestId('customer-360');
    await overview.getByText('Re: My first box arrived broken').waitFor();
    await overview.getByRole('link', { name: /My first box arrived broken/ }).waitFor();
    expect(owner.dialogs).toEqual([]);
  }, 90_000);
});
