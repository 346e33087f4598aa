import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import type { TicketDetailDto, TicketPageDto, TicketSummaryDto } from '../../contracts/api';
import type { MailboxDto } from '../../contracts/mail';
import { InboundMailProcessor } from '../../server/src/mail/ingest/inbound-mail.processor';
import { MailboxRepository } from '../../server/src/mail/mailbox.repository';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { reactions } from '../support/events';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';
const STRANGER = 'mallory@example.net';

describe('email in and out (Dovecot + SMTP on loopback)', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let mailbox: MailboxDto;
  let sequence = 0;
  const nextId = (label: string) => `${label}.${++sequence}.${Date.now()}@example.com`;

  const tickets = async (query = '') => ((await t.http.get(`/api/tickets?limit=200${query}`).auth(admin, { type: 'bearer' })).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
  const ticketWithSubject = (subject: string) => waitFor(`a ticket "${subject}"`, async () => (await tickets()).find((ticket) => ticket.subject === subject));
  const deliver = (raw: string, from = CUSTOMER) => stack.deliver(raw, { from, to: [SUPPORT] });

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'maya-pass' },
        { address: STRANGER, password: 'mallory-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '2' } });
    admin = await t.login();
    mailbox = await connectMailbox(t, stack, admin);
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('turns new mail into a ticket for the sender', async () => {
    await deliver(email({ from: `Maya Fischer <${CUSTOMER}>`, subject: 'My box never arrived', body: 'Hello, the box from last week is missing.', messageId: nextId('first') }));
    const ticket = await ticketWithSubject('My box never arrived');
    expect(ticket).toMatchObject({ status: 'new', mailboxId: mailbox.id, customer: { email: CUSTOMER, name: 'Maya Fischer' } });
    const thread = await detail(ticket.id);
    expect(thread.messages).toHaveLength(1);
    expect(thread.messages[0]).toMatchObject({ direction: 'inbound', fromAddress: CUSTOMER, flags: [] });
    expect(thread.messages[0].bodyText).toContain('the box from last week is missing');
  });

  it('keeps a thread opened and answered within one imported batch in one ticket, found by the answer\'s words', async () => {
    // A backlog arrives as one batch: tickets and messages are written together, so the answer must find
    // the ticket its question opened a moment earlier in memory, and the search index must take both.
    const question = nextId('batch-question');
    const other = nextId('batch-other');
    const sources = [
      email({ from: CUSTOMER, subject: 'Backlog question', body: 'Where is my grinder?', messageId: question }),
      email({ from: 'ola@example.org', subject: 'Backlog other', body: 'Unrelated note.', messageId: other }),
      email({ from: CUSTOMER, subject: 'Re: Backlog question', body: 'Also the kettle is missing.', messageId: nextId('batch-answer'), inReplyTo: question, references: [question] }),
    ].map((raw, index) => ({ uid: String(index + 1), source: Buffer.from(raw) }));
    const found = await t.app.get(MailboxRepository).findById(mailbox.id);
    const stored = await t.app.get(InboundMailProcessor).ingest({ mailbox: found!, folder: 'Backlog', uidValidity: '42' }, sources);
    expect(stored).toBe(3);
    const ticket = await ticketWithSubject('Backlog question');
    expect(ticket).toMatchObject({ messageCount: 2, snippet: 'Also the kettle is missing.' });
    expect((await detail(ticket.id)).messages.map((message) => message.bodyText?.trim())).toEqual(['Where is my grinder?', 'Also the kettle is missing.']);
    await reactions(t.app); // the search index takes new messages' words once the import's reactions run
    expect((await tickets('&q=kettle')).map((item) => item.id)).toEqual([ticket.id]);
    expect((await tickets('&q=grinder')).map((item) => item.id)).toEqual([ticket.id]);
    expect((await ticketWithSubject('Backlog other')).messageCount).toBe(1);
  });

  it('adds a batch to two tickets, met in the other order, while a reaction holds the first by id: no deadlock', async () => {
    const ingest = async (folder: string, raws: string[]) =>
      t.app.get(InboundMailProcessor).ingest({ mailbox: (await t.app.get(MailboxRepository).findById(mailbox.id))!, folder, uidValidity: '7' }, raws.map((raw, index) => ({ uid: String(index + 1), source: Buffer.from(raw) })));
    const firstIds = [nextId('lock-one'), nextId('lock-two')];
    expect(await ingest('Lock-questions', firstIds.map((messageId, index) => email({ from: CUSTOMER, subject: `Lock order ${index}`, body: 'Hello.', messageId })))).toBe(2);
    const opened = await Promise.all(firstIds.map((_, index) => ticketWithSubject(`Lock order ${index}`)));
    await reactions(t.app);
    const [low, high] = [...opened].sort((a, b) => a.id.localeCompare(b.id));
    const answer = (ticket: TicketSummaryDto) => {
      const question = firstIds[opened.indexOf(ticket)];
      return email({ from: CUSTOMER, subject: `Re: ${ticket.subject}`, body: 'One more thing.', messageId: nextId('lock-answer'), inReplyTo: question, references: [question] });
    };
    const db = t.app.get(DataSource);
    const reaction = db.createQueryRunner();
    await reaction.startTransaction();
    try {
      // As the SLA listener locks a batch: the lower id, then the higher. A deadlock, if any, is found here first.
      await reaction.query("SET LOCAL deadlock_timeout = '50ms'");
      await t.app.get(TicketRepository).lockInIdOrder([low.id], reaction.manager);
      const imported = ingest('Lock-answers', [answer(high), answer(low)]);
      await waitFor('the import to wait for a ticket', async () => {
        const [row] = await db.query<{ n: number }[]>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return row.n === 1;
      });
      await t.app.get(TicketRepository).lockInIdOrder([high.id], reaction.manager);
      await reaction.commitTransaction();
      expect(await imported).toBe(2);
    } finally {
      if (reaction.isTransactionActive) await reaction.rollbackTransaction();
      await reaction.release();
    }
    for (const ticket of opened) expect((await detail(ticket.id)).messages.map((message) => message.bodyText?.trim())).toEqual(['Hello.', 'One more thing.']);
  });

  it("threads the customer's follow-up into the same ticket and the agent's reply out to the customer and back", async () => {
    const firstId = nextId('thread');
    await deliver(email({ from: CUSTOMER, subject: 'Wrong grind', body: 'I got espresso grind.', messageId: firstId }));
    const ticket = await ticketWithSubject('Wrong grind');
    await deliver(email({ from: CUSTOMER, subject: 'Re: Wrong grind', body: 'Also, can you pause me?', messageId: nextId('followup'), inReplyTo: firstId, references: [firstId] }));
    await waitFor('the follow-up on the ticket', async () => (await detail(ticket.id)).messages.length === 2);

    const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, { type: 'bearer' }).send({ body: 'Sorry! A whole-bean bag is on its way.', status: 'pending' });
    expect(reply.status).toBe(201);
    expect(reply.body.deliveryState).toBe('queued');

    const [received] = await stack.waitForMessages(CUSTOMER, 1, 15_000);
    const parsed = await simpleParser(received.source);
    expect(parsed.subject).toBe(`Re: Wrong grind [#${ticket.number}]`);
    expect(parsed.from?.value[0]).toMatchObject({ address: SUPPORT, name: 'Admin' });
    expect(parsed.messageId).toBe(`<${reply.body.messageId}>`);
    expect(parsed.inReplyTo).toMatch(/^<followup\./);
    expect(parsed.references).toEqual(expect.arrayContaining([`<${firstId}>`]));
    expect(parsed.text).toContain('A whole-bean bag is on its way.');
    await waitFor('the reply marked sent', async () => (await detail(ticket.id)).messages.find((message) => message.id === reply.body.id)?.deliveryState === 'sent');
    expect((await detail(ticket.id)).status).toBe('pending');

    // The customer answers our reply from their mail client: it threads back and reopens the ticket.
    await deliver(email({ from: CUSTOMER, subject: `Re: ${parsed.subject}`, body: 'Thanks, got it.', messageId: nextId('answer'), inReplyTo: reply.body.messageId, references: [firstId, reply.body.messageId] }));
    await waitFor('the answer on the ticket', async () => (await detail(ticket.id)).messages.length === 4);
    expect((await detail(ticket.id)).status).toBe('open');
  });

  it('threads an answer by the ticket marker in References when the provider rewrote our Message-ID', async () => {
    const ticket = await ticketWithSubject('My box never arrived');
    const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, { type: 'bearer' }).send({ body: 'Looking into it.' });
    const marker = (reply.body.references as string[])[0];
    expect(marker).toMatch(new RegExp(`^careloop-ticket\\.${ticket.number}\\.[0-9a-f]{16}@careloop\\.test$`));
    await deliver(email({ from: CUSTOMER, subject: 'Re: your message', body: 'Any news?', messageId: nextId('rewritten'), inReplyTo: 'rewritten-by-provider@mail.example', references: [marker, 'rewritten-by-provider@mail.example'] }));
    await waitFor('the answer threaded by marker', async () => (await detail(ticket.id)).messages.some((message) => message.bodyText?.includes('Any news?')));
  });

  it('takes an out-of-office answer to our reply without reopening or answering it', async () => {
    const ticket = await ticketWithSubject('Wrong grind');
    await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ status: 'pending' });
    const before = await detail(ticket.id);
    const ours = before.messages.filter((message) => message.direction === 'outbound').pop();
    await deliver(
      email({ from: CUSTOMER, subject: 'Automatic reply: Wrong grind', body: 'I am out of office until Monday.', messageId: nextId('ooo'), inReplyTo: ours?.messageId ?? undefined, headers: { 'Auto-Submitted': 'auto-replied' } }),
    );
    const after = await waitFor('the out-of-office on the ticket', async () => {
      const current = await detail(ticket.id);
      return current.messages.length === before.messages.length + 1 ? current : undefined;
    });
    expect(after.messages[after.messages.length - 1].flags).toContain('auto_reply');
    expect(after.status).toBe('pending');
    expect(after.messages.filter((message) => message.direction === 'outbound')).toHaveLength(before.messages.filter((message) => message.direction === 'outbound').length);
  });

  it('attaches a bounce to the ticket whose reply bounced and marks that reply undelivered', async () => {
    const ticket = await ticketWithSubject('My box never arrived');
    const reply = (await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, { type: 'bearer' }).send({ body: 'One more thing.' })).body as { id: string; messageId: string };
    await waitFor('the reply sent', async () => (await detail(ticket.id)).messages.find((message) => message.id === reply.id)?.deliveryState === 'sent');
    const boundary = 'dsn-boundary';
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${nextId('bounce')}>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Your message could not be delivered to maya@example.com.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      'Final-Recipient: rfc822; maya@example.com',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${reply.messageId}>`,
      `Subject: Re: My box never arrived [#${ticket.number}]`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    await stack.deliver(bounce, { from: '', to: [SUPPORT] });
    const bounced = await waitFor('the reply marked undelivered', async () => {
      const current = await detail(ticket.id);
      return current.messages.find((message) => message.id === reply.id)?.deliveryState === 'undelivered' ? current : undefined;
    });
    expect(bounced.messages.find((message) => message.id === reply.id)?.deliveryError).toContain('5.1.1');
    expect(bounced.messages[bounced.messages.length - 1].flags).toContain('bounce');
    expect((await tickets()).filter((item) => item.subject === 'Undelivered Mail Returned to Sender')).toHaveLength(0);
  });

  it('makes one ticket of the same message delivered twice', async () => {
    const raw = email({ from: CUSTOMER, subject: 'Delivered twice', body: 'Same message.', messageId: nextId('twice') });
    await deliver(raw);
    await deliver(raw);
    await deliver(email({ from: CUSTOMER, subject: 'After the duplicate', body: 'Marker.', messageId: nextId('marker') }));
    await ticketWithSubject('After the duplicate');
    expect((await tickets()).filter((ticket) => ticket.subject === 'Delivered twice')).toHaveLength(1);
  });

  it('keeps a message without any header block as text, flagged, and goes on with the next one', async () => {
    await stack.append(SUPPORT, Buffer.from('\u0000\u0001 this is not an email at all \xff\xfe'));
    await deliver(email({ from: CUSTOMER, subject: 'After the garbage', body: 'Still here.', messageId: nextId('after-garbage') }));
    await ticketWithSubject('After the garbage');
    const flagged = await waitFor('the garbage kept as a ticket', async () => {
      for (const ticket of await tickets()) {
        const thread = await detail(ticket.id);
        if (thread.messages.some((message) => message.flags.includes('no_headers'))) return thread;
      }
      return undefined;
    });
    expect(flagged.messages[0].bodyText).toContain('this is not an email at all');
  });

  it('does not let a subject token from a stranger append to someone else\'s ticket', async () => {
    const ticket = await ticketWithSubject('My box never arrived');
    await deliver(email({ from: STRANGER, subject: `Re: My box never arrived [#${ticket.number}]`, body: 'Let me in.', messageId: nextId('stranger') }), STRANGER);
    const own = await waitFor('the stranger\'s own ticket', async () => (await tickets()).find((item) => item.customer?.email === STRANGER));
    expect(own.id).not.toBe(ticket.id);
    expect((await detail(own.id)).events.find((event) => event.type === 'ticket.created')?.data).toMatchObject({ relatedTicketNumber: ticket.number });
    expect((await detail(ticket.id)).messages.some((message) => message.fromAddress === STRANGER)).toBe(false);
  });

  it('reopens a solved ticket on a customer reply within the window, honouring Reply-To', async () => {
    const firstId = nextId('solved');
    await deliver(email({ from: 'Maya at work <maya.work@example.org>', subject: 'Invoice copy', body: 'Please send an invoice.', messageId: firstId, headers: { 'Reply-To': CUSTOMER } }));
    const ticket = await ticketWithSubject('Invoice copy');
    expect(ticket.customer?.email).toBe(CUSTOMER);
    await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ status: 'solved' });
    await deliver(email({ from: CUSTOMER, subject: 'Re: Invoice copy', body: 'One more invoice please.', messageId: nextId('reopen'), inReplyTo: firstId }));
    await waitFor('the ticket reopened', async () => (await detail(ticket.id)).status === 'open');
  });

  it('survives an IMAP server restart', async () => {
    await stack.restartImap();
    await deliver(email({ from: CUSTOMER, subject: 'After the restart', body: 'Are you there?', messageId: nextId('restart') }));
    await ticketWithSubject('After the restart');
  }, 60_000);

  it('resyncs after a UIDVALIDITY change without duplicates, and deleted tickets stay deleted', async () => {
    const doomed = await ticketWithSubject('Delivered twice');
    expect((await t.http.delete(`/api/tickets/${doomed.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
    const before = (await tickets()).map((ticket: TicketSummaryDto) => ticket.id).sort();
    // Pretend the server renumbered the folder, then make the worker reconnect.
    await t.app.get(DataSource).query('UPDATE mailbox_syncs SET uid_validity = 1, last_uid = 999999');
    await t.http.patch(`/api/mailboxes/${mailbox.id}`).auth(admin, { type: 'bearer' }).send({ name: 'Support (renamed)' });
    await deliver(email({ from: CUSTOMER, subject: 'After the resync', body: 'New one.', messageId: nextId('resync') }));
    await ticketWithSubject('After the resync');
    const after = (await tickets()).map((ticket) => ticket.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after).toEqual(expect.arrayContaining(before));
  });

  it('shows a wrong password as a clear mailbox error', async () => {
    const broken = await connectMailbox(t, stack, admin, { address: 'broken@careloop.test', imapUser: SUPPORT, imapPassword: 'wrong-password', smtpPassword: 'wrong-password' });
    const check = await t.http.post(`/api/mailboxes/${broken.id}/test`).auth(admin, { type: 'bearer' });
    expect(check.body.imap).toEqual({ ok: false, message: expect.stringContaining('refused the username or password') });
    expect(check.body.smtp).toEqual({ ok: false, message: expect.stringContaining('refused the username or password') });
    const health = await waitFor('the error in the mailbox status', async () => {
      const current = (await t.http.get(`/api/mailboxes/${broken.id}`).auth(admin, { type: 'bearer' })).body as MailboxDto;
      return current.health.state === 'error' ? current.health : undefined;
    });
    expect(health.lastError).toContain('refused the username or password');
    const good = (await t.http.get(`/api/mailboxes/${mailbox.id}`).auth(admin, { type: 'bearer' })).body as MailboxDto;
    expect(good.health).toMatchObject({ state: 'connected', lastError: null });
    expect(good.health.importedMessages).toBeGreaterThan(5);
    expect(JSON.stringify(good)).not.toContain(SUPPORT_PASSWORD);
  });
});
