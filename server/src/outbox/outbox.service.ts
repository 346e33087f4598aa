import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DomainEvent } from '../common/domain-events';
import { EventPipeline } from './event-pipeline';

/**
 * The one way to publish domain events: run the change here and `raise` the events it causes. Durable events
 * are recorded in the same transaction (with a delivery owed by each listener), so a crash between the commit
 * and the reactions loses none; after the commit they are handed to this process's listeners at once.
 */
@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pipeline: EventPipeline,
  ) {}

  async transaction<T>(work: (manager: EntityManager, raise: (event: DomainEvent) => void) => Promise<T>): Promise<T> {
    let toTell: DomainEvent[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const raised: DomainEvent[] = [];
      const value = await work(manager, (event) => raised.push(event));
      toTell = await this.pipeline.record(raised, manager);
      return value;
    });
    if (toTell.length) this.pipeline.deliverHere(toTell);
    return result;
  }
}
