import { Injectable } from '@nestjs/common';
import { payloadsOf, type DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { AssignmentService } from './assignment.service';
import { RoutingEngine } from './routing-engine.service';

/** Ticket changes that can free an agent's capacity or reopen a ticket. */
const FREEING_CHANGES = new Set(['status.changed', 'assignee.changed']);
/** User changes that can make an agent assignable. */
const AVAILABILITY_CHANGES = new Set(['availability', 'capacity', 'isActive', 'teamIds']);

/** Runs routing when tickets arrive, customers write, tickets free up or agents become available. */
@Injectable()
export class RoutingListener extends DomainEventListener {
  readonly name = 'routing';
  readonly events = ['ticket.created', 'message.created', 'ticket.updated', 'ticket.deleted', 'user.updated'] as const;

  constructor(
    private readonly engine: RoutingEngine,
    private readonly assignment: AssignmentService,
  ) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    await this.engine.evaluateAll('ticket_created', payloadsOf(events, 'ticket.created'));
    await this.engine.evaluateAll('inbound_message', payloadsOf(events, 'message.created'));
    const freeing = payloadsOf(events, 'ticket.updated').filter(({ changed }) => changed.some((type) => FREEING_CHANGES.has(type)));
    for (const { ticketId, eventIds, changed } of freeing) {
      if (changed.includes('status.changed')) await this.assignment.requeueIfReopenedWhileOffline(ticketId, eventIds);
    }
    const availability = payloadsOf(events, 'user.updated').filter(({ changed }) => changed.some((field) => AVAILABILITY_CHANGES.has(field)));
    // A deactivated person's open tickets go back to their teams first, then the queues drain.
    for (const { userId, changed } of availability) if (changed.includes('isActive')) await this.assignment.requeueTicketsOfDeactivated(userId);
    if (freeing.length || availability.length || payloadsOf(events, 'ticket.deleted').length) await this.assignment.drainAll();
  }
}
