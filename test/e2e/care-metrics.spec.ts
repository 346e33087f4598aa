import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, PHONE, waitForText, type AgentBrowser } from '../support/browser';

/** The care owner of the demo workspace signs in with the admin's password (see the seed). */
const CARE_OWNER = 'carla@careloop.local';

describe('the care metrics dashboard in the browser, on the demo workspace', () => {
  let t: TestApp;
  let browser: Browser;
  let carla: AgentBrowser;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_DEMO: 'true' } });
    browser = await launchBrowser();
    carla = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD);
    // Seeding a year of subscribers and starting Chromium take a while on a busy machine.
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the trend, the cohort heat map and the cycle-1 answer, and drills into the churned first-cycle openers', async () => {
    const { page } = carla;
    await page.getByRole('link', { name: 'Care metrics' }).click();
    await page.getByTestId('care-metrics-page').waitFor();
    const heatMap = page.getByTestId('cohort-heat-map');
    await heatMap.waitFor();
    // A year of cohorts, the older ones with a coloured share on day 90.
    expect(await heatMap.locator('tbody tr').count()).toBeGreaterThan(6);
    expect(await heatMap.locator('td.metrics-heat__cell', { hasText: '%' }).count()).toBeGreaterThan(12);
    const activeNow = Number((await page.getByTestId('active-now').innerText()).replace(/\D/g, ''));
    expect(activeNow).toBeGreaterThan(100);

    const cycle1 = page.getByTestId('cycle1-card');
    await waitForText(cycle1, /first-cycle ticket/);
    const churnedOpeners = cycle1.getByRole('button').first();
    const churned = Number(await churnedOpeners.innerText());
    expect(churned).toBeGreaterThan(0);
    await churnedOpeners.click();
    const drill = page.getByTestId('drill-down');
    await waitForText(drill, `${churned} in all.`);
    expect(await drill.locator('li').count()).toBe(churned);
    const csv = await drill.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csv).toMatch(/figure=cycle1_openers/);
    expect(csv).toMatch(/churned=true/);
    await page.keyboard.press('Escape');
    await drill.waitFor({ state: 'detached' });
    expect(carla.dialogs).toEqual([]);
  });

  it('shows NPS from the demo year’s day-90 survey, its comments, and drills into the detractors with what they answered', async () => {
    const { page } = carla;
    const nps = page.getByTestId('nps-card');
    await nps.waitFor();
    expect(await page.getByTestId('nps-score').innerText()).toMatch(/^[+−]?\d+$/);
    expect(await nps.getByTestId('nps-comments').locator('li').count()).toBeGreaterThan(3);
    const detractors = nps.getByRole('button', { name: /customers$/ }).nth(2);
    const count = Number((await detractors.innerText()).replace(/\D/g, ''));
    expect(count).toBeGreaterThan(0);
    await detractors.click();
    const drill = page.getByTestId('drill-down');
    await waitForText(drill, `${count} in all.`);
    const answers = await drill.locator('.metrics-drill__answer').allInnerTexts();
    expect(answers).toHaveLength(count);
    for (const answer of answers) expect(Number(/Answered (\d+)/.exec(answer)?.[1])).toBeLessThanOrEqual(6);
    expect(await drill.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toMatch(/figure=nps.*group=detractors|group=detractors.*figure=nps/);
    await page.keyboard.press('Escape');
    await drill.waitFor({ state: 'detached' });
  });

  it('fits a phone: the cards stack and nothing runs off the side', async () => {
    const phone = await openAgent(browser, t, CARE_OWNER, ADMIN_PASSWORD, PHONE);
    try {
      await phone.page.goto(`${t.url}/#/care/metrics`);
      await phone.page.getByTestId('cohort-heat-map').waitFor();
      const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await phone.context.close();
    }
  });

  it('is not offered to agents', async () => {
    const agent = await openAgent(browser, t, 'alex@careloop.local', ADMIN_PASSWORD);
    try {
      await agent.page.waitForSelector('.app-header__nav');
      expect(await agent.page.getByRole('link', { name: 'Care metrics' }).count()).toBe(0);
    } finally {
      await agent.context.close();
    }
  });
});
