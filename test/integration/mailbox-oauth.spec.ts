import { Client } from 'pg';
import type { ConnectionCheckDto, MailboxDto, OAuthProviderStatusDto } from '../../contracts/mail';
import { createAgent } from '../support/browser';
import { startTestApp, type TestApp } from '../support/app';

/** The OAuth endpoints without any OAuth app configured, and mailbox health and errors in words. */
describe('mailbox connection API without OAuth apps configured', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_PUBLIC_URL: 'https://help.example.com' } });
    admin = await t.login();
  });

  afterAll(() => t.close());

  it('says which variables each provider still needs, and the redirect URI to register', async () => {
    const response = await t.http.get('/api/mailboxes/oauth/providers').auth(admin, { type: 'bearer' });
    expect(response.status).toBe(200);
    const redirectUri = 'https://help.example.com/api/mailboxes/oauth/callback';
    expect(response.body as OAuthProviderStatusDto[]).toEqual([
      { provider: 'google', label: 'Google', configured: false, missing: ['CARELOOP_GOOGLE_CLIENT_ID', 'CARELOOP_GOOGLE_CLIENT_SECRET'], redirectUri },
      { provider: 'microsoft', label: 'Microsoft 365', configured: false, missing: ['CARELOOP_MICROSOFT_CLIENT_ID', 'CARELOOP_MICROSOFT_CLIENT_SECRET'], redirectUri },
    ]);
  });

  it('refuses to start a consent that cannot work, an unknown provider, and non-admins', async () => {
    const unset = await t.http.post('/api/mailboxes/oauth/microsoft/start').auth(admin, { type: 'bearer' }).send({});
    expect(unset.status).toBe(409);
    expect(unset.body.message).toBe('Microsoft 365 is not set up on this server: set CARELOOP_MICROSOFT_CLIENT_ID and CARELOOP_MICROSOFT_CLIENT_SECRET.');
    const unknown = await t.http.post('/api/mailboxes/oauth/yahoo/start').auth(admin, { type: 'bearer' }).send({});
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([{ field: 'provider', message: 'must be one of google, microsoft' }]);
    const badAddress = await t.http.post('/api/mailboxes/oauth/google/start').auth(admin, { type: 'bearer' }).send({ address: 'not-an-address' });
    expect(badAddress.status).toBe(400);
    expect(JSON.stringify(badAddress.body.fields)).toContain('address');
    await createAgent(t, admin, { email: 'ola@careloop.test', name: 'Ola Agent' });
    const agent = await t.login('ola@careloop.test', 'agent-password-1');
    expect((await t.http.get('/api/mailboxes/oauth/providers').auth(agent, { type: 'bearer' })).status).toBe(403);
  });

  it('sends a callback without its pending sign-in back to the Mailboxes page with the reason', async () => {
    const response = await t.http.get('/api/mailboxes/oauth/callback?code=stolen&state=guessed');
    expect(response.status).toBe(303);
    const location = new URL(response.headers.location);
    expect(location.origin).toBe('https://help.example.com');
    const outcome = new URLSearchParams(location.hash.split('?')[1]);
    expect(outcome.get('oauth')).toBe('failed');
    expect(outcome.get('message')).toBe('The sign-in took too long, or started in another browser: click Connect again.');
  });

  it('says why an active mailbox without servers does not connect', async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      await db.query("INSERT INTO mailboxes (name, address, is_active) VALUES ('Demo support', 'demo@example.com', true)");
    } finally {
      await db.end();
    }
    const [mailbox] = (await t.http.get('/api/mailboxes').auth(admin, { type: 'bearer' })).body as MailboxDto[];
    expect(mailbox.health.state).toBe('error');
    expect(mailbox.health.lastError).toBe('No IMAP server is set, so no mail is imported: edit the mailbox to add one, or connect it with Google or Microsoft 365.');
    const switchedOff = await t.http.patch(`/api/mailboxes/${mailbox.id}`).auth(admin, { type: 'bearer' }).send({ isActive: false });
    expect((switchedOff.body as MailboxDto).health).toMatchObject({ state: 'disabled', lastError: null });
  });

  it('explains SMTP and IMAP failures in words: host not found, connection refused', async () => {
    // Port 1: nothing listens there, and (below the ephemeral range) no client socket of this run can hold it either.
    const closedPort = 1;
    const created = await t.http
      .post('/api/mailboxes')
      .auth(admin, { type: 'bearer' })
      .send({
        name: 'Typo',
        address: 'typo@example.com',
        imapHost: '127.0.0.1',
        imapPort: closedPort,
        imapTls: false,
        imapUser: 'typo@example.com',
        imapPassword: 'x',
        smtpHost: 'smtp.no-such-host.invalid',
        smtpPort: 587,
        smtpUser: 'typo@example.com',
        smtpPassword: 'x',
      });
    expect(created.status).toBe(201);
    const check = (await t.http.post(`/api/mailboxes/${(created.body as MailboxDto).id}/test`).auth(admin, { type: 'bearer' })).body as ConnectionCheckDto;
    expect(check.smtp).toEqual({ ok: false, message: 'The SMTP host name could not be found. Check the host.' });
    expect(check.imap).toEqual({ ok: false, message: 'The IMAP server refused the connection. Check the host and port.' });
  });
});
