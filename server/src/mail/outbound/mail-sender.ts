import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Transporter } from 'nodemailer';
import { Clock } from '../../common/clock';
import { JobsService } from '../../jobs/jobs.service';
import type { Message } from '../../tickets/message.entity';
import { TicketRepository } from '../../tickets/ticket.repository';
import { createImapClient, createSmtpTransport, describeConnectionError } from '../connection';
import type { Mailbox } from '../mailbox.entity';
import { MailboxRepository, type MailboxSecrets } from '../mailbox.repository';
import { ThreadMarkers } from '../thread-marker';
import { MailboxCredentials } from '../oauth/mailbox-credentials.service';
import { splitRawSource } from '../parse/raw-attachments';
import { SEND_MAIL_QUEUE } from './outbound-mail.service';
import { OutboxService } from '../../outbox/outbox.service';
import { CaptureOutbox } from './capture-outbox.service';

const RETRY_LIMIT = 6;

/** An email that is not a ticket message (a care email): its caller keeps the record and the retry policy. */
export interface StandaloneEmail {
  fromName: string | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date;
  headers: Record<string, string>;
}

export type DeliveryResult = { delivered: true } | { delivered: false; permanent: boolean; error: string };

/** A rejection the server will repeat whatever we do (5xx, OAuth access revoked): fail at once instead of retrying. */
function isPermanent(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (code === 'EOAUTH_REVOKED') return true;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && responseCode !== 535;
}

const loginOf = (mailbox: Mailbox) => (mailbox.oauthProvider ? 'oauth' : 'password');

