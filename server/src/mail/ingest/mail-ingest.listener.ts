import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../common/domain-events';
import { DomainEventListener } from '../../outbox/event-listener';
import { MailIngestService } from './mail-ingest.service';

/** Restarts a changed mailbox's worker at once; every instance also compares its workers with the table every few seconds. */
@Injectable()
export class MailIngestListener extends DomainEventListener {
  readonly name = 'mail-ingest';
  readonly events = ['mailbox.changed'] as const;
  override readonly inProcessOnly = true;

  constructor(private readonly ingest: MailIngestService) {
    super();
  }

  handle(_events: DomainEvent[]): Promise<void> {
    this.ingest.onMailboxChanged();
    return Promise.resolve();
  }
}
