/**
 * Ingestion throughput: APPENDs realistic messages to a Dovecot mailbox, lets Careloop import them,
 * and compares with a raw imapflow fetch of the same sources. reactions_lag_s: how long after the last message is
 * stored every listener (routing, SLA, search indexing, live pushes…) has handled it.
 * Usage: npm run bench -- ingest [messages=5000] [flaky]
 * With `flaky`, one more listener takes every ticket.created and message.created and fails every third batch:
 * the other listeners' reactions_lag_s must not move, and every event must still reach it once.
 * stored_bytes_per_msg: growth of the mail tables (messages, attachments, attachment_blobs, mail_receipts, with
 * TOAST and indexes) per imported message. p50/p95_arrival_to_ticket_ms: 100 more messages sent one at a time over
 * SMTP after the backlog, each timed until it is a ticket (IDLE only: the poll is 600 s).
 */
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import request from 'supertest';
import type { DomainEvent } from '../server/src/common/domain-events';
import { DomainEventListener } from '../server/src/outbox/event-listener';
import { EventPipeline } from '../server/src/outbox/event-pipeline';
import { startMailStack, type MailStack } from '../test/support/mail-stack';
import { benchApp, benchDatabase, memorySampler, noise, percentile } from './support';

const MESSAGES = Number(process.argv[2] ?? 5000);
/** Delivered one at a time after the backlog, each timed until it is a ticket. */
const ARRIVALS = 100;
const FLAKY = process.argv[3] === 'flaky';
const SUPPORT = 'support@bench.test';
const PASSWORD = 'bench-password';
const WORDS = 'order box delivery refund coffee beans grind subscription skip pause invoice charge address week late broken please thanks'.split(' ');

const LOGO = noise(-1, 8_000);

function paragraph(seed: number, words: number): string {
  return Array.from({ length: words }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
}

const isReply = (i: number) => i % 3 === 2 && i > 3;
/** A reply comes from the customer who wrote the message it answers (anyone else gets a linked ticket). */
const customerOf = (i: number): number => (isReply(i) ? customerOf(i - 2) : i % 700);

/** Mixed sizes (a few hundred bytes to ~60 KB), every tenth with a receipt and a logo attached, a third of them replies. */
async function realisticMessage(i: number): Promise<Buffer> {
  const size = [20, 80, 300, 1200, 6000][i % 5];
  const customer = customerOf(i);
  const mail = new MailComposer({
    from: `Customer ${customer} <customer${customer}@example.com>`,
    to: SUPPORT,
    subject: isReply(i) ? `Re: Question ${i - 2}` : `Question ${i}`,
    messageId: `<bench.${i}@example.com>`,
    inReplyTo: isReply(i) ? `<bench.${i - 2}@example.com>` : undefined,
    references: isReply(i) ? [`<bench.${i - 2}@example.com>`] : undefined,
    text: paragraph(i, size),
    html: i % 2 === 0 ? `<p>${paragraph(i, size)}</p><p><b>Thanks</b></p>` : undefined,
    // Every tenth: its own receipt, and the shop's logo in the signature, the same bytes each time. Bytes that do
    // not compress, as in real PDFs and images: constant filler would hide what storage costs.
    attachments: i % 10 === 0 ? [{ filename: `receipt-${i}.pdf`, content: noise(i, 20_000) }, { filename: 'logo.png', content: LOGO, cid: 'logo@bench' }] : [],
  });
  return mail.compile().build();
}

/** Fails every third batch it is handed; counts how often it handled each event. */
class FlakyListener extends DomainEventListener {
  readonly name = 'bench-flaky';
  readonly events = ['ticket.created', 'message.created'] as const;
  readonly handled = new Map<string, number>();
  batches = 0;
  failures = 0;

  handle(events: DomainEvent[]): Promise<void> {
    if (++this.batches % 3 === 0) {
      this.failures++;
      return Promise.reject(new Error('every third batch fails'));
    }
    for (const event of events) {
      const key = `${event.name}:${JSON.stringify(event.payload)}`;
      this.handled.set(key, (this.handled.get(key) ?? 0) + 1);
    }
    return Promise.resolve();
  }
}

/** Deliveries still owed (dead letters aside), to `flaky` or to every other listener. */
async function owed(db: Client, flaky: boolean): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_deliveries WHERE dead_at IS NULL AND listener ${flaky ? '=' : '<>'} 'bench-flaky'`);
  return rows[0].n;
}

/** Bytes PostgreSQL holds for mail content (tables with their TOAST and indexes); tables missing from the schema count 0. */
const STORAGE_TABLES = ['messages', 'attachments', 'attachment_blobs', 'mail_receipts'];
async function storedBytes(db: Client): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>('SELECT coalesce(sum(pg_total_relation_size(to_regclass(name))), 0)::text AS bytes FROM unnest($1::text[]) AS name', [STORAGE_TABLES]);
  return Number(rows[0].bytes);
}

/**
 * Milliseconds from handing each of ARRIVALS messages to SMTP (one at a time) until its ticket exists. The
 * poll is 600 s here: only IMAP IDLE can bring them in time.
 */
async function arrivalTimes(stack: MailStack, db: Client): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ARRIVALS; i++) {
    const messageId = `arrival.${i}.${Date.now()}@example.com`;
    const raw = `From: Customer ${i} <arrival${i}@example.com>\r\nTo: ${SUPPORT}\r\nSubject: Arrival ${i}\r\nMessage-ID: <${messageId}>\r\nDate: ${new Date().toUTCString()}\r\n\r\n${paragraph(i, 80)}\r\n`;
    const sent = performance.now();
    await stack.deliver(raw, { from: `arrival${i}@example.com`, to: [SUPPORT] });
    while ((await db.query('SELECT 1 FROM messages WHERE message_id = $1 AND ticket_id IS NOT NULL', [messageId])).rowCount === 0) {
      if (performance.now() - sent > 60_000) throw new Error(`arrival ${i} not a ticket after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    times.push(performance.now() - sent);
  }
  return times;
}

