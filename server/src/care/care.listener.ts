import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { InitiativesService } from './initiatives.service';

/** Keeps initiatives' ticket lists current as tickets arrive, are tagged or clustered, and tags merge. */
@Injectable()
export class CareListener implements OnModuleInit {
  constructor(
    private readonly initiatives: InitiativesService,
    private readonly events: DomainEvents,
  ) {}

  /** Arriving and retagged tickets come in batches (a whole outbox batch, or one from `emit`): linked set-wise. */
  onModuleInit(): void {
    this.events.onBatch('ticket.created', (created) => this.initiatives.linkTickets(created.map(({ ticketId }) => ticketId)));
    this.events.onBatch('ticket.updated', (updated) => this.initiatives.linkTickets(updated.filter(({ changed }) => changed.includes('tags.changed')).map(({ ticketId }) => ticketId)));
  }

  @OnEvent('ticket.clustered')
  onTicketClustered({ ticketId }: DomainEventMap['ticket.clustered']): Promise<void> {
    return this.initiatives.linkTickets([ticketId]);
  }

  @OnEvent('tag.merged')
  onTagMerged({ fromTagId, intoTagId }: DomainEventMap['tag.merged']): Promise<void> {
    return this.initiatives.onTagMerged(fromTagId, intoTagId);
  }
}
