/**
 * Memory while importing one large mail: APPENDs a message with one attachment of incompressible bytes to
 * Dovecot, lets Careloop import it over IMAP, and reports how far this process's resident memory rose above
 * what it held before (sampled every 10 ms), and whether the attachment came out byte for byte.
 * Usage: npm run bench -- mail-large [attachment MB = 25] [CARELOOP_MAX_EMAIL_MB = 30]
 * With the defaults the message (about 34 MB encoded) is over the limit: the oversized path. Pass a limit
 * above the message size (e.g. 40) for the normal path.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Client } from 'pg';
import request from 'supertest';
import { startMailStack } from '../test/support/mail-stack';
import { benchApp, benchDatabase, noise } from './support';

const ATTACHMENT_MB = Number(process.argv[2] ?? 25);
const LIMIT_MB = Number(process.argv[3] ?? 30);
const SUPPORT = 'support@bench.test';
const PASSWORD = 'bench-password';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function appendLargeMail(): Promise<{ bytes: number; sha256: string }> {
  const content = noise(1, Math.round(ATTACHMENT_MB * 1024 * 1024));
  const raw = await new MailComposer({
    from: 'Maya Fischer <maya@example.com>',
    to: SUPPORT,
    subject: 'Photos of the broken grinder',
    messageId: `<large.${Date.now()}@example.com>`,
    text: 'The grinder arrived broken, the photos are attached.',
    attachments: [{ filename: 'photos.zip', contentType: 'application/zip', content }],
  })
    .compile()
    .build();
  const appender = new ImapFlow({ host: '127.0.0.1', port: Number(process.env.BENCH_IMAP_PORT), secure: false, auth: { user: SUPPORT, pass: PASSWORD }, logger: false });
  await appender.connect();
  await appender.append('INBOX', raw);
  await appender.logout();
  return { bytes: raw.length, sha256: createHash('sha256').update(content).digest('hex') };
}

async function main(): Promise<void> {
  const stack = await startMailStack({ users: [{ address: SUPPORT, password: PASSWORD }] });
  process.env.BENCH_IMAP_PORT = String(stack.imap.port);
  const database = await benchDatabase('mail_large');
  try {
    const mail = await appendLargeMail();
    const app = await benchApp(database.url, { CARELOOP_IMAP_POLL_SECONDS: '600', CARELOOP_MAX_EMAIL_MB: String(LIMIT_MB) });
    const http = request(app.getHttpServer() as Parameters<typeof request>[0]);
    const token = ((await http.post('/api/auth/login').send({ email: 'admin@careloop.local', password: 'admin-password-1' })).body as { token: string }).token;
    const db = new Client({ connectionString: database.url });
    await db.connect();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const start = performance.now();
    await http
      .post('/api/mailboxes')
      .auth(token, { type: 'bearer' })
      .send({ name: 'Bench', address: SUPPORT, imapHost: stack.imap.host, imapPort: stack.imap.port, imapTls: false, imapUser: SUPPORT, imapPassword: PASSWORD, smtpHost: stack.smtp.host, smtpPort: stack.smtp.port, smtpUser: SUPPORT, smtpPassword: PASSWORD });
    let message: { id: string; ticket_id: string; flags: string[] } | undefined;
    while (!message) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      message = (await db.query<{ id: string; ticket_id: string; flags: string[] }>("SELECT id, ticket_id, flags FROM messages WHERE direction = 'inbound'")).rows[0];
      if (performance.now() - start > 300_000) throw new Error('the large mail was not imported after 5 minutes');
    }
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    const blob = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachment_blobs WHERE sha256 = $1', [Buffer.from(mail.sha256, 'hex')])).rows[0].n;
    const attachments = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE message_id = $1', [message.id])).rows[0].n;
    await db.end();
    await app.close();
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    console.log(
      JSON.stringify({
        bench: 'mail-large',
        attachment_mb: ATTACHMENT_MB,
        message_mb: Number((mail.bytes / 1024 / 1024).toFixed(1)),
        limit_mb: LIMIT_MB,
        oversized: message.flags.includes('oversized'),
        attachment_rows: attachments,
        attachment_blob_stored: blob === 1,
        import_s: Number(seconds.toFixed(1)),
        baseline_rss_mb: mb(baseline),
        peak_rss_mb: mb(peak),
        peak_rss_delta_mb: mb(peak - baseline),
      }),
    );
  } finally {
    await database.drop();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
