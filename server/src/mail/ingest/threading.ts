import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TicketRepository } from '../../tickets/ticket.repository';
import type { Ticket } from '../../tickets/ticket.entity';
import { extractTicketToken, type ParsedEmail } from '../parse';
import { ThreadMarkers } from '../thread-marker';

export type ThreadVia = 'headers' | 'marker' | 'token';

export type ThreadDecision =
  | { kind: 'existing'; ticket: Ticket; via: ThreadVia }
  /** Looked like a reply to `related`, but may not join it: open a new ticket linked to it. */
  | { kind: 'new'; related: Ticket | null; reason?: 'not_participant'; via?: ThreadVia };

/** The Message-IDs a message names as its parents: In-Reply-To first, then References newest first. */
export function referencedIds(email: ParsedEmail): string[] {
  return [...new Set([email.inReplyTo, ...[...email.references].reverse()].filter((id): id is string => Boolean(id)))];
}

/**
 * The tickets a batch of mail can thread onto by headers: the stored messages the batch's messages name,
 * and those tickets' participants, looked up with three queries for the whole batch, then kept current as
 * the batch stores its own.
 */
export class ThreadIndex {
  private constructor(
    private readonly repository: TicketRepository,
    private readonly byMessageId: Map<string, { ticketId: string; at: number }>,
    private readonly tickets: Map<string, Ticket>,
    private readonly participantsByTicket: Map<string, Set<string>>,
    /** The stored tickets it loaded, locked for the batch's transaction and read after the lock. */
    readonly lockedTicketIds: readonly string[],
  ) {}

  static async load(repository: TicketRepository, mailboxId: string, emails: ParsedEmail[], manager: EntityManager): Promise<ThreadIndex> {
    const stored = await repository.ticketsByMessageIds(mailboxId, [...new Set(emails.flatMap(referencedIds))], manager);
    const ticketIds = [...new Set(stored.map((row) => row.ticketId))];
    // The batch may add to any of them: locked now, in id order, as reactions lock their batches. Locked one by
    // one as messages met them, a batch answering two tickets in the other order deadlocked with such a reaction.
    await repository.lockInIdOrder(ticketIds, manager);
    const tickets = await repository.findByIds(ticketIds, manager);
    const participants = await repository.participantAddresses(ticketIds, manager);
    return new ThreadIndex(
      repository,
      new Map(stored.map((row) => [row.messageId, { ticketId: row.ticketId, at: new Date(row.createdAt).getTime() }])),
      new Map(tickets.map((ticket) => [ticket.id, ticket])),
      participants,
      ticketIds,
    );
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

  async participants(ticketId: string, manager: EntityManager): Promise<Set<string>> {
    let known = this.participantsByTicket.get(ticketId);
    if (!known) {
      known = (await this.repository.participantAddresses([ticketId], manager)).get(ticketId) ?? new Set();
      this.participantsByTicket.set(ticketId, known);
    }
    return known;
  }

  /**
   * A message the batch stored: later messages of the batch may answer it, and its addresses now take part.
   * `opened` says the batch opened its ticket, whose participants are then only in memory so far.
   */
  remember(messageId: string | null, ticket: Ticket, at: Date, addresses: (string | null)[], opened: boolean): void {
    this.tickets.set(ticket.id, ticket);
    if (opened) this.participantsByTicket.set(ticket.id, new Set());
    if (messageId) this.byMessageId.set(messageId, { ticketId: ticket.id, at: at.getTime() });
    const known = this.participantsByTicket.get(ticket.id);
    // Unknown tickets are looked up when first needed, which then includes this message.
    if (known) for (const address of addresses) if (address) known.add(address.toLowerCase());
  }
}

/**
 * Decides which ticket an inbound message belongs to: its In-Reply-To/References name a stored
 * Message-ID; else a Careloop marker (References token, plus-addressed recipient); else the subject
 * token. Whichever way it points at a ticket, it joins only when its sender (From) already takes part in
 * that ticket; anyone else gets a new ticket linked to it, which an agent can merge.
 */
@Injectable()
export class ThreadResolver {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly markers: ThreadMarkers,
  ) {}

  async resolve(email: ParsedEmail, index: ThreadIndex, manager: EntityManager): Promise<ThreadDecision> {
    const candidate = await this.candidate(email, index, manager);
    if (!candidate) return { kind: 'new', related: null };
    const from = email.from?.address.toLowerCase() ?? null;
    const participants = await index.participants(candidate.ticket.id, manager);
    if (from && participants.has(from)) return { kind: 'existing', ...candidate };
    return { kind: 'new', related: candidate.ticket, reason: 'not_participant', via: candidate.via };
  }

  private async candidate(email: ParsedEmail, index: ThreadIndex, manager: EntityManager): Promise<{ ticket: Ticket; via: ThreadVia } | null> {
    const referenced = referencedIds(email);
    const byHeaders = index.find(referenced);
    if (byHeaders) return { ticket: byHeaders, via: 'headers' };

    const recipients = [...email.to, ...email.cc].map((recipient) => recipient.address);
    if (email.headers['delivered-to']) recipients.push(email.headers['delivered-to']);
    const markedNumber =
      referenced.map((id) => this.markers.readReference(id)).find((found) => found !== null) ??
      recipients.map((address) => this.markers.readPlusAddress(address)).find((found) => found !== null) ??
      null;
    const markedTicket = markedNumber !== null ? await this.tickets.findByNumber(markedNumber, manager) : null;
    if (markedTicket) return { ticket: markedTicket, via: 'marker' };

    const tokenNumber = extractTicketToken(email.subject);
    const tokenTicket = tokenNumber !== null ? await this.tickets.findByNumber(tokenNumber, manager) : null;
    return tokenTicket ? { ticket: tokenTicket, via: 'token' } : null;
  }
}
