import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents, type DomainEvent } from '../../common/domain-events';
import { SurveysService } from './surveys.service';

/** Solves schedule the ticket's CSAT survey, reopens cancel it. Idempotent: a ticket's CSAT exists once, a cancel is a no-op the second time. */
@Injectable()
export class SurveysListener implements OnModuleInit {
  readonly name = 'surveys-csat';
  readonly events = ['ticket.updated'] as const;

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly surveys: SurveysService,
  ) {}

  onModuleInit(): void {
    for (const name of this.events) this.domainEvents.onBatch(name, (payloads) => this.handle(payloads.map((payload) => ({ name, payload }))));
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
