import type { Browser } from 'playwright-core';
import type { JourneyDto } from '../../contracts/journeys';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, PHONE, waitForText, type AgentBrowser } from '../support/browser';

const CARE_OWNER = 'carla@careloop.local';

describe('template fields in the journey editor, in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let carla: AgentBrowser;
  let token: string;
  let journey: JourneyDto;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_DEMO: 'true' } });
    browser = await launchBrowser();
    carla = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD);
    token = await t.login(CARE_OWNER, ADMIN_PASSWORD);
    journey = (await t.http.post('/api/journeys/presets/skip_twice_offer').auth(token, { type: 'bearer' }).send({})).body as JourneyDto;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows fields and conditions by name, inserts one from the picker, and keeps the code view', async () => {
    const { page } = carla;
    expect(journey.steps[0]).toMatchObject({ type: 'email' });
    await page.goto(`${t.url}/#/journeys/${journey.id}`);
    const body = page.getByRole('textbox', { name: 'Body' }).first();
    await waitForText(body, /First name \(or “there”\)/);
    expect(await body.locator('.template-chip', { hasText: 'Only if there is a Change-subscription link:' }).count()).toBe(1);
    expect(await body.innerText()).not.toMatch(/\{\{|\{%/);

    // Plan, at the end of the subject, from the picker.
    const subject = page.getByRole('textbox', { name: 'Subject' }).first();
    await subject.click();
    await page.keyboard.press('End');
    // Under load the picker's change can come before the browser's selectionchange; hold the latter back here.
    await page.evaluate("window.addEventListener('selectionchange', (event) => event.stopImmediatePropagation(), { capture: true })");
    await page.keyboard.type(' for ');
    await page.getByLabel('Insert a field into subject').first().selectOption({ label: 'Plan' });
    await waitForText(subject.locator('.template-chip').last(), 'Plan (or “your subscription”)');
    await page.screenshot({ path: '/tmp/careloop-journey-fields-laptop.png' });

    await page.getByRole('radio', { name: 'Template code' }).check();
    const code = page.getByLabel('Subject (Liquid)').first();
    expect(await code.inputValue()).toMatch(/ for \{\{ customer\.plan \| default: 'your subscription' \}\}$/);
    const saving = page.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().endsWith(`/api/journeys/${journey.id}`));
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect((await saving).status()).toBe(200);
    const saved = (await t.http.get(`/api/journeys/${journey.id}`).auth(token, { type: 'bearer' })).body as JourneyDto;
    const first = saved.steps[0];
    expect(first.type === 'email' && first.subject).toMatch(/ for \{\{ customer\.plan \| default: 'your subscription' \}\}$/);
    expect(first.type === 'email' && first.body).toBe(journey.steps[0].type === 'email' ? journey.steps[0].body : '');
    expect(carla.dialogs).toEqual([]);
  });

  it('fits a phone', async () => {
    const phone = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD, PHONE);
    await phone.page.goto(`${t.url}/#/journeys/${journey.id}`);
    await waitForText(phone.page.getByRole('textbox', { name: 'Body' }).first(), /First name/);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.page.getByRole('textbox', { name: 'Body' }).first().scrollIntoViewIfNeeded();
    await phone.page.screenshot({ path: '/tmp/careloop-journey-fields-phone.png' });
    await phone.context.close();
  });
});
