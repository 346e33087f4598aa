import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { LoggedEventName, LoggedEvents, SyncRequest, SyncResponse } from '../../../contracts/events';
import { RealtimeEventRepository, type ReplayAsker } from './realtime-event.repository';
import type { Audience } from './realtime.types';

const RETENTION_HOURS = 24;
const PRUNE_EVERY_MS = 15 * 60_000;
/** Far longer than a commit can lag behind the insert that took its seq. */
const OVERLAP_SECONDS = 5;
const PAGE_SIZE = 500;

/** The ticket a logged event is about, if any. */
function ticketIdOf(payload: LoggedEvents[LoggedEventName]): string | null {
  if ('ticket' in payload) return payload.ticket.id;
  return 'ticketId' in payload ? payload.ticketId : null;
}

/**
 * The realtime log: gives every pushed event its seq and replays what a reconnecting socket missed.
 * Pruning is housekeeping that every instance may run (deleting old rows twice is harmless).
 */
@Injectable()
export class RealtimeLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeLog');
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly events: RealtimeEventRepository) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }

  /**
   * Gives each event its seq, in the order given (the seq it already has when its source was pushed before);
   * each is kept with the ticket it is about.
   */
  record<K extends LoggedEventName>(name: K, entries: { payload: LoggedEvents[K]; audience: Audience; source?: string }[]): Promise<number[]> {
    return this.events.insert(
      name,
      entries.map((entry) => ({ ...entry, ticketId: ticketIdOf(entry.payload) })),
    );
  }

  /** What the asker missed and may see now (see RealtimeEventRepository.select). */
  async replay({ since }: SyncRequest, asker: ReplayAsker): Promise<SyncResponse> {
    const { latest, oldestKept } = await this.events.bounds();
    if (since === null) return { events: [], latest, hasMore: false, reset: false };
    if (since + 1 < oldestKept) return { events: [], latest, hasMore: false, reset: true };
    const [overlap, missed] = await Promise.all([
      this.events.recordedShortlyBefore(since, asker, OVERLAP_SECONDS, PAGE_SIZE),
      this.events.after(since, asker, PAGE_SIZE + 1),
    ]);
    return { events: [...overlap, ...missed.slice(0, PAGE_SIZE)], latest, hasMore: missed.length > PAGE_SIZE, reset: false };
  }

  async prune(): Promise<void> {
    try {
      await this.events.pruneOlderThan(RETENTION_HOURS);
    } catch (error) {
      this.logger.warn(`pruning the realtime log failed: ${(error as Error).message}`);
    }
  }
}
