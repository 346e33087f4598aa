import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { SlaEngine } from './sla-engine.service';

/** Tickets in one engine call at most, so one transaction stays short. */
const MAX_BATCH = 500;
/** Ticket changes that can move a ticket to another policy, target or clock state. */
const RECONCILING_CHANGES = new Set(['status.changed', 'priority.changed', 'team.changed', 'tags.changed']);

/** One reaction: to a message the ticket received, or (messageId null) reconciling the ticket. */
interface Reaction {
  ticketId: string;
  messageId: string | null;
}

const isMessage = (reaction: Reaction) => reaction.messageId !== null;

/**
 * Keeps SLA targets in step with tickets, set-wise: a batch's events of one name are one engine call (one
 * transaction per 500 tickets), names in order of first occurrence (a batch's tickets before their messages).
 * Reconciling is idempotent and so is a message's reaction (a target it achieved or started is there the
 * second time), so a redelivered batch changes nothing twice.
 */
@Injectable()
export class SlaListener extends DomainEventListener {
  readonly name = 'sla';
  readonly events = ['ticket.created', 'ticket.updated', 'message.created'] as const;
  private readonly logger = new Logger('SLA');

  constructor(private readonly engine: SlaEngine) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const byName = new Map<DomainEvent['name'], Reaction[]>();
    for (const event of events) {
      const reaction = toReaction(event);
      if (reaction) byName.set(event.name, [...(byName.get(event.name) ?? []), reaction]);
    }
    let failed = 0;
    for (const reactions of byName.values()) failed += await this.run(reactions);
    if (failed) throw new Error(`SLA update of ${failed} ticket(s) failed`);
  }

  /**
   * Runs reactions of one kind in slices of MAX_BATCH; a slice that fails is tried again ticket by ticket, so
   * one bad ticket holds back only itself. Resolves to how many tickets still failed.
   */
  private async run(reactions: Reaction[]): Promise<number> {
    let failed = 0;
    for (let start = 0; start < reactions.length; start += MAX_BATCH) {
      const slice = reactions.slice(start, start + MAX_BATCH);
      const perTicket = byTicket(slice);
      try {
        await this.react(slice);
        continue;
      } catch (error) {
        if (perTicket.length === 1) throw error;
        this.logger.warn(`SLA update of ${perTicket.length} tickets failed, retrying ticket by ticket: ${describe(error)}`);
      }
      for (const ofTicket of perTicket) {
        await this.react(ofTicket).catch((error: unknown) => {
          failed++;
          this.logger.error(`SLA update of ticket ${ofTicket[0].ticketId} failed: ${describe(error)}`);
        });
      }
    }
    return failed;
  }

  private react(reactions: Reaction[]): Promise<void> {
    if (!isMessage(reactions[0])) return this.engine.reconcileMany(reactions.map((reaction) => reaction.ticketId));
    return this.engine.onMessages(reactions.flatMap(({ ticketId, messageId }) => (messageId === null ? [] : [{ ticketId, messageId }])));
  }
}

function toReaction(event: DomainEvent): Reaction | null {
  switch (event.name) {
    case 'ticket.created':
      return { ticketId: event.payload.ticketId, messageId: null };
    case 'ticket.updated':
      return event.payload.changed.some((type) => RECONCILING_CHANGES.has(type)) ? { ticketId: event.payload.ticketId, messageId: null } : null;
    case 'message.created':
      return { ticketId: event.payload.ticketId, messageId: event.payload.messageId };
    default:
      return null;
  }
}

/** Reactions split by ticket, in order of each ticket's first one; a ticket's reactions keep their order. */
function byTicket(reactions: Reaction[]): Reaction[][] {
  const groups = new Map<string, Reaction[]>();
  for (const reaction of reactions) groups.set(reaction.ticketId, [...(groups.get(reaction.ticketId) ?? []), reaction]);
  return [...groups.values()];
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
