import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { MessageFlag } from '../../../../contracts/domain';
import { Clock } from '../../common/clock';
import type { DomainEvent } from '../../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { CustomerRepository } from '../../customers/customer.repository';
import type { Attachment } from '../../tickets/attachment.entity';
import type { Message } from '../../tickets/message.entity';
import type { TicketEvent } from '../../tickets/ticket-event.entity';
import type { MailReceipt } from '../mail-receipt.entity';
import type { Ticket } from '../../tickets/ticket.entity';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketsService, type Actor } from '../../tickets/tickets.service';
import type { Mailbox } from '../mailbox.entity';
import { MailboxRepository } from '../mailbox.repository';
import { OutboxService } from '../../outbox/outbox.service';
import { parseEmail, type ParsedEmail } from '../parse';
import { ThreadIndex, ThreadResolver } from './threading';

export interface FetchedMessage {
  uid: string;
  source: Buffer;
}

type ParsedMessage = FetchedMessage & { email: ParsedEmail };

export interface FolderPosition {
  mailbox: Mailbox;
  folder: string;
  uidValidity: string;
}

/** What a batch gathers before writing it with one statement per table. */
interface BatchContext {
  /** Message-IDs the mailbox already had before this batch. */
  known: Set<string>;
  /** Message-IDs stored earlier in this batch. */
  seen: Set<string>;
  /** Customer id per sender address. */
  customers: Map<string, string>;
  threads: ThreadIndex;
  timeline: Partial<TicketEvent>[];
  attachments: Partial<Attachment>[];
  receipts: Partial<MailReceipt>[];
}

/** Whom to answer: Reply-To when present, otherwise From. */
function senderOf(email: ParsedEmail): { address: string; name: string | null } | null {
  const sender = email.replyTo ?? email.from;
  return sender ? { address: sender.address.toLowerCase(), name: sender.name || null } : null;
}

const SYSTEM: Actor = { type: 'system', id: null };
/** Flags that mark mail nobody typed: it never reopens tickets nor triggers automations. */
const NOISE: MessageFlag[] = ['auto_reply', 'bulk', 'bounce'];
const DAY = 86_400_000;
/** Messages committed together with the checkpoint: big enough for throughput, small enough to show mail soon. */
const COMMIT_BATCH = 100;

/**
 * Turns fetched IMAP messages into tickets and messages. A batch commits in one transaction with the
 * folder checkpoint, so a crash never loses or repeats mail; a batch that fails is retried message by
 * message, and a message that still cannot be stored normally is kept raw and flagged.
 */
@Injectable()
export class InboundMailProcessor {
  private readonly logger = new Logger('MailIngest');

  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly customers: CustomerRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly threads: ThreadResolver,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Ingests a batch in UID order; returns how many new messages were stored. */
  async ingest(position: FolderPosition, batch: FetchedMessage[]): Promise<number> {
    if (batch.length === 0) return 0;
    const { mailbox, folder, uidValidity } = position;
    const known = await this.mailboxes.receivedUids(mailbox.id, folder, uidValidity, batch.map((message) => message.uid));
    const fresh = batch.filter((message) => !known.has(message.uid));
    const lastUid = batch[batch.length - 1].uid;
    if (fresh.length === 0) {
      await this.ticketRepository.transaction((manager) => this.mailboxes.advanceCheckpoint(mailbox.id, folder, uidValidity, lastUid, manager));
      return 0;
    }
    const groups: { messages: FetchedMessage[]; checkpointUid: string }[] = [];
    for (let start = 0; start < fresh.length; start += COMMIT_BATCH) {
      const messages = fresh.slice(start, start + COMMIT_BATCH);
      groups.push({ messages, checkpointUid: start + COMMIT_BATCH >= fresh.length ? lastUid : messages[messages.length - 1].uid });
    }
    // Parsing is CPU work and committing mostly waits on PostgreSQL: parse the next group meanwhile.
    let stored = 0;
    let parsing = this.parse(groups[0].messages);
    for (let index = 0; index < groups.length; index++) {
      const parsed = await parsing;
      if (index + 1 < groups.length) parsing = this.parse(groups[index + 1].messages);
      stored += await this.ingestGroup(position, parsed, groups[index].checkpointUid);
    }
    return stored;
  }

  private parse(messages: FetchedMessage[]): Promise<ParsedMessage[]> {
    return Promise.all(messages.map(async (message) => ({ ...message, email: await parseEmail(message.source, { maxBytes: this.config.maxEmailBytes }) })));
  }

