import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import type { TeamDto, TicketPageDto, UserDto } from '../../contracts/api';
import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { AGENT_PASSWORD, createAgent, launchBrowser, openAgent, openContext, ticketRow, waitForText, type AgentBrowser } from '../support/browser';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack, freePort } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const NEWCOMER = 'nina@careloop.test';
const NEWCOMER_PASSWORD = 'nina-password-1';
const CUSTOMER = 'olga@example.com';

/** A team moves in: an admin invites an agent into a private team; agents and a lead are told what concerns them. */
describe('a team moves in', () => {
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  let fraud: TeamDto;
  let vip: TeamDto;
  let nina: AgentBrowser;
  const tickets: Record<string, string> = {};

  const api = {
    get: (path: string) => t.http.get(path).auth(admin, { type: 'bearer' }),
    patch: (path: string, body: object) => t.http.patch(path).auth(admin, { type: 'bearer' }).send(body),
    post: (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body),
  };
  const bellCount = (agent: AgentBrowser) => agent.page.getByTestId('notification-count');

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: NEWCOMER, password: 'nina-mail-pass' },
        { address: CUSTOMER, password: 'olga-pass' },
      ],
    });
    // Invitation links point at CARELOOP_PUBLIC_URL: the test app listens where that says.
    const port = await freePort();
    t = await startTestApp({ port, env: { CARELOOP_IMAP_POLL_SECONDS: '1', CARELOOP_PUBLIC_URL: `http://127.0.0.1:${port}` } });
    admin = await t.login();
    await connectMailbox(t, stack, admin);
    fraud = (await api.post('/api/teams', { name: 'Fraud', isPrivate: true })).body as TeamDto;
    vip = (await api.post('/api/teams', { name: 'VIP', isPrivate: true })).body as TeamDto;
    await createAgent(t, admin, { email: 'ben@careloop.test', name: 'Ben Berg', teamIds: [fraud.id] });
    await api.post('/api/users', { email: 'lena@careloop.test', name: 'Lena Lead', role: 'lead', password: AGENT_PASSWORD });
    // Every ticket gets a one-hour first-reply target; leads hear of breaches.
    await api.post('/api/sla/policies', { name: 'Standard', targets: { normal: { firstReply: 60 } } });

    for (const [subject, team] of [
      ['Card used abroad', fraud],
      ['Gold member gift', vip],
    ] as const) {
      await stack.deliver(email({ from: CUSTOMER, subject, body: `${subject}, please help.`, messageId: `${subject.replace(/\W/g, '')}.${Date.now()}@example.com` }), { from: CUSTOMER, to: [SUPPORT] });
      const ticket = await waitFor(`the ticket "${subject}"`, async () => ((await api.get('/api/tickets?limit=50')).body as TicketPageDto).items.find((item) => item.subject === subject), 20_000);
      await api.patch(`/api/tickets/${ticket.id}`, { teamId: team.id });
      tickets[subject] = ticket.id;
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stack?.stop();
  });

  it('an admin invites an agent by email, puts her in a private team, and she sees only that team’s tickets', async () => {
    const adminBrowser = await openAgent(browser, t, 'admin@careloop.test', 'admin-password-1');
    const page = adminBrowser.page;
    await page.getByTestId('nav-team').click();
    await page.getByTestId('people-page').waitFor();
    await page.getByTestId('invite-open').click();
    await page.getByTestId('invite-email').fill(NEWCOMER);
    await page.getByTestId('invite-name').fill('Nina Neu');
    await page.getByTestId('invite-submit').click();
    await waitForText(page.getByTestId('invitation-result'), `Invitation sent to ${NEWCOMER}`);
    await page.getByTestId('invitation-done').click();
    await waitForText(page.getByTestId('person-row').filter({ hasText: 'Nina Neu' }), 'Invited');

    // Teams: tick Nina in the private Fraud team.
    await page.getByTestId('settings-tab-teams').click();
    const fraudCard = page.locator('[data-testid="team-card"][data-team="Fraud"]');
    await fraudCard.getByTestId('team-member').filter({ hasText: 'Nina Neu' }).locator('input').check();
    await waitForText(fraudCard, '2 members');
    await adminBrowser.context.close();

    // The invitation, read from Dovecot: its link sets the password and signs her in.
    const [invitation] = await stack.waitForMessages(NEWCOMER, 1);
    const mail = await simpleParser(invitation.source);
    const link = /http\S+#\/welcome\?token=\S+/.exec(mail.text ?? '')?.[0] ?? '';
    expect(link.startsWith(t.url)).toBe(true);
    nina = await openContext(browser);
    await nina.page.goto(link);
    await waitForText(nina.page.getByTestId('welcome-page'), `Choose a password for ${NEWCOMER}`);
    await nina.page.getByTestId('welcome-password').fill(NEWCOMER_PASSWORD);
    await nina.page.getByTestId('welcome-repeat').fill(NEWCOMER_PASSWORD);
    await nina.page.getByTestId('welcome-submit').click();
    await nina.page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await waitForText(nina.page.getByTestId('current-user'), 'Nina Neu');

    await nina.page.getByTestId('view-open').click();
    await ticketRow(nina.page, 'Card used abroad').waitFor();
    expect(await ticketRow(nina.page, 'Gold member gift').count()).toBe(0);
    await nina.page.goto(`${t.url}/#/inbox/open/${tickets['Gold member gift']}`);
    await waitForText(nina.page.locator('.ticket-pane'), 'This ticket does not exist, or you cannot see it.');
  });

  it('assigning a ticket to her raises her bell and the tab title within a second', async () => {
    await nina.page.goto(`${t.url}/#/inbox/open`);
    await nina.page.getByTestId('notification-bell').waitFor();
    expect(await bellCount(nina).count()).toBe(0);
    const response = await api.patch(`/api/tickets/${tickets['Card used abroad']}`, { assigneeId: ((await api.get('/api/users')).body as UserDto[]).find((user) => user.email === NEWCOMER)?.id });
    expect(response.status).toBe(200);
    const assignedAt = Date.now();
    await waitForText(bellCount(nina), '1', 1_000);
    await waitFor('the tab title', async () => (await nina.page.title()) === '(1) Careloop', 1_000, 25);
    expect(Date.now() - assignedAt).toBeLessThan(1_000);

    await nina.page.getByTestId('notification-bell').click();
    const item = nina.page.getByTestId('notification-item').first();
    await waitForText(item, 'Admin assigned you a ticket');
    await waitForText(item, 'Card used abroad');
    await item.click();
    await nina.page.locator(`[data-testid="ticket-view"][data-ticket-id="${tickets['Card used abroad']}"]`).waitFor();
    await waitFor('the bell to clear', async () => (await bellCount(nina).count()) === 0);
    expect(await nina.page.title()).toBe('Careloop');
  });

  it('an @mention in a note tells the mentioned agent and nobody else', async () => {
    const benBrowser = await openAgent(browser, t, 'ben@careloop.test', AGENT_PASSWORD);
    const page = benBrowser.page;
    await page.goto(`${t.url}/#/inbox/open/${tickets['Card used abroad']}`);
    await page.getByTestId('composer-mode-note').click();
    const body = page.getByTestId('composer-body');
    await body.click();
    await body.pressSequentially('Could you call the bank, @Ni');
    await waitForText(page.getByTestId('mention-suggestions'), 'Nina Neu');
    await body.press('Enter');
    await body.pressSequentially('please?');
    expect(await body.inputValue()).toBe('Could you call the bank, @Nina Neu please?');
    await page.getByTestId('composer-send').click();
    await waitForText(page.getByTestId('message').last().getByTestId('mention'), '@Nina Neu');

    await waitForText(bellCount(nina), '1', 2_000);
    await nina.page.getByTestId('notification-bell').click();
    await waitForText(nina.page.getByTestId('notification-item').first(), 'Ben Berg mentioned you');
    await nina.page.getByTestId('notifications-read-all').click();
    await waitFor('Nina’s bell to clear', async () => (await bellCount(nina).count()) === 0);
    // Ben wrote it: his bell stays quiet.
    await page.waitForTimeout(500);
    expect(await bellCount(benBrowser).count()).toBe(0);
    await benBrowser.context.close();
  });

  it('an SLA breach tells the lead', async () => {
    const lena = await openAgent(browser, t, 'lena@careloop.test', AGENT_PASSWORD);
    expect(await bellCount(lena).count()).toBe(0);
    await t.app.get(SlaEngine).runDuePass(new Date(Date.now() + 2 * 3_600_000));
    // Each ticket's warning and breach came due in this one pass.
    await waitForText(bellCount(lena), '4', 2_000);
    await lena.page.getByTestId('notification-bell').click();
    const breaches = lena.page.getByTestId('notification-item').filter({ hasText: 'SLA target breached' });
    await waitForText(breaches.filter({ hasText: 'Gold member gift' }), 'Gold member gift');
    await waitForText(breaches.filter({ hasText: 'Card used abroad' }), 'Card used abroad');
    // Agents are not told of breaches.
    await nina.page.waitForTimeout(300);
    expect(await nina.page.getByTestId('notification-count').count()).toBe(0);
    await lena.context.close();
  });
});
