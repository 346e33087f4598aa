import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TicketRepository } from '../../tickets/ticket.repository';
import type { Ticket } from '../../tickets/ticket.entity';
import { extractTicketToken, parsePlusAddressMarker, type ParsedEmail } from '../parse';
import { ticketNumberFromReference } from '../thread-marker';

export type ThreadDecision =
  | { kind: 'existing'; ticket: Ticket; via: 'headers' | 'marker' | 'token' }
  /** Looked like a reply to `related`, but may not join it: open a new ticket linked to it. */
  | { kind: 'new'; related: Ticket | null; reason?: 'not_participant' | 'closed' | 'reopen_window_passed' };

/** The Message-IDs a message names as its parents: In-Reply-To first, then References newest first. */
export function referencedIds(email: ParsedEmail): string[] {
  return [...new Set([email.inReplyTo, ...[...email.references].reverse()].filter((id): id is string => Boolean(id)))];
}

/**
 * The tickets a batch of mail can thread onto by headers: the stored messages the batch's messages name,
 * looked up with two queries for the whole batch, then kept current as the batch stores its own.
 */
export class ThreadIndex {
  private constructor(
    private readonly byMessageId: Map<string, { ticketId: string; at: number }>,
    private readonly tickets: Map<string, Ticket>,
  ) {}

  static async load(repository: TicketRepository, mailboxId: string, emails: ParsedEmail[], manager: EntityManager): Promise<ThreadIndex> {
    const stored = await repository.ticketsByMessageIds(mailboxId, [...new Set(emails.flatMap(referencedIds))], manager);
    const tickets = await repository.findByIds([...new Set(stored.map((row) => row.ticketId))], manager);
    return new ThreadIndex(new Map(stored.map((row) => [row.messageId, { ticketId: row.ticketId, at: new Date(row.createdAt).getTime() }])), new Map(tickets.map((ticket) => [ticket.id, ticket])));
  }

  /** The ticket of the newest stored message among `messageIds`, as threading by headers wants it. */
  find(messageIds: string[]): Ticket | null {
    let newest: { ticketId: string; at: number } | null = null;
    for (const id of messageIds) {
      const entry = this.byMessageId.get(id);
      if (entry && (!newest || entry.at > newest.at)) newest = entry;
    }
    return newest ? (this.tickets.get(newest.ticketId) ?? null) : null;
  }

  /** A message the batch stored: later messages of the batch may answer it. */
  remember(messageId: string | null, ticket: Ticket, at: Date): void {
    this.tickets.set(ticket.id, ticket);
    if (messageId) this.byMessageId.set(messageId, { ticketId: ticket.id, at: at.getTime() });
  }
}

/**
 * Decides which ticket an inbound message belongs to: its In-Reply-To/References name a stored
 * Message-ID; else a Careloop marker (References token, plus-addressed recipient); else the subject
 * token, but only from someone who is already part of that conversation.
 */
@Injectable()
export class ThreadResolver {
  constructor(private readonly tickets: TicketRepository) {}

  async resolve(email: ParsedEmail, sender: string | null, index: ThreadIndex, manager: EntityManager): Promise<ThreadDecision> {
    const referenced = referencedIds(email);
    const byHeaders = index.find(referenced);
    if (byHeaders) return { kind: 'existing', ticket: byHeaders, via: 'headers' };

    const markerNumber =
      referenced.map(ticketNumberFromReference).find((number) => number !== null) ??
      [...email.to, ...email.cc, ...(email.headers['delivered-to'] ? [{ address: email.headers['delivered-to'] }] : [])]
        .map((recipient) => parsePlusAddressMarker(recipient.address))
        .find((number) => number !== null) ??
      null;
    if (markerNumber !== null) {
      const ticket = await this.tickets.findByNumber(markerNumber, manager);
      if (ticket) return { kind: 'existing', ticket, via: 'marker' };
    }

    const tokenNumber = extractTicketToken(email.subject);
    if (tokenNumber !== null) {
      const ticket = await this.tickets.findByNumber(tokenNumber, manager);
      if (ticket) {
        const participants = await this.tickets.participantAddresses(ticket.id, manager);
        if (sender && participants.has(sender.toLowerCase())) return { kind: 'existing', ticket, via: 'token' };
        return { kind: 'new', related: ticket, reason: 'not_participant' };
      }
    }
    return { kind: 'new', related: null };
  }
}