  private async ingestGroup(position: FolderPosition, parsed: ParsedMessage[], checkpointUid: string): Promise<number> {
    try {
      return await this.commit(position, parsed, checkpointUid);
    } catch (error) {
      this.logger.warn(`batch of ${parsed.length} from mailbox ${position.mailbox.id} failed (${String(error)}); retrying one by one`);
    }
    let stored = 0;
    for (const message of parsed) {
      try {
        stored += await this.commit(position, [message], message.uid);
      } catch (error) {
        this.logger.error(`mailbox ${position.mailbox.id} UID ${message.uid}: could not store normally (${String(error)}); keeping it raw and flagged`);
        stored += await this.commit(position, [{ ...message, email: unprocessable(message.email, error) }], message.uid);
      }
    }
    await this.ticketRepository.transaction((manager) => this.mailboxes.advanceCheckpoint(position.mailbox.id, position.folder, position.uidValidity, checkpointUid, manager));
    return stored;
  }

  private async commit(position: FolderPosition, messages: ParsedMessage[], checkpointUid: string): Promise<number> {
    return this.outbox.transaction(async (manager, raise) => {
      // Reactions (routing, SLA, journeys, live pushes) are owed from the moment the mail is in: recorded with it.
      const events: DomainEvent[] = [];
      const batch = await this.prepareBatch(position, messages, manager);
      let count = 0;
      for (const message of messages) {
        if (await this.store(position, message, batch, manager, events)) count++;
      }
      // Rows of the whole batch go in with one statement each: round trips, not rows, bound the throughput.
      await this.ticketRepository.insertEvents(batch.timeline, manager);
      await this.ticketRepository.insertAttachments(batch.attachments, manager);
      if (!(await this.mailboxes.insertReceipts(batch.receipts, manager))) throw new Error('a UID of this batch was imported concurrently');
      events.forEach(raise);
      await this.mailboxes.advanceCheckpoint(position.mailbox.id, position.folder, position.uidValidity, checkpointUid, manager);
      return count;
    });
  }

  /** Looks up, for the whole batch at once, which Message-IDs are known and the senders' customers. */
  private async prepareBatch(position: FolderPosition, messages: ParsedMessage[], manager: EntityManager): Promise<BatchContext> {
    const ids = messages.map((message) => message.email.messageId).filter((id): id is string => Boolean(id));
    const senders = messages.map((message) => senderOf(message.email)).filter((sender): sender is { address: string; name: string | null } => sender !== null);
    const [known, customers, threads] = await Promise.all([
      this.mailboxes.knownMessageIds(position.mailbox.id, ids, manager),
      this.customers.upsertManyByEmail(senders, manager),
      ThreadIndex.load(this.ticketRepository, position.mailbox.id, messages.map((message) => message.email), manager),
    ]);
    return { known, customers, threads, seen: new Set(), timeline: [], attachments: [], receipts: [] };
  }

