/**
 * Kept in its own file: it needs a short poll interval (the hostile-mail suite polls every 600 s). Dovecot
 * announces nothing about a folder deleted and created again under an open session: for a while its next
 * command is answered with BYE, later (after about 30 s of quiet) it goes on answering from the old folder
 * for good. The worker selects the folder afresh once per poll interval, which sees the new UIDVALIDITY in
 * both cases.
 */
import { DataSource } from 'typeorm';
import type { TicketPageDto } from '../../contracts/api';
import type { MailboxDto } from '../../contracts/mail';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';
const RENUMBERED = 'renumbered@careloop.test';

describe('a folder renumbered by Dovecot (deleted and created again)', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  const subjects = async () => ((await t.http.get('/api/tickets?limit=50').auth(admin, { type: 'bearer' })).body as TicketPageDto).items.map((ticket) => ticket.subject).sort();

  beforeAll(async () => {
    stack = await startMailStack({ users: [{ address: RENUMBERED, password: SUPPORT_PASSWORD }] });
    // IDLE does not report a recreated folder: the poll is what notices it, as it would in production.
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '5' } });
    admin = await t.login();
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('resyncs on the new UIDVALIDITY: nothing twice, nothing lost, and the health numbers add up', async () => {
    const folder = 'Support';
    const kept = [
      email({ from: CUSTOMER, to: RENUMBERED, subject: 'Renumbered one', body: 'One.', messageId: `renumbered-1.${Date.now()}@example.com` }),
      email({ from: CUSTOMER, to: RENUMBERED, subject: 'Renumbered two', body: 'Two.', messageId: `renumbered-2.${Date.now()}@example.com` }),
    ];
    for (const message of kept) await stack.append(RENUMBERED, message, folder);
    const mailbox = await connectMailbox(t, stack, admin, { name: 'Renumbered', address: RENUMBERED, imapUser: RENUMBERED, smtpUser: RENUMBERED, imapFolder: folder });
    await waitFor('both imported', async () => (await subjects()).length === 2);
    const [before] = await t.app.get(DataSource).query<{ uid_validity: string }[]>('SELECT uid_validity FROM mailbox_syncs WHERE mailbox_id = $1', [mailbox.id]);

    const uidValidity = await stack.recreateFolder(RENUMBERED, folder);
    expect(uidValidity).not.toBe(before.uid_validity);
    for (const message of kept) await stack.append(RENUMBERED, message, folder);
    await stack.append(RENUMBERED, email({ from: CUSTOMER, to: RENUMBERED, subject: 'Renumbered three', body: 'Three.', messageId: `renumbered-3.${Date.now()}@example.com` }), folder);

    const health = await waitFor(
      'the renumbered folder accounted for',
      async () => {
        const current = ((await t.http.get(`/api/mailboxes/${mailbox.id}`).auth(admin, { type: 'bearer' })).body as MailboxDto).health;
        return current.folderMessages === 3 && current.importedMessages + current.skippedRedeliveries === 3 ? current : undefined;
      },
      45_000,
    );
    expect(health).toMatchObject({ state: 'connected', importedMessages: 1, skippedRedeliveries: 2, quarantinedMessages: 0 });
    expect(await subjects()).toEqual(['Renumbered one', 'Renumbered three', 'Renumbered two']);
  }, 90_000);
});
