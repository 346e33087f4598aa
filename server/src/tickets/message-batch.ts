import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Message } from './message.entity';
import type { Ticket } from './ticket.entity';
import type { TicketRepository } from './ticket.repository';

const SNIPPET_LENGTH = 200;

export function snippetOf(text: string | null): string | null {
  if (!text) return null;
  // Only the start matters: flattening a 60 KB body whole cost ingest measurable time.
  const flat = text.trimStart().slice(0, SNIPPET_LENGTH * 8).replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH - 1)}…` : flat;
}

/**
 * What a new message changes on its ticket's list fields: count, last activity, the customer-facing
 * snippet (never an internal note) and the first reply.
 */
export function activityAfter(ticket: Pick<Ticket, 'messageCount' | 'firstReplyAt'>, message: Partial<Message>, at: Date): Partial<Ticket> {
  const changes: Partial<Ticket> = { messageCount: ticket.messageCount + 1, lastActivityAt: at };
  if (message.direction !== 'note') changes.snippet = snippetOf(message.bodyText ?? null);
  if (message.direction === 'outbound' && !ticket.firstReplyAt) changes.firstReplyAt = at;
  return changes;
}

/**
 * Messages for many tickets, kept in memory and written with one statement per table: the tickets the
 * batch opens (with their list fields already final), all messages, then the list fields of the existing
 * tickets it added to. Round trips, not rows, bound ingestion throughput.
 */
export class MessageBatch {
  private readonly opened: Ticket[] = [];
  private readonly openedIds = new Set<string>();
  private readonly added = new Map<string, Ticket>();
  private readonly messages: Partial<Message>[] = [];
  private readonly lastMessageAt = new Map<string, number>();

  constructor(
    private readonly repository: TicketRepository,
    private readonly defaults: (at: Date) => Partial<Ticket>,
  ) {}

  /** A new ticket with its first message; its `number` is known after `write`. */
  openTicket(fields: Partial<Ticket> & Pick<Ticket, 'subject'>, message: Partial<Message>, at: Date): { ticket: Ticket; message: Partial<Message> } {
    const ticket = { ...this.defaults(at), ...fields, id: randomUUID(), messageCount: 0, firstReplyAt: null } as Ticket;
    this.opened.push(ticket);
    this.openedIds.add(ticket.id);
    return { ticket, message: this.addMessage(ticket, message, at) };
  }

  /** Whether the batch opened `ticket` (it is not in the database before `write`). */
  opens(ticket: Ticket): boolean {
    return this.openedIds.has(ticket.id);
  }

  /** Adds a message to a ticket the batch opened, or to an existing ticket the caller holds locked. */
  addMessage(ticket: Ticket, message: Partial<Message>, arrivedAt: Date): Partial<Message> {
    // A thread lists messages by time: two that arrive in the same millisecond keep their arrival order.
    const previous = this.lastMessageAt.get(ticket.id);
    const at = previous !== undefined && arrivedAt.getTime() <= previous ? new Date(previous + 1) : arrivedAt;
    this.lastMessageAt.set(ticket.id, at.getTime());
    const row = { ...message, id: randomUUID(), ticketId: ticket.id, createdAt: at };
    this.messages.push(row);
    Object.assign(ticket, activityAfter(ticket, message, at));
    if (!this.openedIds.has(ticket.id)) this.added.set(ticket.id, ticket);
    return row;
  }

  async write(manager: EntityManager): Promise<void> {
    const numbered = await this.repository.insertTickets(this.opened, manager);
    numbered.forEach((row, index) => (this.opened[index].number = row.number));
    await this.repository.insertMessages(this.messages, manager);
    await this.repository.updateActivity([...this.added.values()], manager);
  }
}
