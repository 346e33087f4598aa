import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { SlaEngine } from './sla-engine.service';

/** Tickets in one engine batch at most: what the outbox delivers at once, so one transaction stays short. */
const MAX_BATCH = 500;
/** Ticket changes that can move a ticket to another policy, target or clock state. */
const RECONCILING_CHANGES = new Set(['status.changed', 'priority.changed', 'team.changed', 'tags.changed']);

/** One reaction: to a message the ticket received, or (messageId null) reconciling the ticket. */
interface Reaction {
  ticketId: string;
  messageId: string | null;
}

/** Reactions of one kind that arrived together (a delivered batch, or one emitted event), and who waits for them. */
interface Request {
  reactions: Reaction[];
  done: () => void;
}

const isMessage = (reaction: Reaction) => reaction.messageId !== null;

/**
 * Keeps SLA targets in step with tickets by reacting to domain events set-wise: a batch of events is one engine
 * call, one transaction. Batches run one at a time, in arrival order; events that arrive meanwhile (a burst of
 * single `emit`s, say after a bulk update) wait and go together in the next batch, rather than each opening a
 * transaction of its own.
 */
@Injectable()
export class SlaListener implements OnApplicationShutdown {
  private readonly logger = new Logger('SLA');
  private readonly running = new Set<Promise<void>>();
  private readonly queue: Request[] = [];
  private worker: Promise<void> | null = null;

  constructor(
    private readonly engine: SlaEngine,
    events: DomainEvents,
  ) {
    events.onBatch('ticket.created', (payloads) => this.submit(payloads.map(({ ticketId }) => ({ ticketId, messageId: null }))));
    events.onBatch('ticket.updated', (payloads) => this.submit(payloads.filter(reconciles).map(({ ticketId }) => ({ ticketId, messageId: null }))));
    events.onBatch('message.created', (payloads) => this.submit(payloads.map(({ ticketId, messageId }) => ({ ticketId, messageId }))));
  }

  /** Resolves once every reaction started so far has finished; shutdown waits for it, and so can tests. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  onApplicationShutdown(): Promise<void> {
    return this.settled();
  }

  /** Queues reactions of one kind and resolves once they are done (failures are logged here, never thrown). */
  private submit(reactions: Reaction[]): Promise<void> {
    if (reactions.length === 0) return Promise.resolve();
    const finished: Promise<void> = new Promise<void>((done) => this.queue.push({ reactions, done })).finally(() => this.running.delete(finished));
    this.running.add(finished);
    this.worker ??= this.work();
    return finished;
  }

  private async work(): Promise<void> {
    try {
      // Lets the events emitted in the same tick as the first one (a bulk change) join its batch.
      await Promise.resolve();
      while (this.queue.length) {
        const requests = this.takeBatch();
        try {
          await this.runBatch(requests.flatMap((request) => request.reactions));
        } finally {
          for (const request of requests) request.done();
        }
      }
    } finally {
      this.worker = null;
    }
  }

  /** The requests at the head of the queue that make one batch: of one kind, up to MAX_BATCH reactions (at least one request). */
  private takeBatch(): Request[] {
    const kind = isMessage(this.queue[0].reactions[0]);
    let count = 0;
    let size = 0;
    for (const request of this.queue) {
      if (isMessage(request.reactions[0]) !== kind || (count > 0 && size + request.reactions.length > MAX_BATCH)) break;
      size += request.reactions.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** Runs reactions of one kind in slices of MAX_BATCH; a slice that fails is retried ticket by ticket, so one bad ticket costs only its own update. */
  private async runBatch(reactions: Reaction[]): Promise<void> {
    for (let start = 0; start < reactions.length; start += MAX_BATCH) {
      const slice = reactions.slice(start, start + MAX_BATCH);
      const perTicket = byTicket(slice);
      try {
        await this.react(slice);
        continue;
      } catch (error) {
        const retrying = perTicket.length > 1;
        this.logger.error(`SLA update of ${perTicket.length} ticket(s) failed${retrying ? ', retrying ticket by ticket' : ''}: ${describe(error)}`);
        if (!retrying) continue;
      }
      for (const ofTicket of perTicket) {
        await this.react(ofTicket).catch((error: unknown) => this.logger.error(`SLA update of ticket ${ofTicket[0].ticketId} failed: ${describe(error)}`));
      }
    }
  }

  private react(reactions: Reaction[]): Promise<void> {
    if (!isMessage(reactions[0])) return this.engine.reconcileMany(reactions.map((reaction) => reaction.ticketId));
    return this.engine.onMessages(reactions.flatMap(({ ticketId, messageId }) => (messageId === null ? [] : [{ ticketId, messageId }])));
  }
}

function reconciles({ changed }: DomainEventMap['ticket.updated']): boolean {
  return changed.some((type) => RECONCILING_CHANGES.has(type));
}

/** Reactions split by ticket, in order of each ticket's first one; a ticket's reactions keep their order. */
function byTicket(reactions: Reaction[]): Reaction[][] {
  const groups = new Map<string, Reaction[]>();
  for (const reaction of reactions) groups.set(reaction.ticketId, [...(groups.get(reaction.ticketId) ?? []), reaction]);
  return [...groups.values()];
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
