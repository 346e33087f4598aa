import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../common/domain-events';
import { AssignmentService } from './assignment.service';
import { RoutingEngine } from './routing-engine.service';

/** Evaluations at once at most; each holds a database connection for its transaction. */
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
  private readonly backlog: (() => Promise<void>)[] = [];

  constructor(
    private readonly engine: RoutingEngine,
    private readonly assignment: AssignmentService,
  ) {}

  @OnEvent('ticket.created')
  onTicketCreated({ ticketId }: DomainEventMap['ticket.created']): void {
    this.run(() => this.engine.evaluate(ticketId, 'ticket_created'));
  }

  @OnEvent('message.created')
  onMessageCreated({ ticketId, messageId }: DomainEventMap['message.created']): void {
    this.run(() => this.engine.evaluate(ticketId, 'inbound_message', messageId));
  }

  @OnEvent('ticket.updated')
  onTicketUpdated({ ticketId, eventIds, changed }: DomainEventMap['ticket.updated']): void {
    if (!changed.some((type) => FREEING_CHANGES.has(type))) return;
    this.run(async () => {
      if (changed.includes('status.changed')) await this.assignment.requeueIfReopenedWhileOffline(ticketId, eventIds);
      await this.assignment.drainAll();
    });
  }

  @OnEvent('ticket.deleted')
  onTicketDeleted(): void {
    this.run(() => this.assignment.drainAll());
  }

  @OnEvent('user.updated')
  onUserUpdated({ changed }: DomainEventMap['user.updated']): void {
    if (changed.some((field) => AVAILABILITY_CHANGES.has(field))) this.run(() => this.assignment.drainAll());
  }

  /** Resolves once every reaction started so far (and those they queued) has finished; shutdown and tests wait for it. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  private run(work: () => Promise<void>): void {
    if (this.running.size >= CONCURRENCY) {
      this.backlog.push(work);
      return;
    }
    const task: Promise<void> = work()
      .catch((error: unknown) => this.logger.error(`routing failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => {
        this.running.delete(task);
        const next = this.backlog.shift();
        if (next) this.run(next);
      });
    this.running.add(task);
  }
}
