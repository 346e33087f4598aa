import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { MessageDto } from '../../../../contracts/api';
import type { TicketStatus } from '../../../../contracts/domain';
import type { AuthUser } from '../../auth/auth.decorators';
import { Clock } from '../../common/clock';
import { OutboxService } from '../../outbox/outbox.service';
import { DomainError, InvalidFieldError, NotFoundError } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { JobsService } from '../../jobs/jobs.service';
import type { Message } from '../../tickets/message.entity';
import { toMessageDto } from '../../tickets/ticket.mapper';
import type { Ticket } from '../../tickets/ticket.entity';
import { TicketRepository } from '../../tickets/ticket.repository';
import { TicketsService, type Actor } from '../../tickets/tickets.service';
import { MacrosService } from '../../macros/macros.service';
import type { DomainEvent } from '../../common/domain-events';
import type { EntityManager } from 'typeorm';
import { MailboxRepository } from '../mailbox.repository';
import { formatSubjectWithToken } from '../parse';
import { ThreadMarkers } from '../thread-marker';

export const SEND_MAIL_QUEUE = 'mail.send';

export interface OutgoingFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingReply {
  body: string;
  cc?: string[];
  status?: TicketStatus;
  files?: OutgoingFile[];
}

/** What an agent's reply carries besides the email: what it was written after, and the macros it sends. */
export interface AgentReply extends OutgoingReply {
  afterMessageId?: string;
  confirmNewer?: boolean;
  macroIds?: string[];
}

/** Kept in References so replies thread even when a provider rewrites our Message-IDs; long chains are trimmed. */
const MAX_REFERENCES = 20;

/**
 * Replies leave through a durable queue: the message is stored as queued together with its send job
 * (one transaction), and the job sends, retries with backoff, and records sent/failed.
 */
@Injectable()
export class OutboundMailService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly jobs: JobsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly macros: MacrosService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly markers: ThreadMarkers,
  ) {}

  /**
   * An agent's reply. Two agents (or a script) must not answer the same news twice: a reply written
   * after an older message is refused with the newer ones, unless the agent confirms having read them.
   * The macros picked in the composer apply with it, in the same transaction.
   */
  async reply(ticketId: string, reply: AgentReply, agent: AuthUser): Promise<MessageDto> {
    await this.tickets.requireVisible(ticketId, agent);
    const message = await this.queue(ticketId, reply, { type: 'user', id: agent.id }, { authorId: agent.id, fromName: agent.name, automatic: false }, async (ticket, manager) => {
      if (reply.afterMessageId && !reply.confirmNewer) {
        const newer = await this.ticketRepository.emailsAfter(ticket.id, reply.afterMessageId, manager);
        if (newer === null) throw new InvalidFieldError('afterMessageId', 'no message with this id on this ticket');
        if (newer.length > 0) {
          throw new DomainError('reply_conflict', `${newer.length} newer message${newer.length === 1 ? '' : 's'} arrived while this reply was written; read, then send again with confirmNewer`, 409, undefined, {
            newerMessages: newer.map(toMessageDto),
          });
        }
      }
      return this.macros.applyWithReply(reply.macroIds ?? [], ticket, agent, manager);
    });
    return toMessageDto(message);
  }

  /**
   * An email Careloop sends by itself (auto-reply, care journey step). It carries Auto-Submitted and is
   * rate-limited per recipient, so two robots can never mail each other in a loop. Returns null when
   * the limit holds it back; the ticket's timeline then says so.
   */
  async sendAutomatic(ticketId: string, body: string, actor: Actor, fromName: string | null = null): Promise<Message | null> {
    const ticket = await this.ticketRepository.findById(ticketId);
    if (!ticket?.customer) return null;
    const since = new Date(this.clock.now().getTime() - 3_600_000);
    const limit = this.config.autoRepliesPerHour;
    if ((await this.ticketRepository.countAutomaticTo(ticket.customer.email, since)) >= limit) {
      await this.outbox.transaction(async (manager, raise) => {
        const held = await this.tickets.addEvent(ticketId, 'auto_reply.held', actor, { recipient: ticket.customer?.email, limit }, manager);
        raise({ name: 'ticket.updated', payload: { ticketId, eventIds: [held.id], changed: ['auto_reply.held'] } });
      });
      return null;
    }
    return this.queue(ticketId, { body }, actor, { authorId: null, fromName, automatic: true });
  }

  private async queue(
    ticketId: string,
    reply: OutgoingReply,
    actor: Actor,
    origin: Pick<Message, 'authorId' | 'fromName' | 'automatic'>,
    beforeSend?: (ticket: Ticket, manager: EntityManager) => Promise<DomainEvent[]>,
  ): Promise<Message> {
    const message = await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
      if (!ticket) throw new NotFoundError('Ticket');
      if (beforeSend) (await beforeSend(ticket, manager)).forEach(raise);
      const withCustomer = await this.ticketRepository.findById(ticketId, manager);
      const recipient = withCustomer?.customer?.email;
      if (!recipient) throw new DomainError('no_recipient', 'This ticket has no customer email address to reply to', 422);
      const mailbox = ticket.mailboxId ? await this.mailboxes.findById(ticket.mailboxId) : null;
      if (!mailbox) throw new InvalidFieldError('mailbox', 'this ticket has no mailbox to send from');

      const last = await this.ticketRepository.lastEmail(ticket.id, manager);
      const references = this.references(ticket, mailbox.address, last);
      const saved = await this.tickets.appendMessage(
        ticket,
        {
          direction: 'outbound',
          mailboxId: mailbox.id,
          authorId: origin.authorId,
          fromAddress: mailbox.address,
          fromName: origin.fromName,
          toAddresses: [recipient],
          ccAddresses: reply.cc ?? [],
          subject: formatSubjectWithToken(`Re: ${ticket.subject}`, ticket.number),
          bodyText: reply.body,
          messageId: this.markers.newMessageId(ticket.number, mailbox.address),
          inReplyTo: last?.messageId ?? null,
          references,
          deliveryState: 'queued',
          automatic: origin.automatic,
        },
        manager,
      );
      saved.attachments = await this.ticketRepository.insertAttachments(
        (reply.files ?? []).map((file) => ({ id: randomUUID(), messageId: saved.id, filename: file.filename, contentType: file.contentType, size: file.content.length, content: file.content, inline: false })),
        manager,
      );
      raise({ name: 'message.created', payload: { ticketId, messageId: saved.id } });
      const status = reply.status ?? (ticket.status === 'new' ? 'open' : undefined);
      if (status && status !== ticket.status) {
        const { eventIds, changed } = await this.tickets.applyChanges(ticket, { status }, actor, manager);
        raise({ name: 'ticket.updated', payload: { ticketId, eventIds, changed } });
      }
      await this.jobs.send(SEND_MAIL_QUEUE, { messageId: saved.id }, { manager, singletonKey: saved.id });
      return saved;
    });
    this.jobs.nudge(SEND_MAIL_QUEUE);
    return message;
  }

  private references(ticket: Ticket, mailboxAddress: string, last: Message | null): string[] {
    const chain = [...(last?.references ?? []), ...(last?.messageId ? [last.messageId] : [])];
    const marker = this.markers.ticketReference(ticket.number, mailboxAddress);
    const rest = chain.filter((id) => id !== marker);
    return [marker, ...rest.slice(-(MAX_REFERENCES - 1))];
  }
}
