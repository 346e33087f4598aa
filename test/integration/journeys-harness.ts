/** What the journey integration tests share: an SMTP sink that records what Careloop sends, and a care workspace set up through the API. */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import type { SubscriptionEventRequest, WebhookSecretDto } from '../../contracts/customers';
import type { JourneyDto } from '../../contracts/journeys';
import type { MailboxDto } from '../../contracts/mail';
import type { TestApp } from '../support/app';

export interface CapturedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  /** Raw header values by lower-case name. */
  headers: Map<string, string>;
}

export interface SmtpSink {
  port: number;
  messages: CapturedMail[];
  /** Holds every message being received without answering, as a stalled server would; nothing held is recorded. */
  hold(): void;
  /** Accepts and records messages again (the held ones stay unanswered). */
  release(): void;
  close(): Promise<void>;
}

/** A plain SMTP server on loopback that accepts everything and records each message once it has answered 250. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: CapturedMail[] = [];
  let holding = false;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'careloop' }),
    onData(stream, session, callback) {
      void (async () => {
        // A sender killed mid-message leaves a broken stream: nothing arrived, nothing to record.
        const raw = await readAll(stream).catch(() => null);
        if (raw === null) return;
        if (holding) return; // never answered: the sender cannot know whether it arrived, and it did not
        const parsed = await simpleParser(raw);
        messages.push({
          messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
          to: session.envelope.rcptTo.map((recipient) => recipient.address).join(','),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          headers: new Map(parsed.headerLines.map(({ key, line }) => [key, line.slice(line.indexOf(':') + 1).trim()])),
        });
        callback();
      })();
    },
  });
  // Connections reset by a killed sender are expected here.
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  return {
    port,
    messages,
    hold: () => (holding = true),
    release: () => (holding = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface CareWorkspace {
  admin: string;
  careOwner: string;
  careOwnerId: string;
  mailbox: MailboxDto;
  webhookSecret: string;
}

/** A care owner, a mailbox sending to the sink, the webhook secret and care settings pointing at this app. */
export async function setUpCare(t: TestApp, sink: { port: number }, settings: Record<string, unknown> = {}): Promise<CareWorkspace> {
  const admin = await t.login();
  const owner = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'carla@careloop.test', name: 'Carla Care', role: 'care_owner', password: 'password-12345' });
  const careOwner = await t.login('carla@careloop.test', 'password-12345');
  const mailbox = await t.http
    .post('/api/mailboxes')
    .auth(admin, { type: 'bearer' })
    .send({ name: 'Care', address: 'care@careloop.test', imapHost: '127.0.0.1', imapPort: 1, imapUser: 'care', imapPassword: 'x', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpTls: false, smtpUser: 'care', smtpPassword: 'x' });
  if (mailbox.status !== 201) throw new Error(`mailbox not created: ${JSON.stringify(mailbox.body)}`);
  const secret = await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' });
  const saved = await t.http
    .patch('/api/care/settings')
    .auth(careOwner, { type: 'bearer' })
    .send({ manageSubscriptionUrl: 'https://shop.example/account/subscription', ...settings });
  if (saved.status !== 200) throw new Error(`care settings not saved: ${JSON.stringify(saved.body)}`);
  return { admin, careOwner, careOwnerId: (owner.body as { id: string }).id, mailbox: mailbox.body as MailboxDto, webhookSecret: (secret.body as WebhookSecretDto).secret };
}

export async function switchOnPreset(t: TestApp, care: CareWorkspace, key: string): Promise<JourneyDto> {
  const response = await t.http.post(`/api/journeys/presets/${key}`).auth(care.careOwner, { type: 'bearer' }).send({ activate: true });
  if (response.status !== 201) throw new Error(`preset ${key} not switched on: ${JSON.stringify(response.body)}`);
  return response.body as JourneyDto;
}

/** A subscription event as the commerce platform sends it. */
export async function subscriptionEvent(t: TestApp, care: CareWorkspace, event: SubscriptionEventRequest): Promise<void> {
  const response = await t.http.post('/api/subscriptions/events').auth(care.webhookSecret, { type: 'bearer' }).send(event);
  if (response.status !== 200) throw new Error(`event ${event.id} refused: ${JSON.stringify(response.body)}`);
}
