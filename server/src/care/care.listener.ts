import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../common/domain-events';
import { InitiativesService } from './initiatives.service';

/** Keeps initiatives' ticket lists current as tickets arrive, are tagged or clustered, and tags merge. */
@Injectable()
export class CareListener {
  constructor(private readonly initiatives: InitiativesService) {}

  @OnEvent('ticket.created')
  onTicketCreated({ ticketId }: DomainEventMap['ticket.created']): Promise<void> {
    return this.initiatives.linkTicket(ticketId);
  }

  @OnEvent('ticket.updated')
  async onTicketUpdated({ ticketId, changed }: DomainEventMap['ticket.updated']): Promise<void> {
    if (changed.includes('tags.changed')) await this.initiatives.linkTicket(ticketId);
  }

  @OnEvent('ticket.clustered')
  onTicketClustered({ ticketId }: DomainEventMap['ticket.clustered']): Promise<void> {
    return this.initiatives.linkTicket(ticketId);
  }

  @OnEvent('tag.merged')
  onTagMerged({ fromTagId, intoTagId }: DomainEventMap['tag.merged']): Promise<void> {
    return this.initiatives.onTagMerged(fromTagId, intoTagId);
  }
}
