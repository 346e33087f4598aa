import { Injectable } from '@nestjs/common';
import type { EventPipelineHealthDto, RetryDeadLettersDto } from '../../../contracts/system';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { EventPipeline } from './event-pipeline';
import { OutboxRepository } from './outbox.repository';

const DEAD_LETTERS_SHOWN = 100;

/** What the admin's health page shows of the event pipeline, and the retry of dead letters. */
@Injectable()
export class SystemService {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  async eventHealth(): Promise<EventPipelineHealthDto> {
    const [stats, dead] = await Promise.all([this.outbox.stats(), this.outbox.deadLetters(DEAD_LETTERS_SHOWN)]);
    const byListener = new Map(stats.map((row) => [row.listener, row]));
    const now = this.clock.now().getTime();
    // Rows of a listener no longer in the code show too: they are owed to nobody until an admin looks.
    const names = [...new Set([...this.pipeline.catalogue().map((listener) => listener.name), ...byListener.keys()])].sort();
    const events = new Map(this.pipeline.catalogue().map((listener) => [listener.name, [...listener.events]]));
    return {
      listeners: names.map((name) => {
        const row = byListener.get(name);
        return {
          name,
          events: events.get(name) ?? [],
          pending: row?.pending ?? 0,
          retrying: row?.retrying ?? 0,
          dead: row?.dead ?? 0,
          oldestAgeSeconds: row?.oldestCreatedAt ? Math.max(0, Math.round((now - row.oldestCreatedAt.getTime()) / 1000)) : null,
          lastError: row?.lastError ?? null,
          lastFailedAt: row?.lastFailedAt?.toISOString() ?? null,
        };
      }),
      deadLetters: dead.map((row) => ({
        listener: row.listener,
        eventId: row.eventId,
        event: row.name,
        payload: row.payload,
        attempts: row.attempts,
        error: row.lastError,
        recordedAt: row.createdAt.toISOString(),
        deadAt: row.deadAt.toISOString(),
      })),
    };
  }

  /** The listener's dead letters are tried again now, with a fresh count of attempts. */
  async retryDeadLetters(listener: string): Promise<RetryDeadLettersDto> {
    if (!this.pipeline.has(listener)) throw new NotFoundError('Listener');
    const retried = await this.outbox.retryDead(listener);
    this.pipeline.nudge();
    return { listener, retried };
  }
}
