import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { MessageDto, TicketDetailDto, TicketPageDto, TicketSummaryDto } from '../../contracts/api';
import type { MailboxDto } from '../../contracts/mail';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';
const STRANGER = 'mallory@example.net';
const HEALTH = 'health@careloop.test';
/** Mail with this header line cannot be stored at all: a test trigger refuses it (see beforeAll). */
const REFUSED_HEADER = 'X-Test-Refuse-Storage: yes';

/** Hand-made hostile mail: each fixture is the smallest message that showed the problem. */
const fixtures = {
  /** Encoded NUL (quoted-printable =00) in the subject, the From name and the body. */
  encodedNul: (messageId: string) =>
    [
      'From: =?utf-8?Q?Eve=00Null?= <eve@example.org>',
      `To: ${SUPPORT}`,
      'Subject: =?utf-8?Q?Null=00byte_subject?=',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Before=00after, a NUL in the body.',
      '',
    ].join('\r\n'),
  /** A raw NUL byte straight in an 8-bit text part. */
  rawNul: (messageId: string) =>
    Buffer.from(
      [`From: ${CUSTOMER}`, `To: ${SUPPORT}`, 'Subject: Raw NUL byte', `Message-ID: <${messageId}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', 'left\u0000right', ''].join('\r\n'),
      'utf8',
    ),
  /** A text part under `depth` nested multiparts. */
  nested: (messageId: string, depth: number) => {
    let body = 'Content-Type: text/plain; charset=utf-8\r\n\r\nThe words at the very bottom.\r\n';
    for (let level = depth; level > 0; level--) body = `Content-Type: multipart/mixed; boundary="n${level}"\r\n\r\n--n${level}\r\n${body}--n${level}--\r\n`;
    return `From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: Deeply nested\r\nMessage-ID: <${messageId}>\r\nMIME-Version: 1.0\r\n${body}`;
  },
  /** Latin-1 bytes with no charset anywhere, in the subject and the body. */
  undeclaredLatin1: (messageId: string) =>
    Buffer.concat([
      Buffer.from(`From: ${CUSTOMER}\r\nTo: ${SUPPORT}\r\nSubject: `),
      Buffer.from('Grüße aus Köln', 'latin1'),
      Buffer.from(`\r\nMessage-ID: <${messageId}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      Buffer.from('Schöne Grüße aus Köln, die Bestellung kam nicht an. Jürgen\r\n', 'latin1'),
    ]),
  /** No blank line, no header field: just words. */
  noHeaderBlock: () => 'Hi, my mail program sent this without any headers.\r\nPlease call me back: 0123 456789\r\n',
  /** A text part and one attachment of `attachmentBytes`. */
  withAttachment: (messageId: string, attachmentBytes: number, subject = 'Photos of the broken grinder') =>
    [
      `From: ${CUSTOMER}`,
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="att"',
      '',
      '--att',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The grinder arrived broken, photos attached.',
      '--att',
      'Content-Type: application/zip',
      'Content-Disposition: attachment; filename="photos.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      ...(Buffer.alloc(attachmentBytes, 7).toString('base64').match(/.{1,76}/g) ?? []),
      '--att--',
      '',
    ].join('\r\n'),
};

