import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { DataSource } from 'typeorm';
import type { TicketDetailDto, TicketPageDto } from '../../contracts/api';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';
const COLLEAGUE = 'jonas@example.com';
/** The same logo in every signature, and an invoice sent twice: two distinct contents. */
const LOGO = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31 + 7) % 256));
const INVOICE = Buffer.from(Array.from({ length: 60_000 }, (_, i) => (i * 13 + 1) % 256));
const hash = (content: Buffer) => createHash('sha256').update(content).digest();
const PHOTOS = randomBytes(8 * 1024 * 1024);

function mailWithSignature(subject: string, messageId: string): Promise<Buffer> {
  return new MailComposer({
    from: `Maya Fischer <${CUSTOMER}>`,
    to: SUPPORT,
    subject,
    messageId: `<${messageId}>`,
    text: `${subject}: the invoice is attached.`,
    html: `<p>${subject}: the invoice is attached.</p><p><img src="cid:logo@maya" alt="Maya's shop"></p>`,
    attachments: [
      { filename: 'invoice.pdf', contentType: 'application/pdf', content: INVOICE },
      { filename: 'logo.png', contentType: 'image/png', content: LOGO, cid: 'logo@maya' },
    ],
  })
    .compile()
    .build();
}

describe('mail storage: attachment bytes once, raw sources exact', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let db: DataSource;
  const auth = { type: 'bearer' as const };
  const tickets = async () => ((await t.http.get('/api/tickets?limit=200').auth(admin, auth)).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(admin, auth)).body as TicketDetailDto;
  const download = async (path: string) =>
    (
      await t.http
        .get(path)
        .auth(admin, auth)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
    ).body as Buffer;

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: CUSTOMER, password: 'maya-pass' },
        { address: COLLEAGUE, password: 'jonas-pass' },
      ],
    });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '2' } });
    admin = await t.login();
    db = t.app.get(DataSource);
    await connectMailbox(t, stack, admin, { sentFolder: 'Sent' });
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('stores a logo and an invoice that arrive twice as one blob each, and gives every raw source back byte for byte', async () => {
    const sources = [await mailWithSignature('Invoice March', `storage-1.${Date.now()}@example.com`), await mailWithSignature('Invoice April', `storage-2.${Date.now()}@example.com`)];
    for (const source of sources) await stack.deliver(source, { from: CUSTOMER, to: [SUPPORT] });
    const found = await waitFor('both tickets', async () => {
      const items = await tickets();
      const both = ['Invoice March', 'Invoice April'].map((subject) => items.find((ticket) => ticket.subject === subject));
      return both.every(Boolean) ? both.map((ticket) => ticket!) : undefined;
    });

    const blobs = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = ANY($1::bytea[])', [[hash(LOGO), hash(INVOICE)]]);
    expect(blobs[0].n).toBe(2);
    const rows = await db.query<{ n: number; blobs: number }[]>(
      'SELECT count(*)::int AS n, count(DISTINCT content_sha256)::int AS blobs FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = ANY($1::uuid[])',
      [found.map((ticket) => ticket.id)],
    );
    expect(rows[0]).toEqual({ n: 4, blobs: 2 });

    // Dovecot adds its delivery headers: the raw source is what the mailbox holds.
    const held = await stack.listMessages(SUPPORT);
    for (const [index, ticket] of found.entries()) {
      const [message] = (await detail(ticket.id)).messages;
      // The stored source left the attachments' 100 KB (about 135 KB in base64) to the blobs.
      const [stored] = await db.query<{ bytes: number }[]>('SELECT length(raw_source)::int AS bytes FROM messages WHERE id = $1', [message.id]);
      expect(stored.bytes).toBeLessThan(sources[index].length - 130_000);
      const original = held.find((item) => item.subject === ticket.subject)?.source;
      expect(original?.length).toBeGreaterThan(sources[index].length);
      expect((await download(`/api/tickets/${ticket.id}/messages/${message.id}/raw`)).equals(original!)).toBe(true);
      const invoice = message.attachments.find((attachment) => attachment.filename === 'invoice.pdf');
      expect((await download(`/api/attachments/${invoice?.id}`)).equals(INVOICE)).toBe(true);
      // The inline logo is shown from its attachment, not offered as a download.
      const logo = message.attachments.find((attachment) => attachment.filename === 'logo.png');
      expect(logo).toMatchObject({ inline: true });
      expect(message.bodyHtml).toContain(`/api/attachments/${logo?.id}`);
      expect((await download(`/api/attachments/${logo?.id}`)).equals(LOGO)).toBe(true);
    }
  });

  it('imports a mail with an 8 MB attachment (streamed through a spool file) complete: every attachment and the raw source byte for byte', async () => {
    // Over the size that is fetched into memory (4 MB): the source streams to a file and is split from there.
    const note = Buffer.from('A small note that stays in the source.\n'.repeat(20));
    const source = await new MailComposer({
      from: `Maya Fischer <${CUSTOMER}>`,
      to: SUPPORT,
      subject: 'Photos of the broken grinder',
      messageId: `<large.${Date.now()}@example.com>`,
      text: 'The grinder arrived broken, photos attached.',
      html: '<p>The grinder arrived broken, photos attached.</p><p><img src="cid:logo@maya"></p>',
      attachments: [
        { filename: 'photos.zip', contentType: 'application/zip', content: PHOTOS },
        { filename: 'note.txt', contentType: 'text/plain', content: note },
        { filename: 'logo.png', contentType: 'image/png', content: LOGO, cid: 'logo@maya' },
      ],
    })
      .compile()
      .build();
    await stack.deliver(source, { from: CUSTOMER, to: [SUPPORT] });
    const ticket = await waitFor('the large mail', async () => (await tickets()).find((item) => item.subject === 'Photos of the broken grinder'), 60_000);
    const [message] = (await detail(ticket.id)).messages;
    expect(message.flags).toEqual([]);
    expect(message.bodyText).toContain('The grinder arrived broken, photos attached.');
    expect(message.attachments.map((attachment) => [attachment.filename, attachment.size, attachment.inline]).sort()).toEqual([
      ['logo.png', LOGO.length, true],
      ['note.txt', note.length, false],
      ['photos.zip', PHOTOS.length, false],
    ]);
    for (const [filename, content] of [['photos.zip', PHOTOS], ['note.txt', note], ['logo.png', LOGO]] as const) {
      const attachment = message.attachments.find((item) => item.filename === filename);
      expect((await download(`/api/attachments/${attachment?.id}`)).equals(content)).toBe(true);
    }
    // The logo is the one blob it always was; the photos' body is not kept twice.
    expect((await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = $1', [hash(LOGO)]))[0].n).toBe(1);
    const [stored] = await db.query<{ bytes: number }[]>('SELECT length(raw_source)::int AS bytes FROM messages WHERE id = $1', [message.id]);
    expect(stored.bytes).toBeLessThan(100_000);
    const held = (await stack.listMessages(SUPPORT)).find((item) => item.subject === 'Photos of the broken grinder');
    expect(held?.source.length).toBeGreaterThan(source.length);
    expect((await download(`/api/tickets/${ticket.id}/messages/${message.id}/raw`)).equals(held!.source)).toBe(true);
    // Downloaded in slices with BODY.PEEK: still unread for every other mail client.
    expect(held?.flags).not.toContain('\\Seen');
  });

  it('sends a reply with an attachment to the customer and a CC, files the copy in Sent, and keeps the attachment as its one blob', async () => {
    const ticket = (await tickets()).find((item) => item.subject === 'Invoice March')!;
    const blobsBefore = (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs'))[0].n;
    const reply = await t.http
      .post(`/api/tickets/${ticket.id}/replies`)
      .auth(admin, auth)
      .field('body', 'Here is the corrected invoice.')
      .field('cc[]', COLLEAGUE)
      .attach('attachments', INVOICE, { filename: 'invoice-corrected.pdf', contentType: 'application/pdf' });
    expect(reply.status).toBe(201);

    for (const recipient of [CUSTOMER, COLLEAGUE]) {
      const [received] = await stack.waitForMessages(recipient, 1, 15_000);
      const parsed = await simpleParser(received.source);
      expect(parsed.text).toContain('Here is the corrected invoice.');
      expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value.map((address) => address.address) : []).toEqual([COLLEAGUE]);
      expect(parsed.attachments.map((attachment) => [attachment.filename, attachment.content.equals(INVOICE)])).toEqual([['invoice-corrected.pdf', true]]);
    }
    const [sentCopy] = await stack.waitForMessages(SUPPORT, 1, 15_000, 'Sent');
    expect(sentCopy.flags).toContain('\\Seen');
    const message = await waitFor('the reply marked sent', async () => (await detail(ticket.id)).messages.find((item) => item.id === reply.body.id && item.deliveryState === 'sent'));
    // What Careloop keeps of the reply is exactly what went out and what the Sent folder holds.
    expect((await download(`/api/tickets/${ticket.id}/messages/${message.id}/raw`)).equals(sentCopy.source)).toBe(true);
    expect((await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs'))[0].n).toBe(blobsBefore);
  });

  it('deletes a blob with the last ticket that used it, and keeps those other tickets still use', async () => {
    const blobs = async (...contents: Buffer[]) =>
      (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = ANY($1::bytea[])', [contents.map(hash)]))[0].n;
    const ticketOf = async (subject: string) => (await tickets()).find((item) => item.subject === subject)!;
    const remove = async (subject: string) => expect((await t.http.delete(`/api/tickets/${(await ticketOf(subject)).id}`).auth(admin, auth)).status).toBe(204);

    // The logo and the invoice are in March's mail (and the reply) too.
    await remove('Invoice April');
    expect(await blobs(LOGO, INVOICE)).toBe(2);
    const march = await ticketOf('Invoice March');
    const [first] = (await detail(march.id)).messages;
    const held = (await stack.listMessages(SUPPORT)).find((item) => item.subject === 'Invoice March')?.source;
    expect((await download(`/api/tickets/${march.id}/messages/${first.id}/raw`)).equals(held!)).toBe(true);

    // The photos were in one mail only; its logo is March's.
    await remove('Photos of the broken grinder');
    expect(await blobs(PHOTOS)).toBe(0);
    expect(await blobs(LOGO)).toBe(1);

    await remove('Invoice March');
    expect(await blobs(LOGO, INVOICE)).toBe(0);
  });
});
