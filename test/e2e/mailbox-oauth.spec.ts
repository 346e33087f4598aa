import { Client } from 'pg';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MailboxDto } from '../../contracts/mail';
import { SecretBox } from '../../server/src/common/secret-box';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { launchBrowser, openAgent, PHONE, waitForAttribute, waitForText, type AgentBrowser } from '../support/browser';
import { email } from '../support/mail-fixtures';
import { freePort, startMailStack, type MailStack } from '../support/mail-stack';
import { startOAuthProvider, type OAuthTestProvider } from '../support/oauth-provider';
import { waitFor } from '../support/wait';

/** The Microsoft 365 account that consents, and the mailbox it connects. */
const SUPPORT = 'help@acme.test';
const CUSTOMER = 'ravi@example.com';
/**
 * Short-lived access tokens make several real refreshes happen within seconds (renewed with a quarter of
 * their life left); Careloop does the same with 60 s or 3600 s tokens, only later.
 */
const ACCESS_TOKEN_SECONDS = 8;
const HEALTH_TIMEOUT = 40_000;
/** The test app's key (test/support/app.ts), to read what the database holds. */
const secrets = new SecretBox('test-secret-key-0123456789');

describe('connecting a Microsoft 365 mailbox with OAuth2 in the browser', () => {
  let provider: OAuthTestProvider;
  let stack: MailStack;
  let t: TestApp;
  let browser: Browser;
  let admin: AgentBrowser;
  let token: string;
  let db: Client;

  const mailboxItem = (page: Page): Locator => page.getByTestId('mailbox-item').filter({ hasText: SUPPORT });
  const subjects = async (prefix: string) =>
    (await db.query<{ subject: string }>('SELECT subject FROM tickets WHERE subject LIKE $1 ORDER BY subject', [`${prefix}%`])).rows.map((row) => row.subject);
  const tokenColumns = async () =>
    (
      await db.query<{ refresh: string | null; access: string | null; error: string | null }>(
        'SELECT oauth_refresh_token_sealed AS refresh, oauth_access_token_sealed AS access, oauth_error AS error FROM mailboxes WHERE address = $1',
        [SUPPORT],
      )
    ).rows[0];
  const deliverFromCustomer = (subject: string) =>
    stack.deliver(email({ from: CUSTOMER, to: SUPPORT, subject, body: `About ${subject}.`, messageId: `${subject.replace(/\W+/g, '-')}@example.com` }), { from: CUSTOMER, to: [SUPPORT] });

  /** Signs in and consents on the provider's own pages (its session may already know the account). */
  async function consentAtProvider(page: Page): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    const login = page.locator('input[name="login"]');
    const consent = page.getByRole('button', { name: 'Continue' });
    await login.or(consent).first().waitFor();
    if (await login.isVisible()) {
      await login.fill(SUPPORT);
      await page.locator('input[name="password"]').fill('any password: the stand-in provider checks none');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    }
    await consent.click();
    await page.waitForURL((url) => url.href.startsWith(t.url));
  }

  beforeAll(async () => {
    provider = await startOAuthProvider({ accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS });
    stack = await startMailStack({
      // The mailbox needs a line for its mail folder; its password is never used (it logs in with XOAUTH2).
      users: [
        { address: SUPPORT, password: 'unused-folder-owner' },
        { address: CUSTOMER, password: 'ravi-pass' },
      ],
      oauth2: provider.introspection,
    });
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const app = await provider.registerApp(`${publicUrl}/api/mailboxes/oauth/callback`);
    t = await startTestApp({
      port,
      env: {
        CARELOOP_PUBLIC_URL: publicUrl,
        CARELOOP_MICROSOFT_CLIENT_ID: app.clientId,
        CARELOOP_MICROSOFT_CLIENT_SECRET: app.clientSecret,
        CARELOOP_MICROSOFT_ISSUER: provider.issuer,
        CARELOOP_MICROSOFT_IMAP_URL: `imap://${stack.imap.host}:${stack.imap.port}`,
        CARELOOP_MICROSOFT_SMTP_URL: `smtp://${stack.smtp.host}:${stack.smtp.port}`,
      },
    });
    token = await t.login();
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    browser = await launchBrowser();
    admin = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await t?.close();
    await stack?.stop();
    await provider?.stop();
  });

  it('an admin clicks Connect, signs in and consents at the provider, and comes back to a connected mailbox', async () => {
    const { page } = admin;
    await page.getByTestId('nav-mailboxes').click();
    await page.getByTestId('mailboxes-page').waitFor();
    // Google has no OAuth app on this server: its button is off and says what to set.
    await waitForAttribute(page.getByTestId('connect-google'), 'data-configured', 'false');
    expect(await page.getByTestId('connect-google-button').isDisabled()).toBe(true);
    await waitForText(page.getByTestId('connect-google-missing'), 'CARELOOP_GOOGLE_CLIENT_ID and CARELOOP_GOOGLE_CLIENT_SECRET');
    await page.screenshot({ path: '/tmp/careloop-oauth-laptop-connect.png' });

    await page.getByTestId('connect-microsoft-button').click();
    await consentAtProvider(page);
    await waitForText(page.getByTestId('mailbox-consent'), `Connected ${SUPPORT}`);
    const item = mailboxItem(page);
    await waitForText(item.getByTestId('mailbox-oauth'), 'Signed in with Microsoft 365');
    await waitForAttribute(item, 'data-state', 'connected', HEALTH_TIMEOUT);
    await page.screenshot({ path: '/tmp/careloop-oauth-laptop-connected.png' });

    const [mailbox] = (await t.http.get('/api/mailboxes').auth(token, { type: 'bearer' })).body as MailboxDto[];
    expect(mailbox).toMatchObject({
      address: SUPPORT,
      oauthProvider: 'microsoft',
      oauthAccount: SUPPORT,
      imapHost: stack.imap.host,
      imapPort: stack.imap.port,
      imapTls: false,
      imapUser: SUPPORT,
      smtpHost: stack.smtp.host,
      smtpPort: stack.smtp.port,
      hasImapPassword: false,
    });
    // Dovecot let it in with an access token it checked at the provider (imapflow prefers OAUTHBEARER when offered).
    expect((await stack.imapLogins(SUPPORT)).map((login) => login.method)).toEqual(expect.arrayContaining([expect.stringMatching(/^(XOAUTH2|OAUTHBEARER)$/)]));
  });

  it('imports a mail as a ticket, and an agent reply leaves over SMTP with XOAUTH2 and arrives', async () => {
    await deliverFromCustomer('Where is my order');
    await waitFor('the ticket', async () => (await subjects('Where is my order')).length === 1, 20_000);
    const { rows } = await db.query<{ id: string }>("SELECT id FROM tickets WHERE subject = 'Where is my order'");
    const reply = await t.http.post(`/api/tickets/${rows[0].id}/replies`).auth(token, { type: 'bearer' }).send({ body: 'It left our warehouse today.' });
    expect(reply.status).toBe(201);
    const arrived = await stack.waitForMessages(CUSTOMER, 1, 20_000);
    expect(arrived[0].subject).toMatch(/Re: Where is my order/);
    expect(arrived[0].source.toString()).toContain('It left our warehouse today.');
    expect(stack.smtpLogins).toContainEqual({ user: SUPPORT, method: 'XOAUTH2' });
  });

  it('keeps importing and sending across several token refreshes, on one IMAP connection, nothing lost or doubled', async () => {
    const loginsBefore = (await stack.imapLogins(SUPPORT)).length;
    const tokensBefore = await provider.count('AccessToken', SUPPORT);
    const refreshSealedBefore = (await tokenColumns()).refresh;
    const rounds = 6;
    for (let round = 1; round <= rounds; round++) {
      await deliverFromCustomer(`Refresh round ${round}`);
      await waitFor(`ticket ${round}`, async () => (await subjects(`Refresh round ${round}`)).length === 1, 20_000);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM tickets WHERE subject = $1', [`Refresh round ${round}`]);
      expect((await t.http.post(`/api/tickets/${rows[0].id}/replies`).auth(token, { type: 'bearer' }).send({ body: `Answer ${round}` })).status).toBe(201);
      // Long enough between rounds for the access token to be renewed at least once more.
      await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 * 0.6));
    }
    const replies = await stack.waitForMessages(CUSTOMER, 1 + rounds, 30_000);
    expect(replies.map((message) => message.subject).filter((subject) => subject.includes('Refresh round')).sort()).toEqual(
      Array.from({ length: rounds }, (_, index) => expect.stringContaining(`Refresh round ${index + 1}`) as unknown as string),
    );
    expect(await subjects('Refresh round')).toEqual(Array.from({ length: rounds }, (_, index) => `Refresh round ${index + 1}`));
    // Real refreshes happened (the provider issued new tokens and rotated the refresh token) ...
    expect((await provider.count('AccessToken', SUPPORT)) - tokensBefore).toBeGreaterThanOrEqual(3);
    expect((await tokenColumns()).refresh).not.toBe(refreshSealedBefore);
    // ... without the IMAP session logging in again: no reconnect storm.
    expect((await stack.imapLogins(SUPPORT)).length).toBe(loginsBefore);
    const { rows: duplicates } = await db.query("SELECT message_id FROM messages WHERE direction = 'inbound' GROUP BY message_id HAVING count(*) > 1");
    expect(duplicates).toEqual([]);
    // Six rounds of import, reply and waiting for a renewal: longer than Jest's default on a busy machine.
  }, 180_000);

  it('shows the revoked grant within one refresh; Reconnect restores it and the import resumes from its checkpoint', async () => {
    const { page } = admin;
    expect(await provider.revokeAccount(SUPPORT)).toBeGreaterThan(0);
    const item = mailboxItem(page);
    await waitForAttribute(item, 'data-state', 'error', HEALTH_TIMEOUT);
    await waitForText(item.getByTestId('mailbox-error'), 'Microsoft 365 access was revoked: reconnect');
    expect((await tokenColumns()).error).toBe('Microsoft 365 access was revoked: reconnect');
    await page.screenshot({ path: '/tmp/careloop-oauth-laptop-revoked.png' });

    // Mail keeps arriving meanwhile; it waits in the folder.
    await deliverFromCustomer('While revoked');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await subjects('While revoked')).toEqual([]);
    const ticketsBefore = Number((await db.query<{ count: string }>('SELECT count(*) FROM tickets')).rows[0].count);

    await item.getByTestId('mailbox-reconnect').click();
    await consentAtProvider(page);
    await waitForText(page.getByTestId('mailbox-consent'), `Connected ${SUPPORT}`);
    await waitForAttribute(mailboxItem(page), 'data-state', 'connected', HEALTH_TIMEOUT);
    await waitFor('the mail that came while revoked', async () => (await subjects('While revoked')).length === 1, 20_000);
    // Only that one is new: the import went on from its checkpoint, and the mailbox is still the same one.
    expect(Number((await db.query<{ count: string }>('SELECT count(*) FROM tickets')).rows[0].count)).toBe(ticketsBefore + 1);
    expect((await db.query('SELECT id FROM mailboxes')).rowCount).toBe(1);
  }, 120_000);

  it('never returns tokens from the API and stores them encrypted', async () => {
    const columns = await tokenColumns();
    expect(columns.refresh).toMatch(/^v1:/);
    expect(columns.access).toMatch(/^v1:/);
    const refreshToken = secrets.open(columns.refresh ?? '');
    const accessToken = secrets.open(columns.access ?? '');
    expect(refreshToken.length).toBeGreaterThan(20);
    const stored = JSON.stringify((await db.query('SELECT * FROM mailboxes')).rows);
    expect(stored).not.toContain(refreshToken);
    expect(stored).not.toContain(accessToken);
    for (const path of ['/api/mailboxes', `/api/mailboxes/${(await db.query<{ id: string }>('SELECT id FROM mailboxes')).rows[0].id}`, '/api/mailboxes/options']) {
      const answer = JSON.stringify((await t.http.get(path).auth(token, { type: 'bearer' })).body);
      expect(answer).not.toContain(refreshToken);
      expect(answer).not.toContain(accessToken);
      expect(answer).not.toMatch(/v1:|Sealed/);
    }
  });

  it('fills a provider preset into the manual form', async () => {
    const { page } = admin;
    await page.getByTestId('mailbox-new').click();
    const form = page.getByTestId('mailbox-form');
    await form.getByTestId('mailbox-address').fill('hello@fastmail.example');
    await form.getByTestId('mailbox-preset').selectOption('fastmail');
    expect(await form.getByTestId('mailbox-imapHost').inputValue()).toBe('imap.fastmail.com');
    expect(await form.getByTestId('mailbox-smtpPort').inputValue()).toBe('465');
    expect(await form.getByTestId('mailbox-smtpTls').isChecked()).toBe(true);
    expect(await form.getByTestId('mailbox-imapUser').inputValue()).toBe('hello@fastmail.example');
    await form.getByTestId('mailbox-preset').selectOption('microsoft');
    await waitForText(form, 'Microsoft 365 no longer accepts passwords for IMAP');
    expect(await form.getByTestId('mailbox-smtpHost').inputValue()).toBe('smtp.office365.com');
    await page.screenshot({ path: '/tmp/careloop-oauth-laptop-form.png' });
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('looks right on a phone', async () => {
    const phone = await openAgent(browser, t, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE);
    await phone.page.goto(`${t.url}/#/mailboxes`);
    await waitForAttribute(mailboxItem(phone.page), 'data-state', 'connected', HEALTH_TIMEOUT);
    await phone.page.screenshot({ path: '/tmp/careloop-oauth-phone.png', fullPage: true });
    const overflow = await phone.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await phone.context.close();
  });
});