/** The job that sends a queued message through its mailbox's SMTP server (and files a copy in Sent). */
@Injectable()
export class MailSender implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MailSender');
  /** Pooled transports per mailbox version, so bulk sending reuses connections. */
  private readonly transports = new Map<string, Transporter>();

  constructor(
    private readonly jobs: JobsService,
    private readonly tickets: TicketRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly credentials: MailboxCredentials,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly markers: ThreadMarkers,
    private readonly capture: CaptureOutbox,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.register<{ messageId: string }>(SEND_MAIL_QUEUE, { retryLimit: RETRY_LIMIT, retryDelaySeconds: 5, batchSize: 5 }, (data, job) => this.send(data.messageId, job.retryCount));
  }

  onApplicationShutdown(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  async send(messageId: string, attempt: number): Promise<void> {
    const message = await this.tickets.findMessageForSending(messageId);
    // Sent already (a job that ran twice after a crash) or gone: nothing to do.
    if (!message || message.deliveryState === 'sent' || message.direction !== 'outbound' || !message.mailboxId) return;
    const mailbox = await this.mailboxes.findWithSecrets(message.mailboxId);
    if (!mailbox) {
      await this.record(message, { deliveryState: 'failed', deliveryError: 'The mailbox this reply was to leave from no longer exists' });
      return;
    }
    const raw = await this.compose(message, mailbox);
    const envelope = { from: mailbox.address, to: [...message.toAddresses, ...message.ccAddresses] };
    if (mailbox.captureOutbox) {
      await this.capture.keep(mailbox, envelope, raw, message.bodyText ?? '');
      await this.record(message, { deliveryState: 'sent', deliveryError: null, sentAt: this.clock.now(), rawSource: raw });
      return;
    }
    if (!mailbox.smtpHost) {
      await this.record(message, { deliveryState: 'failed', deliveryError: 'The mailbox has no SMTP server configured' });
      return;
    }
    try {
      await this.transport(mailbox).sendMail({ envelope, raw });
    } catch (error) {
      const words = describeConnectionError('SMTP', error, loginOf(mailbox));
      const final = isPermanent(error) || attempt >= RETRY_LIMIT;
      await this.record(message, { deliveryState: final ? 'failed' : 'queued', deliveryError: final ? words : `${words} Retrying.` });
      if (final) return;
      throw error;
    }
    // The attachments' blobs are stored already (with the reply): the source keeps the rest.
    const split = await splitRawSource(raw);
    await this.record(message, { deliveryState: 'sent', deliveryError: null, sentAt: this.clock.now(), rawSource: split.stored, rawSourceCuts: split.cuts.length ? split.cuts : null }, split.blobs);
    if (mailbox.sentFolder) await this.fileInSent(mailbox, raw);
  }

  /**
   * Sends a standalone email through the mailbox's pooled SMTP transport and says whether a retry could help.
   * The caller passes the mailbox (`MailboxRepository.findWithSecrets`), so a bulk sender loads it once.
   */
  async deliver(mailbox: Mailbox & MailboxSecrets, email: StandaloneEmail): Promise<DeliveryResult> {
    if (!mailbox.smtpHost && !mailbox.captureOutbox) return { delivered: false, permanent: true, error: 'The mailbox has no SMTP server configured' };
    const raw = await new MailComposer({
      from: { name: email.fromName ?? mailbox.name, address: mailbox.address },
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: `<${email.messageId}>`,
      inReplyTo: email.inReplyTo ? `<${email.inReplyTo}>` : undefined,
      references: email.references.map((id) => `<${id}>`),
      date: email.date,
      headers: email.headers,
    })
      .compile()
      .build();
    if (mailbox.captureOutbox) {
      await this.capture.keep(mailbox, { from: mailbox.address, to: [email.to] }, raw, email.text);
      return { delivered: true };
    }
    try {
      await this.transport(mailbox).sendMail({ envelope: { from: mailbox.address, to: [email.to] }, raw });
      return { delivered: true };
    } catch (error) {
      return { delivered: false, permanent: isPermanent(error), error: describeConnectionError('SMTP', error, loginOf(mailbox)) };
    }
  }

  private compose(message: Message, mailbox: Mailbox): Promise<Buffer> {
    const ticketNumber = message.ticket.number;
    const mail = new MailComposer({
      from: { name: message.fromName ?? mailbox.name, address: mailbox.address },
      replyTo: mailbox.plusAddressing ? this.markers.plusAddress(mailbox.address, ticketNumber) : undefined,
      to: message.toAddresses,
      cc: message.ccAddresses,
      subject: message.subject ?? '',
      text: message.bodyText ?? '',
      messageId: `<${message.messageId}>`,
      inReplyTo: message.inReplyTo ? `<${message.inReplyTo}>` : undefined,
      references: message.references.map((id) => `<${id}>`),
      date: message.createdAt,
      headers: message.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
      attachments: (message.attachments ?? []).map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, content: attachment.content })),
    });
    return mail.compile().build();
  }

  private transport(mailbox: Mailbox & MailboxSecrets): Transporter {
    const key = `${mailbox.id}:${mailbox.updatedAt.getTime()}`;
    const cached = this.transports.get(key);
    if (cached) return cached;
    for (const [existing, old] of this.transports) {
      if (existing.startsWith(`${mailbox.id}:`)) {
        old.close();
        this.transports.delete(existing);
      }
    }
    const transport = createSmtpTransport(mailbox, this.credentials.smtp(mailbox), { pool: true });
    this.transports.set(key, transport);
    return transport;
  }

  private async fileInSent(mailbox: Mailbox & MailboxSecrets, raw: Buffer): Promise<void> {
    let imap: ReturnType<typeof createImapClient> | null = null;
    try {
      imap = createImapClient(mailbox, await this.credentials.imap(mailbox));
      imap.on('error', () => undefined);
      await imap.connect();
      const folder = mailbox.sentFolder ?? 'Sent';
      try {
        await imap.append(folder, raw, ['\\Seen']);
      } catch (error) {
        // A new account has no Sent folder until a client makes one: the server says TRYCREATE.
        if ((error as { serverResponseCode?: string }).serverResponseCode !== 'TRYCREATE') throw error;
        await imap.mailboxCreate(folder);
        await imap.append(folder, raw, ['\\Seen']);
      }
    } catch (error) {
      // The reply went out; a missing copy in Sent is worth a warning, not a retry that would send twice.
      this.logger.warn(`mailbox ${mailbox.id}: could not file a copy in ${mailbox.sentFolder}: ${describeConnectionError('IMAP', error, loginOf(mailbox))}`);
    } finally {
      const client = imap;
      await client?.logout().catch(() => client.close());
    }
  }

  private async record(message: Message, changes: Partial<Message>, blobs: Map<string, Buffer> = new Map()): Promise<void> {
    await this.outbox.transaction(async (manager, raise) => {
      await this.tickets.insertBlobs(blobs, manager);
      await this.tickets.updateMessage(message.id, changes, manager);
      raise({ name: 'message.updated', payload: { ticketId: message.ticketId, messageId: message.id } });
    });
  }
}
