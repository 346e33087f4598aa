import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startMailStack, type MailStack } from '../support/mail-stack';

const SUPPORT = 'support@shop.example';
const SUPPORT_PASSWORD = 'support-secret';

function message(subject: string, messageId: string, body = 'Hello from a customer.'): string {
  return [
    'From: Jane Customer <jane@example.org>',
    `To: ${SUPPORT}`,
    `Subject: ${subject}`,
    `Message-ID: <${messageId}>`,
    'Date: Mon, 03 Nov 2025 10:02:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

describe('mail stack (Dovecot + SMTP on loopback)', () => {
  let stack: MailStack;

  beforeAll(async () => {
    stack = await startMailStack({ users: [{ address: SUPPORT, password: SUPPORT_PASSWORD }] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers mail sent over SMTP to the IMAP inbox, plus-addressed mail included', async () => {
    await stack.deliver(message('Where is my order?', 'order-1@example.org'), { from: 'jane@example.org', to: [SUPPORT] });
    await stack.deliver(message('Re: Where is my order? [#42]', 'order-2@example.org'), {
      from: 'jane@example.org',
      to: ['support+t42@shop.example'],
    });

    // deliver() returns after Dovecot stored the mail, so no waiting is needed here.
    const inbox = await stack.listMessages(SUPPORT);
    expect(inbox.map((stored) => stored.subject)).toEqual(['Where is my order?', 'Re: Where is my order? [#42]']);
    expect(inbox[0].messageId).toBe('<order-1@example.org>');
    expect(inbox[0].source.toString()).toContain('Hello from a customer.');
    expect(inbox[1].source.toString()).toMatch(/^Delivered-To: support\+t42@shop\.example/m);
  });

  it('refuses mail for an unknown mailbox with 550', async () => {
    await expect(stack.deliver(message('lost', 'lost-1@example.org'), { from: 'jane@example.org', to: ['nobody@shop.example'] })).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it('appends to the inbox and to new folders, with increasing UIDs', async () => {
    await stack.addUser('archive@shop.example', 'archive-secret');
    const first = await stack.append('archive@shop.example', message('Archived 1', 'archived-1@example.org'));
    const second = await stack.append('archive@shop.example', Buffer.from(message('Archived 2', 'archived-2@example.org')));
    const sent = await stack.append('archive@shop.example', message('Our reply', 'reply-1@shop.example'), 'Sent');

    expect(second).toBeGreaterThan(first);
    expect((await stack.listMessages('archive@shop.example')).map((stored) => [stored.uid, stored.subject])).toEqual([
      [first, 'Archived 1'],
      [second, 'Archived 2'],
    ]);
    expect((await stack.listMessages('archive@shop.example', 'Sent')).map((stored) => [stored.uid, stored.subject])).toEqual([[sent, 'Our reply']]);
  });

  it('lets a user added while running log in and receive mail at once', async () => {
    await stack.addUser('billing@shop.example', 'billing-secret');
    await stack.deliver(message('Invoice question', 'invoice-1@example.org'), { from: 'jane@example.org', to: ['billing@shop.example'] });
    expect((await stack.waitForMessages('billing@shop.example', 1, 5000)).map((stored) => stored.subject)).toEqual(['Invoice question']);
  });

  it('fails waitForMessages with what it found when the mail does not come', async () => {
    await stack.addUser('quiet@shop.example', 'quiet-secret');
    await expect(stack.waitForMessages('quiet@shop.example', 1, 300)).rejects.toThrow('Expected 1 message(s) in quiet@shop.example INBOX within 300 ms, found 0');
  });

  it('accepts SMTP AUTH with a configured password and refuses a wrong one with 535', async () => {
    const send = (pass: string) => {
      const transport = nodemailer.createTransport({ ...stack.smtp, ignoreTLS: true, auth: { user: SUPPORT, pass } });
      return transport.sendMail({ envelope: { from: SUPPORT, to: [SUPPORT] }, raw: message('Sent with auth', `auth-${pass}@shop.example`) }).finally(() => transport.close());
    };

    await expect(send('wrong-password')).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    await expect(send(SUPPORT_PASSWORD)).resolves.toMatchObject({ accepted: [SUPPORT] });
  });

  it('announces mail delivered over SMTP to an IMAP client waiting in IDLE', async () => {
    await stack.addUser('idle@shop.example', 'idle-secret');
    const client = new ImapFlow({ ...stack.imap, secure: false, auth: { user: 'idle@shop.example', pass: 'idle-secret' }, logger: false });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const announced = new Promise<number>((resolve) => client.once('exists', (update: { count: number }) => resolve(update.count)));
      const idling = client.idle();
      await stack.deliver(message('While idling', 'idle-1@example.org'), { from: 'jane@example.org', to: ['idle@shop.example'] });
      expect(await announced).toBe(1);
      await client.logout();
      await idling;
    } finally {
      client.close();
    }
  });

  it('keeps the mail across an IMAP server restart on the same address, dropping open connections', async () => {
    await stack.addUser('restart@shop.example', 'restart-secret');
    await stack.deliver(message('Before restart', 'before-1@example.org'), { from: 'jane@example.org', to: ['restart@shop.example'] });
    const client = new ImapFlow({ ...stack.imap, secure: false, auth: { user: 'restart@shop.example', pass: 'restart-secret' }, logger: false });
    await client.connect();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    try {
      await stack.restartImap();
      await closed;
    } finally {
      client.close();
    }
    await stack.deliver(message('After restart', 'after-1@example.org'), { from: 'jane@example.org', to: ['restart@shop.example'] });
    expect((await stack.listMessages('restart@shop.example')).map((stored) => stored.subject)).toEqual(['Before restart', 'After restart']);
  });
});