async function main(): Promise<void> {
  const stack = await startMailStack({ users: [{ address: SUPPORT, password: PASSWORD }] });
  const database = await benchDatabase('ingest');
  try {
    console.log(`appending ${MESSAGES} messages…`);
    const appender = new ImapFlow({ host: stack.imap.host, port: stack.imap.port, secure: false, auth: { user: SUPPORT, pass: PASSWORD }, logger: false });
    await appender.connect();
    for (let i = 0; i < MESSAGES; i++) await appender.append('INBOX', await realisticMessage(i));
    await appender.logout();

    // Baseline: one imapflow connection fetching every source.
    const rawStart = performance.now();
    const reader = new ImapFlow({ host: stack.imap.host, port: stack.imap.port, secure: false, auth: { user: SUPPORT, pass: PASSWORD }, logger: false });
    await reader.connect();
    await reader.mailboxOpen('INBOX');
    let fetched = 0;
    for await (const message of reader.fetch('1:*', { uid: true, source: true })) if (message.source) fetched++;
    await reader.logout();
    const rawSeconds = (performance.now() - rawStart) / 1000;
    console.log(`raw fetch: ${fetched} sources in ${rawSeconds.toFixed(2)} s`);

    const memory = memorySampler();
    const app = await benchApp(database.url, { CARELOOP_IMAP_POLL_SECONDS: '600' });
    const flaky = new FlakyListener();
    if (FLAKY) app.get(EventPipeline).register(flaky);
    const http = request(app.getHttpServer() as Parameters<typeof request>[0]);
    const login = await http.post('/api/auth/login').send({ email: 'admin@careloop.local', password: 'admin-password-1' });
    const token = (login.body as { token: string }).token;
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const bytesBefore = await storedBytes(db);
    const start = performance.now();
    await http
      .post('/api/mailboxes')
      .auth(token, { type: 'bearer' })
      .send({ name: 'Bench', address: SUPPORT, imapHost: stack.imap.host, imapPort: stack.imap.port, imapTls: false, imapUser: SUPPORT, imapPassword: PASSWORD, smtpHost: stack.smtp.host, smtpPort: stack.smtp.port, smtpUser: SUPPORT, smtpPassword: PASSWORD });
    let imported = 0;
    while (imported < MESSAGES) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      imported = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE direction = 'inbound'")).rows[0].n;
      if (performance.now() - start > 600_000) throw new Error(`only ${imported} of ${MESSAGES} imported after 10 minutes`);
    }
    const seconds = (performance.now() - start) / 1000;
    // Reactions (routing, SLA, journeys, live pushes) follow from the outbox: how far behind the import they finish.
    while ((await owed(db, false)) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const reactionsLagSeconds = (performance.now() - start) / 1000 - seconds;
    // Search indexing is one of those reactions: every message's words must be in by now.
    const unindexed = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_index_queue')).rows[0].n;
    if (unindexed > 0) throw new Error(`${unindexed} messages still wait for the search index after the reactions`);
    while (FLAKY && (await owed(db, true)) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const flakyLagSeconds = (performance.now() - start) / 1000 - seconds;
    const storedBytesPerMessage = Math.round(((await storedBytes(db)) - bytesBefore) / MESSAGES);
    const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    const tickets = await count('SELECT count(*)::int AS n FROM tickets');
    const counts = {
      tickets_pushed: await count("SELECT count(*)::int AS n FROM realtime_events WHERE name = 'ticket.created'"),
      messages_pushed: await count("SELECT count(*)::int AS n FROM realtime_events WHERE name = 'message.created'"),
      dead_letters: await count('SELECT count(*)::int AS n FROM event_deliveries WHERE dead_at IS NOT NULL'),
    };
    const arrivals = await arrivalTimes(stack, db);
    const flakyCounts = FLAKY
      ? { flaky_failures: flaky.failures, flaky_events_handled: flaky.handled.size, flaky_handled_twice: [...flaky.handled.values()].filter((n) => n > 1).length, flaky_lag_s: Number(flakyLagSeconds.toFixed(1)) }
      : {};
    await db.end();
    memory.stop();
    await app.close();

    const msgsPerSecond = MESSAGES / seconds;
    const rawPerSecond = fetched / rawSeconds;
    console.log(JSON.stringify({ bench: FLAKY ? 'ingest-flaky' : 'ingest', messages: MESSAGES, tickets, ...counts, ...flakyCounts, msgs_per_s: Math.round(msgsPerSecond), raw_fetch_msgs_per_s: Math.round(rawPerSecond), ratio: Number((rawPerSecond / msgsPerSecond).toFixed(2)), peak_rss_mb: memory.peak(), stored_bytes_per_msg: storedBytesPerMessage, p50_arrival_to_ticket_ms: Math.round(percentile(arrivals, 50)), p95_arrival_to_ticket_ms: Math.round(percentile(arrivals, 95)), reactions_lag_s: Number(reactionsLagSeconds.toFixed(1)) }));
  } finally {
    await database.drop();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
