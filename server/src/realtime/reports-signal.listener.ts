import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { STAFF_ROOM } from './realtime-rooms';
import { RealtimeSender } from './realtime-sender';

/**
 * Tells open report pages that figures changed, so they refetch. Everyone signed in may open reports (each sees
 * what their role allows), so the signal goes to staff; it carries no figures, and a lost one costs a stale chart
 * until the next change: an in-process listener, without delivery state.
 */
@Injectable()
export class ReportsSignalListener extends DomainEventListener {
  readonly name = 'realtime-reports';
  readonly events = ['reports.updated'] as const;
  override readonly inProcessOnly = true;

  constructor(private readonly sender: RealtimeSender) {
    super();
  }

  handle(_events: DomainEvent[]): Promise<void> {
    this.sender.send({ rooms: [STAFF_ROOM] }, 'reports.updated', { at: new Date().toISOString() });
    return Promise.resolve();
  }
}
