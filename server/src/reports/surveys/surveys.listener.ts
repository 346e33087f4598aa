import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../common/domain-events';
import { DomainEventListener } from '../../outbox/event-listener';
import { SurveysService } from './surveys.service';

/** Solves schedule the ticket's CSAT survey, reopens cancel it. Idempotent: a ticket's CSAT exists once, a cancel is a no-op the second time. */
@Injectable()
export class SurveysListener extends DomainEventListener {
  readonly name = 'surveys-csat';
  readonly events = ['ticket.updated'] as const;

  constructor(
    private readonly surveys: SurveysService,
  ) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const changed = new Map<string, boolean>();
    for (const event of events) {
      if (event.name !== 'ticket.updated' || !event.payload.changed.includes('status.changed')) continue;
      changed.set(event.payload.ticketId, (changed.get(event.payload.ticketId) ?? false) || event.payload.changed.includes('ticket.merged_into'));
    }
    await this.surveys.onStatusChanged([...changed].map(([ticketId, merged]) => ({ ticketId, merged })));
  }
}
