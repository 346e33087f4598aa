import { Injectable } from '@nestjs/common';
import { payloadsOf, type DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { JourneyTriggers } from './journey-triggers.service';

/**
 * Starts and ends journeys as tickets arrive or are retagged, customers write, subscriptions change and
 * customers rate us: each kind set-wise for the whole batch. Entering a journey is keyed by customer and
 * journey, so a redelivered batch enters nobody twice.
 */
@Injectable()
export class JourneysListener extends DomainEventListener {
  readonly name = 'journeys';
  readonly events = ['ticket.created', 'ticket.updated', 'message.created', 'subscription.recorded', 'satisfaction.recorded'] as const;

  constructor(private readonly triggers: JourneyTriggers) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const created = payloadsOf(events, 'ticket.created');
    if (created.length) await this.triggers.onTicketsCreated(created.map(({ ticketId }) => ticketId));
    const tagged = payloadsOf(events, 'ticket.updated').filter(({ changed }) => changed.includes('tags.changed'));
    if (tagged.length) await this.triggers.onTicketsTagged(tagged);
    const messages = payloadsOf(events, 'message.created');
    if (messages.length) await this.triggers.onMessagesCreated(messages);
    for (const { customerId, type } of payloadsOf(events, 'subscription.recorded')) await this.triggers.onSubscriptionRecorded(customerId, type);
    if (payloadsOf(events, 'satisfaction.recorded').length) await this.triggers.requestPass();
  }
}
