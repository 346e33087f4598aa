import { Injectable } from '@nestjs/common';
import { payloadsOf, type DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { InitiativesService } from './initiatives.service';

/**
 * Keeps initiatives' ticket lists current as tickets arrive, are tagged or clustered, and tags merge. Linking
 * is set-wise and idempotent (a ticket already linked stays linked once).
 */
@Injectable()
export class CareListener extends DomainEventListener {
  readonly name = 'care';
  readonly events = ['ticket.created', 'ticket.updated', 'ticket.clustered', 'tag.merged'] as const;

  constructor(private readonly initiatives: InitiativesService) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const ticketIds = [
      ...payloadsOf(events, 'ticket.created').map(({ ticketId }) => ticketId),
      ...payloadsOf(events, 'ticket.updated')
        .filter(({ changed }) => changed.includes('tags.changed'))
        .map(({ ticketId }) => ticketId),
      ...payloadsOf(events, 'ticket.clustered').map(({ ticketId }) => ticketId),
    ];
    if (ticketIds.length) await this.initiatives.linkTickets([...new Set(ticketIds)]);
    for (const { fromTagId, intoTagId } of payloadsOf(events, 'tag.merged')) await this.initiatives.onTagMerged(fromTagId, intoTagId);
  }
}
