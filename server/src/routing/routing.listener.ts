import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { AssignmentService } from './assignment.service';
import { RoutingEngine } from './routing-engine.service';

/** Evaluations (each a ticket or a batch of them) at once at most; each holds a database connection. */
const CONCURRENCY = 8;
/** Ticket changes that can free an agent's capacity or reopen a ticket. */
const FREEING_CHANGES = new Set(['status.changed', 'assignee.changed']);
/** User changes that can make an agent assignable. */
const AVAILABILITY_CHANGES = new Set(['availability', 'capacity', 'isActive', 'teamIds']);

/** Runs routing when tickets arrive, customers write, tickets free up or agents become available. */
@Injectable()
export class RoutingListener implements OnApplicationShutdown {
  private readonly logger = new Logger('Routing');
  private readonly running = new Set<Promise<void>>();
  private readonly backlog: (() => void)[] = [];

  constructor(
    private readonly engine: RoutingEngine,
    private readonly assignment: AssignmentService,
    events: DomainEvents,
  ) {
    events.onBatch('ticket.created', (created) => this.run(() => this.engine.evaluateAll('ticket_created', created)));
    events.onBatch('message.created', (created) => this.run(() => this.engine.evaluateAll('inbound_message', created)));
    events.onBatch('ticket.updated', (updates) => this.onTicketsUpdated(updates));
  }

  private onTicketsUpdated(updates: DomainEventMap['ticket.updated'][]): Promise<void> {
    const freeing = updates.filter(({ changed }) => changed.some((type) => FREEING_CHANGES.has(type)));
    if (freeing.length === 0) return Promise.resolve();
    return this.run(async () => {
      for (const { ticketId, eventIds, changed } of freeing) {
        if (changed.includes('status.changed')) await this.assignment.requeueIfReopenedWhileOffline(ticketId, eventIds);
      }
      await this.assignment.drainAll();
    });
  }

  @OnEvent('ticket.deleted')
  onTicketDeleted(): void {
    void this.run(() => this.assignment.drainAll());
  }

  @OnEvent('user.updated')
  onUserUpdated({ userId, changed }: DomainEventMap['user.updated']): void {
    if (!changed.some((field) => AVAILABILITY_CHANGES.has(field))) return;
    void this.run(async () => {
      // A deactivated person's open tickets go back to their teams first, then the queues drain.
      if (changed.includes('isActive')) await this.assignment.requeueTicketsOfDeactivated(userId);
      await this.assignment.drainAll();
    });
  }

  /** Resolves once every reaction started so far (and those they queued) has finished; shutdown and tests wait for it. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  /** Runs `work` now or, past the concurrency limit, when a slot frees; resolves when it has finished. */
  private run(work: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const start = () => {
        const task: Promise<void> = work()
          .catch((error: unknown) => this.logger.error(`routing failed: ${error instanceof Error ? error.stack : String(error)}`))
          .finally(() => {
            this.running.delete(task);
            resolve();
            this.backlog.shift()?.();
          });
        this.running.add(task);
      };
      if (this.running.size >= CONCURRENCY) this.backlog.push(start);
      else start();
    });
  }
}
