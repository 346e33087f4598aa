import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { EntityManager } from 'typeorm';
import type { MessageFlag } from '../../../../contracts/domain';
import { Clock } from '../../common/clock';
import type { DomainEvent } from '../../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { CustomerRepository } from '../../customers/customer.repository';
import type { Attachment } from '../../tickets/attachment.entity';
import type { MessageBatch } from '../../tickets/message-batch';
import type { Message } from '../../tickets/message.entity';
import type { TicketEvent } from '../../tickets/ticket-event.entity';
import type { MailReceipt } from '../mail-receipt.entity';
import type { Ticket } from '../../tickets/ticket.entity';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketsService, type Actor } from '../../tickets/tickets.service';
import type { Mailbox } from '../mailbox.entity';
import { deliveryKey, MailboxRepository, type KnownDeliveries } from '../mailbox.repository';
import { OutboxService } from '../../outbox/outbox.service';
import { inlineAttachmentSrc, parseEmail, type ParsedEmail } from '../parse';
import { splitRawFile, splitRawSource, withPlaceholders, type SplitSource, type SpooledBlob } from '../parse/raw-attachments';
import { contentHash, contentHashOfFile } from './content-hash';
import { removeSpool, type SpooledSource } from './spool';
import { ThreadIndex, ThreadResolver } from './threading';

/** A fetched source: in memory, or (large mail) spooled to a file. */
export type FetchedMessage = { uid: string; source: Buffer; spooled?: undefined } | { uid: string; source?: undefined; spooled: SpooledSource };

interface ParsedMessage {
  uid: string;
  email: ParsedEmail;
  contentHash: string;
  split: SplitSource;
  /** Bodies of a spooled source decoded into files, by SHA-256 (hex): stored as blobs without reading them whole. */
  spooledBlobs?: Map<string, SpooledBlob>;
}

/** A fetched batch parsed and ready to store: its commit groups, each with the UID its checkpoint moves to. */
export interface PreparedBatch {
  /** The batch's last UID (null for an empty batch): the checkpoint moves there even when nothing in it is new. */
  lastUid: string | null;
  groups: { parsed: ParsedMessage[]; checkpointUid: string }[];
}

/** Removes the spool files of fetched messages (after they are stored, or when they will be fetched again). */
export async function discardSpools(messages: FetchedMessage[]): Promise<void> {
  await Promise.all(messages.flatMap((message) => (message.spooled ? [removeSpool(message.spooled)] : [])));
}

export interface FolderPosition {
  mailbox: Mailbox;
  folder: string;
  uidValidity: string;
}

