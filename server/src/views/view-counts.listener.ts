import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { ViewCountsService } from './view-counts.service';

/** Ticket and SLA changes committed here expire this process's cached view counts (a cache: kept in process only). */
@Injectable()
export class ViewCountsListener extends DomainEventListener {
  readonly name = 'view-counts';
  readonly events = ['ticket.created', 'ticket.updated', 'ticket.deleted', 'sla.updated', 'sla.breached'] as const;
  override readonly inProcessOnly = true;

  constructor(private readonly counts: ViewCountsService) {
    super();
  }

  handle(_events: DomainEvent[]): Promise<void> {
    this.counts.expire();
    return Promise.resolve();
  }
}
