import { Injectable } from '@nestjs/common';
import { DomainEventListener } from '../outbox/event-listener';
import { SearchIndexRepository } from './search-index.repository';

/**
 * New messages' words reach their tickets' search vectors. Whatever event wakes it, it folds in the whole queue
 * (messages stored without an event of their own included); the queue makes a repeated batch a no-op.
 */
@Injectable()
export class SearchIndexListener extends DomainEventListener {
  readonly name = 'search-index';
  readonly events = ['ticket.created', 'ticket.updated', 'message.created'] as const;

  constructor(private readonly index: SearchIndexRepository) {
    super();
  }

  async handle(): Promise<void> {
    await this.index.indexQueued();
  }
}