/** What a batch gathers before writing it with one statement per table. */
interface BatchContext {
  /** What the mailbox already had before this batch. */
  known: KnownDeliveries;
  /** Delivery keys (content hash + Message-ID) stored earlier in this batch. */
  seen: Set<string>;
  /** Customer id per sender address. */
  customers: Map<string, string>;
  threads: ThreadIndex;
  /** Tickets and messages, written together at the end. */
  writes: MessageBatch;
  /** Existing tickets the batch holds locked and has read since: those it threads onto by headers from the start, others when first met. */
  locked: Set<string>;
  /** Tickets a message looked like a reply to but could not join: linked once the new ticket has its number. */
  followUps: { related: Ticket; ticket: Ticket }[];
  timeline: Partial<TicketEvent>[];
  attachments: (Partial<Attachment> & { content: Buffer })[];
  /** Attachment bodies cut from the batch's raw sources, by SHA-256 (hex). */
  sourceBlobs: Map<string, Buffer>;
  /** The same, decoded into spool files (large mail). */
  spooledBlobs: Map<string, SpooledBlob>;
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
const COMMIT_BATCH = 200;
/** A spooled blob goes to PostgreSQL in slices of this size (see TicketRepository.insertBlobFrom). */
const BLOB_CHUNK = 4 * 1024 * 1024;

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
    try {
      return await this.storeBatch(position, await this.prepare(position, batch));
    } finally {
      await discardSpools(batch);
    }
  }

  /**
   * The CPU half of ingesting a batch: leaves out UIDs imported before and parses the rest, in commit groups.
   * The worker prepares the next chunk while this one is stored (parsing is CPU, storing mostly waits on
   * PostgreSQL); the caller discards the batch's spool files once it is stored.
   */
  async prepare(position: FolderPosition, batch: FetchedMessage[]): Promise<PreparedBatch> {
    if (batch.length === 0) return { lastUid: null, groups: [] };
    const { mailbox, folder, uidValidity } = position;
    const known = await this.mailboxes.receivedUids(mailbox.id, folder, uidValidity, batch.map((message) => message.uid));
    const fresh = batch.filter((message) => !known.has(message.uid));
    const lastUid = batch[batch.length - 1].uid;
    const groups: PreparedBatch['groups'] = [];
    for (let start = 0; start < fresh.length; start += COMMIT_BATCH) {
      const messages = fresh.slice(start, start + COMMIT_BATCH);
      groups.push({ parsed: await this.parse(messages), checkpointUid: start + COMMIT_BATCH >= fresh.length ? lastUid : messages[messages.length - 1].uid });
    }
    return { lastUid, groups };
  }

  /** The storing half: each group commits with its checkpoint; returns how many new messages were stored. */
  async storeBatch(position: FolderPosition, prepared: PreparedBatch): Promise<number> {
    const { lastUid, groups } = prepared;
    if (lastUid === null) return 0;
    if (groups.length === 0) {
      const { mailbox, folder, uidValidity } = position;
      await this.ticketRepository.transaction((manager) => this.mailboxes.advanceCheckpoint(mailbox.id, folder, uidValidity, lastUid, manager));
      return 0;
    }
    let stored = 0;
    for (const group of groups) stored += await this.ingestGroup(position, group.parsed, group.checkpointUid);
    return stored;
  }

  private parse(messages: FetchedMessage[]): Promise<ParsedMessage[]> {
    return Promise.all(
      messages.map(async (message) => {
        if (message.spooled) return this.parseSpooled(message.uid, message.spooled);
        const email = await parseEmail(message.source, { maxBytes: this.config.maxEmailBytes });
        // Attachment bodies are stored once, as blobs: the raw source keeps the rest and where they go back.
        // Only mail with attachments (or too large for the parser to list them) is worth the second pass.
        const split = email.attachments.length > 0 || email.flags.includes('oversized') ? await splitRawSource(message.source) : { stored: message.source, cuts: [], blobs: new Map<string, Buffer>() };
        return { uid: message.uid, email, contentHash: contentHash(message.source), split };
      }),
    );
  }

  /**
   * A large source, from its spool file: the attachment bodies are cut out first (decoded into files as they
   * stream past), then the parser reads the rest with a placeholder for each, so memory holds the text and
   * headers, never the attachments.
   */
  private async parseSpooled(uid: string, spooled: SpooledSource): Promise<ParsedMessage> {
    const split = await splitRawFile(spooled.path, spooled.dir);
    const { source, parts } = withPlaceholders(split);
    const email = await parseEmail(source, { maxBytes: this.config.maxEmailBytes, cut: { sourceBytes: spooled.size, parts } });
    return { uid, email, contentHash: await contentHashOfFile(spooled.path), split: { stored: split.stored, cuts: split.cuts, blobs: new Map() }, spooledBlobs: split.blobs };
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
        continue;
      } catch (error) {
        this.logger.error(`mailbox ${position.mailbox.id} UID ${message.uid}: could not store normally (${String(error)}); keeping it raw and flagged`);
        try {
          stored += await this.commit(position, [{ ...message, email: rawAndFlagged(message.email, error) }], message.uid);
          continue;
        } catch (lastError) {
          this.logger.error(`mailbox ${position.mailbox.id} UID ${message.uid}: could not even keep it raw (${String(lastError)}); quarantined`);
          await this.quarantine(position, message, lastError);
        }
      }
    }
    await this.ticketRepository.transaction((manager) => this.mailboxes.advanceCheckpoint(position.mailbox.id, position.folder, position.uidValidity, checkpointUid, manager));
    return stored;
  }

  /**
   * The last resort, for a message even the raw-and-flagged path could not store: a receipt that says
   * which UID and why (nothing of the message's content), so the mailbox moves on and health shows it.
   */
  private async quarantine(position: FolderPosition, message: { uid: string }, error: unknown): Promise<void> {
    const { mailbox, folder, uidValidity } = position;
    await this.ticketRepository.transaction(async (manager) => {
      await this.mailboxes.insertReceipts([{ mailboxId: mailbox.id, folder, uidValidity, uid: message.uid, messageIdHeader: null, messageId: null, outcome: 'quarantined', reason: safeText(String(error), 1000) }], manager);
      await this.mailboxes.advanceCheckpoint(mailbox.id, folder, uidValidity, message.uid, manager);
    });
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
      await batch.writes.write(manager);
      for (const { related, ticket } of batch.followUps) batch.timeline.push(this.tickets.timelineEntry(related.id, 'ticket.followed_up', SYSTEM, { ticketNumber: ticket.number }));
      await this.ticketRepository.insertEvents(batch.timeline, manager);
      for (const [hash, blob] of batch.spooledBlobs) await this.ticketRepository.insertBlobFrom(hash, blob.size, createReadStream(blob.path, { highWaterMark: BLOB_CHUNK }), manager);
      await this.ticketRepository.insertAttachments(batch.attachments, manager, batch.sourceBlobs);
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
    // One after the other: they share the transaction's connection, which runs one query at a time anyway.
    const known = await this.mailboxes.knownDeliveries(position.mailbox.id, messages.map((message) => message.contentHash), ids, manager);
    const customers = await this.customers.upsertManyByEmail(senders, manager);
    const threads = await ThreadIndex.load(this.ticketRepository, position.mailbox.id, messages.map((message) => message.email), manager);
    return { known, customers, threads, writes: this.tickets.messageBatch(), locked: new Set(threads.lockedTicketIds), followUps: [], seen: new Set(), timeline: [], attachments: [], sourceBlobs: new Map(), spooledBlobs: new Map(), receipts: [] };
  }

  /** Stores one message in the caller's transaction; false when it was already there. */
  private async store(position: FolderPosition, message: ParsedMessage, batch: BatchContext, manager: EntityManager, events: DomainEvent[]): Promise<boolean> {
    const { mailbox, folder, uidValidity } = position;
    const { email } = message;
    const receipt = { mailboxId: mailbox.id, folder, uidValidity, uid: message.uid, messageIdHeader: email.messageId, contentHash: message.contentHash };
    if (email.messageId && batch.known.ownMessageIds.has(email.messageId)) {
      // A copy of mail Careloop sent (a Sent folder, a Bcc to the support address).
      batch.receipts.push({ ...receipt, outcome: 'own', messageId: null });
      return false;
    }
    // Only a true re-delivery is skipped (a second delivery, a resync, mail of a deleted ticket): the same
    // Message-ID with the same content. A different message that reuses a Message-ID is stored.
    const key = deliveryKey(message.contentHash, email.messageId);
    if (batch.known.contents.has(key) || batch.seen.has(key) || (email.messageId && batch.known.legacyMessageIds.has(email.messageId))) {
      batch.receipts.push({ ...receipt, outcome: 'redelivery', messageId: null });
      return false;
    }
    batch.seen.add(key);

    const sender = senderOf(email);
    const noise = email.flags.some((flag) => NOISE.includes(flag));
    const now = this.clock.now();

    let ticket: Ticket | null = null;
    let related: Ticket | null = null;
    let notParticipant = false;
    if (email.bounce) ticket = await this.bouncedTicket(mailbox.id, email, manager);
    if (!ticket) {
      const decision = await this.threads.resolve(email, batch.threads, manager);
      if (decision.kind === 'existing') {
        const { ticket: found } = decision;
        const solvedLongAgo = found.status === 'solved' && (!found.solvedAt || now.getTime() - found.solvedAt.getTime() > mailbox.reopenWindowDays * DAY);
        if (found.status === 'closed' || (solvedLongAgo && !noise)) related = found;
        else ticket = found;
      } else {
        related = decision.related;
        notParticipant = decision.reason === 'not_participant';
      }
    }

    const customer = sender ? (batch.customers.get(sender.address) ?? null) : null;
    const attachmentIds = email.attachments.map(() => randomUUID());
    const html = email.html ? email.attachments.reduce((body, attachment, index) => (attachment.contentId ? body.split(`cid:${attachment.contentId}`).join(inlineAttachmentSrc(attachmentIds[index])) : body), email.html) : null;
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
      rawSource: message.split.stored,
      rawSourceCuts: message.split.cuts.length ? message.split.cuts : null,
      flags: email.flags,
      intakeNotes: email.notes,
      createdAt: now,
    };

    let saved: Partial<Message>;
    const opened = !ticket;
    if (!ticket) {
      ({ ticket, message: saved } = batch.writes.openTicket({ subject: email.subject.trim() || '(no subject)', customerId: customer, mailboxId: mailbox.id, awaitingRouting: true }, fields, now));
      batch.timeline.push(this.tickets.timelineEntry(ticket.id, 'ticket.created', SYSTEM, { via: 'email', from: sender?.address ?? null, ...(related ? { relatedTicketNumber: related.number, relatedTicketId: related.id, ...(notParticipant ? { reason: 'not_participant' } : {}) } : {}) }));
      if (related) batch.followUps.push({ related, ticket });
      events.push({ name: 'ticket.created', payload: { ticketId: ticket.id } });
    } else {
      if (!batch.writes.opens(ticket) && !batch.locked.has(ticket.id)) {
        // Locked and read afresh: an agent may have replied to or solved it since the batch looked it up.
        ticket = (await this.ticketRepository.findForUpdate(ticket.id, manager)) ?? ticket;
        batch.locked.add(ticket.id);
      }
      if (!noise && ['pending', 'on_hold', 'solved'].includes(ticket.status)) {
        const { eventIds, changed } = await this.tickets.applyChanges(ticket, { status: 'open' }, SYSTEM, manager);
        events.push({ name: 'ticket.updated', payload: { ticketId: ticket.id, eventIds, changed } });
      }
      saved = batch.writes.addMessage(ticket, fields, now);
    }
    const messageId = saved.id as string;
    batch.attachments.push(
      ...email.attachments.map(
        (attachment, index): Partial<Attachment> & { content: Buffer } => ({
          id: attachmentIds[index],
          messageId,
          filename: attachment.filename,
          contentType: attachment.contentType,
          size: attachment.size,
          contentId: attachment.contentId,
          inline: attachment.inline,
          content: attachment.content,
          ...(attachment.contentSha256 ? { contentSha256: Buffer.from(attachment.contentSha256, 'hex') } : {}),
        }),
      ),
    );
    for (const [hash, content] of message.split.blobs) batch.sourceBlobs.set(hash, content);
    for (const [hash, blob] of message.spooledBlobs ?? []) batch.spooledBlobs.set(hash, blob);
    batch.threads.remember(email.messageId, ticket, now, [fields.fromAddress ?? null, ...(fields.toAddresses ?? []), ...(fields.ccAddresses ?? [])], opened);
    batch.receipts.push({ ...receipt, outcome: 'imported', messageId });
    events.push({ name: 'message.created', payload: { ticketId: ticket.id, messageId } });
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

/** Text that cannot fail to store, whatever the message held: printable characters only, bounded. */
function safeText(text: string, max: number): string {
  return text.replace(/[^\p{L}\p{N}\p{P}\p{S}\p{Zs}]/gu, ' ').slice(0, max);
}

/**
 * What is kept of a message whose normal storage failed: its raw source (bytes), a subject and sender
 * reduced to printable characters, nothing that threads or creates a customer, and why, in words.
 */
function rawAndFlagged(email: ParsedEmail, error: unknown): ParsedEmail {
  const sender = email.from ? safeText(email.from.address, 320) : 'an unknown sender';
  return {
    messageId: null,
    inReplyTo: null,
    references: [],
    subject: safeText(email.subject, 500),
    from: null,
    replyTo: null,
    to: [],
    cc: [],
    date: null,
    text: '',
    html: null,
    visibleText: '',
    quotedText: '',
    attachments: [],
    headers: {},
    flags: ['parse_error'],
    notes: [`Careloop could not store this message from ${sender} normally (${safeText(String(error), 500)}). Download the raw source to read it.`],
  };
}