  /** Stores one message in the caller's transaction; false when it was already there. */
  private async store(position: FolderPosition, message: FetchedMessage & { email: ParsedEmail }, batch: BatchContext, manager: EntityManager, events: DomainEvent[]): Promise<boolean> {
    const { mailbox, folder, uidValidity } = position;
    const { email } = message;
    const receipt = { mailboxId: mailbox.id, folder, uidValidity, uid: message.uid, messageIdHeader: email.messageId };
    if (email.messageId && (batch.known.has(email.messageId) || batch.seen.has(email.messageId))) {
      // The same message again (a second delivery, a resync, mail of a deleted ticket), or a copy of a reply Careloop sent.
      batch.receipts.push({ ...receipt, outcome: 'duplicate', messageId: null });
      return false;
    }
    if (email.messageId) batch.seen.add(email.messageId);

    const sender = senderOf(email);
    const noise = email.flags.some((flag) => NOISE.includes(flag));
    const now = this.clock.now();

    let ticket: Ticket | null = null;
    let related: Ticket | null = null;
    if (email.bounce) ticket = await this.bouncedTicket(mailbox.id, email, manager);
    if (!ticket) {
      const decision = await this.threads.resolve(email, sender?.address ?? null, batch.threads, manager);
      if (decision.kind === 'existing') {
        const { ticket: found } = decision;
        const solvedLongAgo = found.status === 'solved' && (!found.solvedAt || now.getTime() - found.solvedAt.getTime() > mailbox.reopenWindowDays * DAY);
        if (found.status === 'closed' || (solvedLongAgo && !noise)) related = found;
        else ticket = found;
      } else {
        related = decision.related;
      }
    }

    const customer = sender ? (batch.customers.get(sender.address) ?? null) : null;
    const attachmentIds = email.attachments.map(() => randomUUID());
    const html = email.html ? email.attachments.reduce((body, attachment, index) => (attachment.contentId ? body.split(`cid:${attachment.contentId}`).join(`/api/attachments/${attachmentIds[index]}`) : body), email.html) : null;
    const fields: Partial<Message> = {
      direction: 'inbound',
      mailboxId: mailbox.id,
      fromAddress: email.from?.address.toLowerCase() ?? null,
      fromName: email.from?.name || null,
      toAddresses: email.to.map((address) => address.address.toLowerCase()),
      ccAddresses: email.cc.map((address) => address.address.toLowerCase()),
      subject: email.subject,
      bodyText: email.text,
      bodyHtml: html,
      messageId: email.messageId,
      inReplyTo: email.inReplyTo,
      references: email.references,
      rawSource: message.source,
      flags: email.flags,
      deliveryError: email.error ?? null,
      createdAt: now,
    };

    let saved: Message;
    if (!ticket) {
      const opened = await this.tickets.openTicketWithMessage({ subject: email.subject.trim() || '(no subject)', customerId: customer, mailboxId: mailbox.id, awaitingRouting: true }, fields, manager);
      ({ ticket, message: saved } = opened);
      batch.timeline.push(this.tickets.timelineEntry(ticket.id, 'ticket.created', SYSTEM, { via: 'email', from: sender?.address ?? null, ...(related ? { relatedTicketNumber: related.number } : {}) }));
      if (related) batch.timeline.push(this.tickets.timelineEntry(related.id, 'ticket.followed_up', SYSTEM, { ticketNumber: ticket.number }));
      events.push({ name: 'ticket.created', payload: { ticketId: ticket.id } });
    } else {
      // Locked and read afresh: an agent may have replied to or solved it since the batch looked it up.
      ticket = (await this.ticketRepository.findForUpdate(ticket.id, manager)) ?? ticket;
      if (!noise && ['pending', 'on_hold', 'solved'].includes(ticket.status)) {
        const { eventIds, changed } = await this.tickets.applyChanges(ticket, { status: 'open' }, SYSTEM, manager);
        events.push({ name: 'ticket.updated', payload: { ticketId: ticket.id, eventIds, changed } });
      }
      saved = await this.tickets.appendMessage(ticket, fields, manager);
    }
    batch.attachments.push(
      ...email.attachments.map(
        (attachment, index): Partial<Attachment> => ({
          id: attachmentIds[index],
          messageId: saved.id,
          filename: attachment.filename,
          contentType: attachment.contentType,
          size: attachment.size,
          contentId: attachment.contentId,
          inline: attachment.inline,
          content: attachment.content,
        }),
      ),
    );
    batch.threads.remember(email.messageId, ticket, now);
    batch.receipts.push({ ...receipt, outcome: 'imported', messageId: saved.id });
    events.push({ name: 'message.created', payload: { ticketId: ticket.id, messageId: saved.id } });
    return true;
  }

  /** A bounce joins the ticket whose outbound message bounced, and marks that message undelivered. */
  private async bouncedTicket(mailboxId: string, email: ParsedEmail, manager: EntityManager): Promise<Ticket | null> {
    const candidates = [email.bounce?.originalMessageId, email.inReplyTo, ...email.references].filter((id): id is string => Boolean(id));
    const [original] = (await this.ticketRepository.findMessagesByMessageIds(mailboxId, candidates, manager)).filter((message) => message.direction === 'outbound');
    if (!original) return null;
    const reason = [email.bounce?.status, email.bounce?.diagnostic].filter(Boolean).join(' ') || 'The receiving server returned the message as undeliverable';
    await this.ticketRepository.updateMessage(original.id, { deliveryState: 'undelivered', deliveryError: reason.slice(0, 1000) }, manager);
    return this.ticketRepository.findById(original.ticketId, manager);
  }
}

/** What is kept of a message whose normal storage failed: its raw source, headers as scanned, and why. */
function unprocessable(email: ParsedEmail, error: unknown): ParsedEmail {
  return {
    ...email,
    html: null,
    attachments: [],
    inReplyTo: null,
    references: [],
    messageId: null,
    flags: [...new Set<MessageFlag>([...email.flags, 'parse_error'])],
    error: `Could not be stored normally: ${String(error).slice(0, 500)}`,
  };
}