describe('hostile mail against Dovecot: never lost, never garbled, never in a stranger\'s ticket', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let db: DataSource;
  let sequence = 0;
  const nextId = (label: string) => `${label}.${++sequence}.${Date.now()}@example.com`;
  const tickets = async () => ((await t.http.get('/api/tickets?limit=200').auth(admin, { type: 'bearer' })).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
  const ticketWith = (what: string, match: (ticket: TicketSummaryDto) => boolean) => waitFor(what, async () => (await tickets()).find(match), 20_000);
  const ticketWithSubject = (subject: string) => ticketWith(`a ticket "${subject}"`, (ticket) => ticket.subject === subject);
  const onlyMessage = async (ticket: TicketSummaryDto): Promise<MessageDto> => {
    const { messages } = await detail(ticket.id);
    expect(messages).toHaveLength(1);
    return messages[0];
  };
  const deliver = (raw: string | Buffer, from = CUSTOMER, to = SUPPORT) => stack.deliver(raw, { from, to: [to] });
  const raw = async (ticketId: string, messageId: string) => {
    const response = await t.http.get(`/api/tickets/${ticketId}/messages/${messageId}/raw`).auth(admin, { type: 'bearer' }).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    return { status: response.status, body: response.body as Buffer, type: response.headers['content-type'] as string | undefined };
  };

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: HEALTH, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'maya-pass' },
        { address: STRANGER, password: 'mallory-pass' },
      ],
    });
    // No poll to speak of: every message here must arrive through IMAP IDLE.
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '600', CARELOOP_MAX_EMAIL_MB: '0.25' } });
    admin = await t.login();
    db = t.app.get(DataSource);
    // Storage that fails whatever Careloop does, for the quarantine: PostgreSQL refuses marked messages.
    await db.query(`CREATE FUNCTION refuse_marked_mail() RETURNS trigger AS $$
      BEGIN
        IF position(convert_to('${REFUSED_HEADER}', 'UTF8') IN NEW.raw_source) > 0 THEN RAISE EXCEPTION 'storage refused by the test trigger'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.query('CREATE TRIGGER refuse_marked_mail BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_marked_mail()');
    await connectMailbox(t, stack, admin);
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('0. takes encoded NUL in subject, sender name and body without stopping the mailbox, and keeps the raw bytes', async () => {
    await deliver(fixtures.encodedNul(nextId('nul')), 'eve@example.org');
    await deliver(email({ from: CUSTOMER, subject: 'After the NUL mail', body: 'Still flowing.', messageId: nextId('after-nul') }));
    const ticket = await ticketWithSubject('Nullbyte subject');
    const message = await onlyMessage(ticket);
    expect(message).toMatchObject({ fromName: 'EveNull', bodyText: expect.stringContaining('Beforeafter, a NUL in the body.') });
    expect(message.notes.join(' ')).toMatch(/NUL characters were removed/);
    const source = await raw(ticket.id, message.id);
    expect(source.status).toBe(200);
    expect(source.type).toMatch(/^message\/rfc822/);
    expect(source.body.toString('latin1')).toContain('Before=00after');
    await ticketWithSubject('After the NUL mail');
  });

  it('0. quarantines a message even the raw path cannot store, with its UID and why, and goes on', async () => {
    const marked = email({ from: CUSTOMER, subject: 'Refused by storage', body: 'x', messageId: nextId('refused'), headers: { 'X-Test-Refuse-Storage': 'yes' } });
    await deliver(marked);
    await deliver(email({ from: CUSTOMER, subject: 'After the quarantine', body: 'Next one.', messageId: nextId('after-quarantine') }));
    await ticketWithSubject('After the quarantine');
    const [mailbox] = (await t.http.get('/api/mailboxes').auth(admin, { type: 'bearer' })).body as MailboxDto[];
    expect(mailbox.health.state).toBe('connected');
    expect(mailbox.health.quarantinedMessages).toBe(1);
    const uids = (await stack.listMessages(SUPPORT)).filter((stored) => stored.source.toString().includes(REFUSED_HEADER)).map((stored) => String(stored.uid));
    expect(mailbox.health.quarantine).toEqual([{ uid: uids[0], reason: expect.stringContaining('storage refused by the test trigger'), at: expect.any(String) }]);
    expect((await tickets()).some((ticket) => ticket.subject === 'Refused by storage')).toBe(false);
  });

  it('0. answers a NUL through the API with a 400 naming the field', async () => {
    const ticket = await ticketWithSubject('After the NUL mail');
    const note = await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'a\u0000b' });
    expect(note.status).toBe(400);
    expect(note.body.fields).toEqual([{ field: 'body', message: 'must not contain NUL characters' }]);
    const customer = await t.http.post('/api/customers').auth(admin, { type: 'bearer' }).send({ email: 'nul@example.com', name: 'Nul\u0000Name' });
    expect(customer.status).toBe(400);
    expect(customer.body.fields[0].field).toBe('name');
    const search = await t.http.get('/api/customers?q=%00').auth(admin, { type: 'bearer' });
    expect(search.status).toBe(400);
    expect(search.body.fields[0].field).toBe('q');
  });

  it('1. stores a different message that reuses a Message-ID, and skips only the true re-delivery', async () => {
    const reused = nextId('reused');
    const original = email({ from: CUSTOMER, subject: 'Where is order 1001?', body: 'Order 1001 is late.', messageId: reused });
    await deliver(original);
    await deliver(email({ from: 'someone.else@example.org', subject: 'Copied headers, new question', body: 'Entirely different mail.', messageId: reused }), 'someone.else@example.org');
    // The same message once more (over SMTP, so with new trace headers): a re-delivery.
    await deliver(original);
    await deliver(email({ from: CUSTOMER, subject: 'After the reuse', body: 'Marker.', messageId: nextId('after-reuse') }));
    await ticketWithSubject('After the reuse');
    const all = await tickets();
    expect(all.filter((ticket) => ticket.subject === 'Where is order 1001?')).toHaveLength(1);
    const different = all.find((ticket) => ticket.subject === 'Copied headers, new question');
    expect(different && (await onlyMessage(different)).bodyText).toContain('Entirely different mail.');
  });

  describe('2. threading checks the sender on every path', () => {
    let ticket: TicketSummaryDto;
    let firstId: string;
    let signedMarker: string;

    beforeAll(async () => {
      firstId = nextId('thread');
      await deliver(email({ from: CUSTOMER, subject: 'Grinder is broken', body: 'Please help.', messageId: firstId }));
      ticket = await ticketWithSubject('Grinder is broken');
      const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, { type: 'bearer' }).send({ body: 'We are on it.' });
      signedMarker = (reply.body.references as string[])[0];
      await waitFor('the reply sent', async () => (await detail(ticket.id)).messages.find((message) => message.id === reply.body.id)?.deliveryState === 'sent');
    });

    const strangerTicket = (subject: string) => ticketWith(`the stranger's "${subject}"`, (item) => item.subject === subject && item.customer?.email === STRANGER);
    const createdEvent = async (id: string) => (await detail(id)).events.find((event) => event.type === 'ticket.created')?.data;

    it('a guessed plain marker from a stranger opens a new ticket linked to the real one', async () => {
      await deliver(email({ from: STRANGER, subject: 'Guessed marker', body: 'Let me in.', messageId: nextId('guess'), references: [`careloop-ticket.${ticket.number}@careloop.test`] }), STRANGER);
      const own = await strangerTicket('Guessed marker');
      expect(await createdEvent(own.id)).toMatchObject({ relatedTicketNumber: ticket.number, reason: 'not_participant' });
    });

    it('In-Reply-To naming the customer\'s message does not let a stranger in either', async () => {
      await deliver(email({ from: STRANGER, subject: 'Re: Grinder is broken', body: 'Me too.', messageId: nextId('inreply'), inReplyTo: firstId }), STRANGER);
      const own = await strangerTicket('Re: Grinder is broken');
      expect(await createdEvent(own.id)).toMatchObject({ relatedTicketNumber: ticket.number, reason: 'not_participant' });
    });

    it('a marker with a forged signature is ignored', async () => {
      await deliver(email({ from: STRANGER, subject: 'Forged marker', body: 'x', messageId: nextId('forged'), references: [`careloop-ticket.${ticket.number}.0123456789abcdef@careloop.test`] }), STRANGER);
      const own = await strangerTicket('Forged marker');
      expect(await createdEvent(own.id)).not.toHaveProperty('relatedTicketNumber');
      expect((await detail(ticket.id)).messages.some((message) => message.fromAddress === STRANGER)).toBe(false);
    });

    it('the customer threads by the signed marker, by an old plain marker and by the signed plus address', async () => {
      await deliver(email({ from: CUSTOMER, subject: 'Re: your reply', body: 'By the signed marker.', messageId: nextId('signed'), references: [signedMarker] }));
      await deliver(email({ from: CUSTOMER, subject: 'Re: old mail', body: 'By the old plain marker.', messageId: nextId('plain'), references: [`careloop-ticket.${ticket.number}@careloop.test`] }));
      const markers = /^careloop-ticket\.\d+\.([0-9a-f]{16})@/.exec(signedMarker);
      const plus = `support+t${ticket.number}-${markers?.[1]}@careloop.test`;
      await deliver(email({ from: CUSTOMER, to: plus, subject: 'New subject entirely', body: 'By the plus address.', messageId: nextId('plus') }), CUSTOMER, plus);
      await waitFor('three answers on the ticket', async () => {
        const bodies = (await detail(ticket.id)).messages.map((message) => message.bodyText ?? '');
        return ['By the signed marker.', 'By the old plain marker.', 'By the plus address.'].every((text) => bodies.some((body) => body.includes(text)));
      });
    });

    it('a stranger writing to the signed plus address opens a new ticket linked to the real one', async () => {
      const signature = /^careloop-ticket\.\d+\.([0-9a-f]{16})@/.exec(signedMarker)?.[1];
      const plus = `support+t${ticket.number}-${signature}@careloop.test`;
      await deliver(email({ from: STRANGER, to: plus, subject: 'Plus address from a stranger', body: 'Found this address.', messageId: nextId('plus-stranger') }), STRANGER, plus);
      const own = await strangerTicket('Plus address from a stranger');
      expect(await createdEvent(own.id)).toMatchObject({ relatedTicketNumber: ticket.number, reason: 'not_participant' });
      expect((await detail(ticket.id)).messages.some((message) => message.bodyText?.includes('Found this address.'))).toBe(false);
    });

    it('the customer writing from another address lands in a linked ticket that merges in one call', async () => {
      await stack.addUser('maya.private@example.org', 'private-pass');
      await deliver(email({ from: 'maya.private@example.org', subject: 'Re: Grinder is broken', body: 'From my other address.', messageId: nextId('other-address'), inReplyTo: firstId }), 'maya.private@example.org');
      const linked = await ticketWith('the linked ticket', (item) => item.customer?.email === 'maya.private@example.org');
      const data = await createdEvent(linked.id);
      expect(data).toMatchObject({ relatedTicketId: ticket.id, reason: 'not_participant' });
      const merged = await t.http.post(`/api/tickets/${ticket.id}/merge`).auth(admin, { type: 'bearer' }).send({ sourceIds: [linked.id] });
      expect(merged.status).toBe(200);
      expect((await detail(ticket.id)).messages.some((message) => message.bodyText?.includes('From my other address.'))).toBe(true);
    });
  });

  it('3. recovers the text of mail nested 1,200 levels deep and flags why', async () => {
    await deliver(fixtures.nested(nextId('nested'), 1200));
    const message = await onlyMessage(await ticketWithSubject('Deeply nested'));
    expect(message.bodyText?.trim()).toBe('The words at the very bottom.');
    expect(message.flags).toContain('text_recovered');
    expect(message.notes.join(' ')).toMatch(/nested 1200 levels deep/);
  });

  it('4. keeps the text of an oversized message, lists its attachment, says the limit, and serves the raw source', async () => {
    const source = fixtures.withAttachment(nextId('oversized'), 400 * 1024);
    await deliver(source);
    const ticket = await ticketWithSubject('Photos of the broken grinder');
    const message = await onlyMessage(ticket);
    expect(message.flags).toContain('oversized');
    expect(message.bodyText).toContain('The grinder arrived broken, photos attached.');
    expect(message.attachments).toEqual([]);
    expect(message.notes.join(' ')).toMatch(/over the 256 KB limit.*Kept its text.*Attachments not imported: photos\.zip \(400 KB\)/);
    expect(message.hasRawSource).toBe(true);
    const download = await raw(ticket.id, message.id);
    expect(download.status).toBe(200);
    expect(download.body.toString()).toContain('filename="photos.zip"');
    expect(download.body.length).toBeGreaterThan(source.length);
    // The ticket's access rule: another ticket's id with this message, or no login, gets nothing.
    const other = (await tickets()).find((item) => item.id !== ticket.id);
    expect((await t.http.get(`/api/tickets/${other?.id}/messages/${message.id}/raw`).auth(admin, { type: 'bearer' })).status).toBe(404);
    expect((await t.http.get(`/api/tickets/${ticket.id}/messages/${message.id}/raw`)).status).toBe(401);
    // Only its raw source used the attachment's blob: deleting the ticket deletes the blob.
    const blob = createHash('sha256').update(Buffer.alloc(400 * 1024, 7)).digest();
    const blobs = async () => (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = $1', [blob]))[0].n;
    expect(await blobs()).toBe(1);
    expect((await t.http.delete(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
    expect(await blobs()).toBe(0);
  });

  it('4. streams a 6 MB oversized message: its text, its attachment listed by name and size, the raw source byte for byte', async () => {
    // Over the size fetched into memory (4 MB): the source streams to a file, the attachment is never held whole.
    await deliver(fixtures.withAttachment(nextId('oversized-large'), 6 * 1024 * 1024, 'The whole photo album'));
    const ticket = await ticketWithSubject('The whole photo album');
    const message = await onlyMessage(ticket);
    expect(message.flags).toContain('oversized');
    expect(message.bodyText).toContain('The grinder arrived broken, photos attached.');
    expect(message.attachments).toEqual([]);
    expect(message.notes.join(' ')).toMatch(/This message is 8\.\d MB, over the 256 KB limit.*Kept its text.*Attachments not imported: photos\.zip \(6\.0 MB\)/);
    const held = (await stack.listMessages(SUPPORT)).find((item) => item.subject === 'The whole photo album')?.source;
    expect((await raw(ticket.id, message.id)).body.equals(held!)).toBe(true);
  });

  it('5. reads undeclared Latin-1 by detection and flags the guess', async () => {
    await deliver(fixtures.undeclaredLatin1(nextId('latin1')));
    const ticket = await ticketWithSubject('Grüße aus Köln');
    const message = await onlyMessage(ticket);
    expect(message.bodyText).toContain('Schöne Grüße aus Köln, die Bestellung kam nicht an. Jürgen');
    expect(message.flags).toContain('charset_guessed');
    expect(message.notes.join(' ')).toMatch(/read as (windows-1252|iso-8859-1)/);
  });

  it('6. shows a message with no header block as its text, flagged', async () => {
    await stack.append(SUPPORT, fixtures.noHeaderBlock());
    const ticket = await ticketWith('the headerless mail', (item) => (item.snippet ?? '').includes('without any headers'));
    const message = await onlyMessage(ticket);
    expect(message.bodyText).toBe('Hi, my mail program sent this without any headers.\nPlease call me back: 0123 456789\n');
    expect(message.flags).toEqual(['no_headers']);
  });

  it('7. strips a raw NUL byte from a text part and keeps it in the raw source', async () => {
    await deliver(fixtures.rawNul(nextId('raw-nul')));
    const ticket = await ticketWithSubject('Raw NUL byte');
    const message = await onlyMessage(ticket);
    expect(message.bodyText).toBe('leftright\n');
    // Dovecot stores the NUL as 0x80; the raw source keeps what the server holds, byte for byte.
    expect((await raw(ticket.id, message.id)).body.includes(Buffer.from([0x6c, 0x65, 0x66, 0x74, 0x80, 0x72, 0x69, 0x67, 0x68, 0x74]))).toBe(true);
  });

  it('imports through IMAP IDLE: mail sent over SMTP is a ticket within seconds, though the next poll is ten minutes away', async () => {
    const sent = Date.now();
    await deliver(email({ from: CUSTOMER, subject: 'Pushed by IDLE', body: 'No poll needed.', messageId: nextId('idle') }));
    await ticketWithSubject('Pushed by IDLE');
    expect(Date.now() - sent).toBeLessThan(10_000);
  });

  it('leaves \\Seen alone: mail read elsewhere is imported, and imported mail stays unread', async () => {
    await stack.append(SUPPORT, email({ from: CUSTOMER, subject: 'Already read in Thunderbird', body: 'Seen before Careloop.', messageId: nextId('seen') }), 'INBOX', ['\\Seen']);
    await ticketWithSubject('Already read in Thunderbird');
    const stored = await stack.listMessages(SUPPORT);
    expect(stored.find((message) => message.subject === 'Already read in Thunderbird')?.flags).toContain('\\Seen');
    expect(stored.find((message) => message.subject === 'After the reuse')?.flags).not.toContain('\\Seen');
  });

  it('health numbers add up with re-deliveries, reused Message-IDs and bad mail mixed', async () => {
    const reused = nextId('health-reused');
    const first = email({ from: CUSTOMER, to: HEALTH, subject: 'Health first', body: 'One.', messageId: reused });
    const mix: (string | Buffer)[] = [
      first,
      first, // the same message again: a re-delivery
      email({ from: CUSTOMER, to: HEALTH, subject: 'Health reused id', body: 'A different message with the same id.', messageId: reused }),
      fixtures.noHeaderBlock(),
      fixtures.encodedNul(nextId('health-nul')),
      fixtures.undeclaredLatin1(nextId('health-latin1')),
      email({ from: CUSTOMER, to: HEALTH, subject: 'Health refused', body: 'x', messageId: nextId('health-refused'), headers: { 'X-Test-Refuse-Storage': 'yes' } }),
      email({ from: CUSTOMER, to: HEALTH, subject: 'Health last', body: 'Last.', messageId: nextId('health-last') }),
    ];
    for (const message of mix) await stack.append(HEALTH, message);
    const mailbox = await connectMailbox(t, stack, admin, { name: 'Health', address: HEALTH, imapUser: HEALTH, smtpUser: HEALTH });
    const health = await waitFor(
      'the health mailbox synced',
      async () => {
        const current = ((await t.http.get(`/api/mailboxes/${mailbox.id}`).auth(admin, { type: 'bearer' })).body as MailboxDto).health;
        return current.folderMessages === mix.length && current.importedMessages + current.skippedRedeliveries + current.quarantinedMessages === mix.length ? current : undefined;
      },
      30_000,
    );
    expect(health).toMatchObject({ state: 'connected', folderMessages: 8, importedMessages: 6, skippedRedeliveries: 1, quarantinedMessages: 1 });
    // Flagged: the headerless one, the NUL one (noted, not flagged), the Latin-1 one.
    expect(health.flaggedMessages).toBe(2);
  });
});
