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

/**
 * Decides which ticket an inbound message belongs to: its In-Reply-To/References name a stored
 * Message-ID; else a Careloop marker (References token, plus-addressed recipient); else the subject
 * token, but only from someone who is already part of that conversation.
 */
@Injectable()
export class ThreadResolver {
  constructor(private readonly tickets: TicketRepository) {}

  async resolve(mailboxId: string, email: ParsedEmail, sender: string | null, manager: EntityManager): Promise<ThreadDecision> {
    const referenced = [email.inReplyTo, ...[...email.references].reverse()].filter((id): id is string => Boolean(id));
    const known = await this.tickets.findMessagesByMessageIds(mailboxId, [...new Set(referenced)], manager);
    if (known.length) {
      const ticket = await this.tickets.findById(known[0].ticketId, manager);
      if (ticket) return { kind: 'existing', ticket, via: 'headers' };
    }

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
