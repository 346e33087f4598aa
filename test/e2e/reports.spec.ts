import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import type { VolumeDto } from '../../contracts/reports';
import { SurveysService } from '../../server/src/reports/surveys/surveys.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTeam, launchBrowser, openAgent, openContext, ticketRow, waitForText } from '../support/browser';
import { reactions } from '../support/events';
import { email, connectMailbox, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { freePort } from '../support/ports';

const CUSTOMER = 'dana@customer.test';
const LEAD = { email: 'lena.lead@careloop.test', name: 'Lena Lead', password: 'lead-password-1' };

/**
 * Reports as a lead uses them and the CSAT survey as a customer answers it, in Chromium against the real app:
 * mail goes through a real SMTP listener into Dovecot, and the survey link is opened from the received email.
 */
describe('reports and the satisfaction survey in the browser', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'dana-pass' },
      ],
    });
    // Survey links start at CARELOOP_PUBLIC_URL: the app listens there, so the customer's browser reaches it.
    const port = await freePort();
    t = await startTestApp({ port, env: { CARELOOP_IMAP_POLL_SECONDS: '1', CARELOOP_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    admin = await t.login();
    await connectMailbox(t, stack, admin);
    const lead = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: LEAD.email, name: LEAD.name, role: 'lead', password: LEAD.password });
    if (lead.status !== 201) throw new Error(`lead not created: ${JSON.stringify(lead.body)}`);
    // Surveys go out as soon as the ticket is solved (the delay is a setting, 24 h by default).
    await t.http.patch('/api/reports/settings').auth(admin, { type: 'bearer' }).send({ workspaceName: 'Beanbox Coffee', surveyDelayHours: 0 }).expect(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  /** A customer's email arrives in the support mailbox; resolves with the ticket's id once Careloop has it. */
  async function emailIn(subject: string, from: string): Promise<string> {
    await stack.deliver(email({ from, subject, body: `${subject}, please help.`, messageId: `${subject.replace(/\W+/g, '.')}.${Date.now()}@customer.test` }), { from, to: [SUPPORT] });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const page = await t.http.get('/api/tickets').query({ q: `"${subject}"` }).auth(admin, { type: 'bearer' });
      const found = (page.body as { items: { id: string; subject: string }[] }).items.find((ticket) => ticket.subject === subject);
      if (found) return found.id;
      if (Date.now() > deadline) throw new Error(`no ticket for "${subject}"`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('lets a lead change the period, filter by team, click a bar to land on exactly those tickets, and export CSV matching the API', async () => {
    const [billing, shipping] = [await createTeam(t, admin, 'Billing'), await createTeam(t, admin, 'Shipping')];
    const subjects = { billing: ['Charged twice in May', 'Invoice address is wrong', 'Refund not received'], shipping: ['Parcel stuck in Leeds', 'Wrong grinder delivered'] };
    for (const [teamId, list] of [
      [billing.id, subjects.billing],
      [shipping.id, subjects.shipping],
    ] as const) {
      for (const subject of list) {
        const ticketId = await emailIn(subject, `${subject.split(' ')[0].toLowerCase()}@customer.test`);
        await t.http.patch(`/api/tickets/${ticketId}`).auth(admin, { type: 'bearer' }).send({ teamId }).expect(200);
      }
    }
    await reactions(t.app);

    const lead = await openAgent(browser, t, LEAD.email, LEAD.password);
    const { page } = lead;
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByTestId('headline-created').waitFor();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Volume' }).click();

    // The period: the last 7 days; the filter: the Billing team. Both land in the URL, to share.
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.getByLabel('Team').selectOption({ label: 'Billing' });
    await page.waitForURL((url) => url.hash.includes(`teamId=${billing.id}`) && url.hash.includes('from='));
    const query = Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.split('?')[1]));

    // Today's "Created" bar (the last of its series) opens its tickets in the inbox.
    const createdBars = page.locator('.recharts-bar').first().locator('.recharts-bar-rectangle path');
    await createdBars.last().waitFor();
    await createdBars.last().click();
    const banner = page.getByTestId('report-drill');
    await waitForText(banner.getByTestId('report-drill-title'), 'Tickets created');
    await waitForText(banner, 'team Billing');
    await waitForText(banner.getByTestId('report-drill-total'), '3 tickets');
    expect(page.url()).toContain('#/inbox/report:');
    await ticketRow(page, subjects.billing[0]).waitFor();
    const listed = await page.getByTestId('ticket-row-subject').allTextContents();
    expect(listed.sort()).toEqual([...subjects.billing].sort());

    // Back to the report, same period and filter; its CSV has the rows the API gives.
    await banner.getByTestId('report-drill-back').click();
    await page.waitForURL((url) => url.hash.startsWith('#/reports/volume') && url.hash.includes(`teamId=${billing.id}`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
    const api = (await t.http.get('/api/reports/volume').query({ from: query.from, to: query.to, teamId: billing.id }).auth(admin, { type: 'bearer' }).expect(200)).body as VolumeDto;
    expect(csv[0]).toBe('day,created,solved,reopened,backlog_end_of_day');
    expect(csv.slice(1)).toEqual(api.days.map((day) => [day.day, day.created, day.solved, day.reopened, day.backlog].join(',')));
    expect(api.days.reduce((sum, day) => sum + day.created, 0)).toBe(3);
    expect(lead.dialogs).toEqual([]);
    await lead.context.close();
  });

  it('a customer clicks Bad in the survey email, confirms with a comment, and the lead sees it on Satisfaction without a reload', async () => {
    const subject = 'Grinder arrived broken';
    const ticketId = await emailIn(subject, CUSTOMER);
    const lead = await openAgent(browser, t, LEAD.email, LEAD.password);
    await lead.page.goto(`${t.url}/#/reports/satisfaction`);
    await lead.page.getByText('No survey answers in this period yet', { exact: false }).waitFor();

    await t.http.patch(`/api/tickets/${ticketId}`).auth(admin, { type: 'bearer' }).send({ status: 'solved' }).expect(200);
    await reactions(t.app);
    await t.app.get(SurveysService).sendDue();

    // The email as the customer's mail client holds it (Dovecot), threaded on the ticket, marked automatic.
    const [received] = await stack.waitForMessages(CUSTOMER, 1, 20_000);
    const mail = await simpleParser(received.source);
    expect(mail.subject).toContain(subject);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const bad = /(http\S+\/api\/surveys\/\S+\?answer=bad)/.exec(mail.text ?? '')?.[1];
    expect(bad?.startsWith(`${t.url}/api/surveys/`)).toBe(true);

    const customer = await openContext(browser);
    await customer.page.goto(bad as string);
    await customer.page.getByText('Beanbox Coffee').first().waitFor();
    expect(await customer.page.getByRole('radio', { name: 'Bad, I’m unsatisfied' }).isChecked()).toBe(true);
    await customer.page.getByRole('radio', { name: /not solved/i }).check();
    await customer.page.getByLabel(/Anything you’d like to add/).fill('The replacement is cracked too.');
    await customer.page.getByRole('button', { name: 'Send my answer' }).click();
    await customer.page.getByText('Thank you for your feedback').waitFor();
    await customer.context.close();

    const answers = lead.page.getByTestId('survey-answers');
    await waitForText(answers, 'The replacement is cracked too.');
    await waitForText(answers, 'Bad');
    expect(lead.dialogs).toEqual([]);
    await lead.context.close();
  });
});
