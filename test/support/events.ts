import type { INestApplication } from '@nestjs/common';
import type { DomainEvent, DomainEventName } from '../../server/src/common/domain-events';
import { DomainEventListener } from '../../server/src/outbox/event-listener';
import { EventPipeline } from '../../server/src/outbox/event-pipeline';
import { OutboxService } from '../../server/src/outbox/outbox.service';

/** Publishes events as a change would (recorded, then told to the listeners here), without a change. */
export function publish(app: INestApplication, events: DomainEvent[]): Promise<void> {
  return app.get(OutboxService).transaction((_manager, raise) => Promise.resolve(events.forEach(raise)));
}

/** Resolves once every listener has handled what was published so far (dead letters aside). */
export function reactions(app: INestApplication): Promise<void> {
  return app.get(EventPipeline).drained();
}

/** Adds a listener under `name`; with `inProcessOnly`, one that only hears what is committed here (an observer). */
export function addListener(
  app: INestApplication,
  spec: { name: string; events: readonly DomainEventName[]; inProcessOnly?: boolean; handle: (events: DomainEvent[]) => Promise<void> },
): void {
  class TestListener extends DomainEventListener {
    readonly name = spec.name;
    readonly events = spec.events;
    override readonly inProcessOnly = spec.inProcessOnly ?? false;
    handle(events: DomainEvent[]): Promise<void> {
      return spec.handle(events);
    }
  }
  app.get(EventPipeline).register(new TestListener());
}
