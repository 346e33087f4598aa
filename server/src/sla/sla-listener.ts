import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../common/domain-events';
import { SlaEngine } from './sla-engine.service';

/** Reactions run at once at most; a burst (escalations after a catch-up) queues instead of draining the pool. */
const CONCURRENCY = 4;
/** Ticket changes that can move a ticket to another policy, target or clock state. */
const RECONCILING_CHANGES = new Set(['status.changed', 'priority.changed', 'team.changed', 'tags.changed']);

/** Keeps SLA targets in step with tickets by reacting to domain events. */
@Injectable()
export class SlaListener implements OnApplicationShutdown {
  private readonly logger = new Logger('SLA');
  private readonly waiting: (() => Promise<void>)[] = [];
  private active = 0;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(private readonly engine: SlaEngine) {}

  @OnEvent('ticket.created')
  onTicketCreated({ ticketId }: DomainEventMap['ticket.created']): void {
    this.enqueue(() => this.engine.reconcile(ticketId));
  }

  @OnEvent('ticket.updated')
  onTicketUpdated({ ticketId, changed }: DomainEventMap['ticket.updated']): void {
    if (changed.some((type) => RECONCILING_CHANGES.has(type))) this.enqueue(() => this.engine.reconcile(ticketId));
  }

  @OnEvent('message.created')
  onMessageCreated({ ticketId, messageId }: DomainEventMap['message.created']): void {
    this.enqueue(() => this.engine.onMessage(ticketId, messageId));
  }

  /** Resolves once every reaction started so far has finished; shutdown waits for it, and so can tests. */
  settled(): Promise<void> {
    return this.idle;
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private enqueue(work: () => Promise<void>): void {
    if (this.active === 0 && this.waiting.length === 0) this.idle = new Promise((resolve) => (this.markIdle = resolve));
    this.waiting.push(work);
    this.drain();
  }

  private drain(): void {
    while (this.active < CONCURRENCY && this.waiting.length) {
      const work = this.waiting.shift() as () => Promise<void>;
      this.active++;
      void work()
        .catch((error: unknown) => this.logger.error(`SLA update failed: ${error instanceof Error ? error.stack : String(error)}`))
        .finally(() => {
          this.active--;
          this.drain();
        });
    }
    if (this.active === 0) this.markIdle();
  }
}
