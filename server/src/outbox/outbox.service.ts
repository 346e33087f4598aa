import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainEvents, type DomainEvent } from '../common/domain-events';
import { OutboxRepository } from './outbox.repository';

/** How long the dispatcher leaves events alone that this process delivers itself, before taking them over. */
const DELIVER_HERE_LEASE_SECONDS = 300;

/**
 * Changes whose reactions must not be lost to a crash (an agent's reply, a status change, a rule's
 * actions) run their transaction here: the domain events they raise are recorded in the outbox with them,
 * delivered in this process as soon as the transaction commits (as `DomainEvents.emit` would), and deleted
 * once their listeners are done. Should the process die first, the dispatcher delivers them when the lease
 * runs out.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly events: DomainEvents,
  ) {}

  async transaction<T>(work: (manager: EntityManager, raise: (event: DomainEvent) => void) => Promise<T>): Promise<T> {
    let raised: DomainEvent[] = [];
    let ids: string[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      raised = [];
      const value = await work(manager, (event) => raised.push(event));
      ids = await this.outbox.record(raised, manager, DELIVER_HERE_LEASE_SECONDS);
      return value;
    });
    if (raised.length) this.deliverHere(ids, raised);
    return result;
  }

  private deliverHere(ids: string[], raised: DomainEvent[]): void {
    this.events
      .tell(raised)
      .then(() => this.outbox.remove(ids))
      .catch((error: unknown) => this.logger.warn(`events delivered here stay for the dispatcher: ${(error as Error).message}`));
  }
}
