import type { DomainEvent, DomainEventName } from '../common/domain-events';

/**
 * The one way to react to domain events. A listener is an `@Injectable()` provider of its domain's module
 * that extends this class; the pipeline (server/src/outbox/event-pipeline.ts) finds every one at start.
 *
 * - `name` is stable: it keys the listener's delivery state (pending, retrying, dead) across restarts.
 * - `events` lists the event names it takes (the catalogue: server/src/common/domain-events.ts).
 * - `handle` takes a batch of them (mixed names, in the order recorded) and resolves once it has dealt with
 *   all of them. It is idempotent: a batch may come again after a failure or a crash, and must then not
 *   double-count or double-send. It throws to have the whole batch retried later, for this listener alone.
 */
export abstract class DomainEventListener {
  abstract readonly name: string;
  abstract readonly events: readonly DomainEventName[];
  /**
   * True for a listener of this process's memory only (a cache): it hears what is committed here, keeps no
   * delivery state and is never retried. Such a listener may take in-process events; the others may not.
   */
  readonly inProcessOnly?: boolean;
  abstract handle(events: DomainEvent[]): Promise<void>;
}
