import { Injectable } from '@nestjs/common';
import { payloadsOf, type DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { TagInsightsJobs } from './tag-insights.jobs';

/** Arriving tickets get their suggestions and cluster (keyed jobs: once each); tagging may call for a retraining. */
@Injectable()
export class TagInsightsListener extends DomainEventListener {
  readonly name = 'tag-insights';
  readonly events = ['ticket.created', 'ticket.updated'] as const;

  constructor(private readonly jobs: TagInsightsJobs) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const created = payloadsOf(events, 'ticket.created');
    if (created.length) await this.jobs.analyse(created.map(({ ticketId }) => ticketId));
    if (payloadsOf(events, 'ticket.updated').some(({ changed }) => changed.includes('tags.changed'))) await this.jobs.retrainIfDue();
  }
}
