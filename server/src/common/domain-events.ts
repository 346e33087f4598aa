import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { SubscriptionEventType } from '../../../contracts/customers';
import type { SlaTargetKind } from '../../../contracts/sla';

/**
 * Domain events, told to listeners in routing, sla, tags, care, journeys and realtime. Ticket and message
 * events are recorded in the outbox with the change that raised them (server/src/outbox), so a crash
 * between the commit and the reactions loses none; derived ones (SLA warnings, initiative updates) are
 * emitted in process after their commit. Realtime fan-out to other instances goes through the Socket.IO
 * adapter, durable follow-up work through the job queue.
 */
export interface DomainEventMap {
  'ticket.created': { ticketId: string };
  'ticket.deleted': { ticketId: string };
  'ticket.updated': { ticketId: string; eventIds: string[]; changed: string[] };
  'message.created': { ticketId: string; messageId: string };
  /** An SLA target's warning or breach fired (once per target), or a ticket's targets changed. */
  'sla.warning': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.breached': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.updated': { ticketId: string };
  'notification.created': { userId: string; notificationId: string };
  /** A message's delivery state changed (queued → sent, failed, undelivered). */
  'message.updated': { ticketId: string; messageId: string };
  'mailbox.changed': { mailboxId: string };
  /** A user's fields changed (e.g. availability or capacity), named as in UpdateUserRequest. */
  'user.updated': { userId: string; changed: string[] };
  /** A subscription event was recorded (webhook); journeys check their exit goals and triggers. */
  'subscription.recorded': { customerId: string; type: SubscriptionEventType };
  /** A survey answer was recorded, replaced or voided. */
  'satisfaction.recorded': { customerId: string; responseId: string };
  /** The report rollups of these tickets changed (emitted in process after their commit; re-derivable). */
  'reports.updated': { ticketIds: string[] };
  /** An arriving ticket was placed in a cluster of similar tickets. */
  'ticket.clustered': { ticketId: string; clusterId: string };
  /** Every ticket of `fromTagId` now carries `intoTagId`, and `fromTagId` is gone. */
  'tag.merged': { fromTagId: string; intoTagId: string };
  /** A care initiative was created, edited or moved on the board. */
  'initiative.updated': { initiativeId: string };
  /** Tickets newly matched an initiative's definition. */
  'initiative.tickets_linked': { initiativeId: string; ticketIds: string[] };
  'initiative.comment_added': { initiativeId: string; commentId: string };
}

export type DomainEventName = keyof DomainEventMap;
/** One event with its name, as recorded in the outbox. */
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEventMap[K] } }[DomainEventName];
/** A listener that takes events of one name in batches and resolves when it has dealt with them. */
export type BatchListener<K extends DomainEventName> = (payloads: DomainEventMap[K][]) => Promise<void>;

/**
 * Two ways to listen: `@OnEvent(name)` (one event at a time, fire and forget) and `onBatch(name, …)` for
 * listeners that work set-wise. Events come from `emit` after a commit in this process, or from the outbox
 * (`deliver`), where a batch of imported mail arrives at once and each batch listener is awaited.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly batchListeners = new Map<DomainEventName, ((payloads: unknown[]) => Promise<void>)[]>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly emitter: EventEmitter2) {}

  onBatch<K extends DomainEventName>(name: K, listener: BatchListener<K>): void {
    this.batchListeners.set(name, [...(this.batchListeners.get(name) ?? []), listener as (payloads: unknown[]) => Promise<void>]);
  }

  /** Tells every listener now; batch listeners get a batch of one and run in the background. */
  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    void this.start(name, [payload]);
  }

  /** As `emit` for several events: batch listeners get each name's events as one batch. */
  emitAll(events: DomainEvent[]): void {
    void this.tell(events);
  }

  /** As `emitAll`, resolving once the batch listeners are done (one-at-a-time listeners are not awaited). */
  async tell(events: DomainEvent[]): Promise<void> {
    await Promise.all([...byName(events)].map(([name, payloads]) => this.start(name, payloads)));
  }

  /**
   * Delivers events in order of their first occurrence per name (an imported batch's tickets before its
   * messages), each name's batch listeners done before the next name's start. A listener's failure is its
   * own (logged here): it must not make the others see the same events twice.
   */
  async deliver(events: DomainEvent[]): Promise<void> {
    for (const [name, payloads] of byName(events)) await this.start(name, payloads);
  }

  /** Resolves when the batch listeners started so far have finished (shutdown and tests wait). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Tells the one-at-a-time listeners each payload and the batch listeners all of them; resolves when the latter are done. */
  private start(name: DomainEventName, payloads: unknown[]): Promise<void> {
    for (const payload of payloads) this.emitter.emit(name, payload);
    const listeners = this.batchListeners.get(name);
    if (!listeners) return Promise.resolve();
    const running: Promise<void> = this.callAll(name, listeners, payloads).finally(() => this.running.delete(running));
    this.running.add(running);
    return running;
  }

  private async callAll(name: DomainEventName, listeners: ((payloads: unknown[]) => Promise<void>)[], payloads: unknown[]): Promise<void> {
    await Promise.all(
      listeners.map((listener) =>
        listener(payloads).catch((error: unknown) => this.logger.error(`a listener of ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)),
      ),
    );
  }
}

/** Events by name, names in order of first occurrence, each name's payloads in order. */
function byName(events: DomainEvent[]): Map<DomainEventName, unknown[]> {
  const grouped = new Map<DomainEventName, unknown[]>();
  for (const { name, payload } of events) {
    const payloads = grouped.get(name);
    if (payloads) payloads.push(payload);
    else grouped.set(name, [payload]);
  }
  return grouped;
}
