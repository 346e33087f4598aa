import type { AttachmentDto, MessageDto, TicketEventDto, TicketSummaryDto } from '../../../contracts/api';
import type { Attachment } from './attachment.entity';
import type { Message } from './message.entity';
import type { TicketEvent } from './ticket-event.entity';
import type { Ticket } from './ticket.entity';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toTicketSummaryDto(ticket: Ticket, tags: string[]): TicketSummaryDto {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    assigneeId: ticket.assigneeId,
    teamId: ticket.teamId,
    mailboxId: ticket.mailboxId,
    customer: ticket.customer ? { id: ticket.customer.id, email: ticket.customer.email, name: ticket.customer.name } : null,
    tags,
    snippet: ticket.snippet,
    messageCount: ticket.messageCount,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    lastActivityAt: ticket.lastActivityAt.toISOString(),
    firstReplyAt: iso(ticket.firstReplyAt),
    solvedAt: iso(ticket.solvedAt),
  };
}

export function toAttachmentDto(attachment: Attachment): AttachmentDto {
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    contentId: attachment.contentId,
    inline: attachment.inline,
  };
}

export function toMessageDto(message: Message): MessageDto {
  return {
    id: message.id,
    direction: message.direction,
    authorId: message.authorId,
    fromAddress: message.fromAddress,
    fromName: message.fromName,
    to: message.toAddresses,
    cc: message.ccAddresses,
    subject: message.subject,
    bodyText: message.bodyText,
    bodyHtml: message.bodyHtml,
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    references: message.references,
    deliveryState: message.deliveryState,
    deliveryError: message.deliveryError,
    flags: message.flags,
    notes: message.intakeNotes ?? [],
    hasRawSource: message.direction === 'inbound' || (message.direction === 'outbound' && message.sentAt !== null),
    attachments: (message.attachments ?? []).map(toAttachmentDto),
    mentionIds: message.mentionIds ?? [],
    createdAt: message.createdAt.toISOString(),
  };
}

export function toTicketEventDto(event: TicketEvent): TicketEventDto {
  return { id: event.id, type: event.type, actorId: event.actorId, actorType: event.actorType, data: event.data, createdAt: event.createdAt.toISOString() };
}
