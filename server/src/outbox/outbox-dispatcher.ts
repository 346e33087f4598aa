import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { OutboxRepository } from './outbox.repository';

/** Events delivered together: large enough for listeners to work set-wise, small enough to commit often. */
const BATCH = 500;
/** How often an idle instance looks for events recorded by another one (its own wake it at once). */
const POLL_MS = 1_000;
/** Pause after a failed delivery round (the database away, say) before trying again. */
const RETRY_MS = 2_000;

/**
 * Delivers the outbox to the domain-event listeners, on every instance with workers on; the delivery lock
 * lets one deliver at a time, so events reach listeners in the order they were recorded.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private loop: Promise<void> = Promise.resolve();
  private stopped = false;
  private wake: () => void = () => undefined;
  private woken = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workers) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** Called after a transaction that recorded events commits: deliver them now rather than at the next poll. */
  nudge(): void {
    this.woken = true;
    this.wake();
  }

  /** Resolves once the outbox is empty (tests wait for reactions to recorded events with it). */
  async drained(): Promise<void> {
    while ((await this.outbox.pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let claimed: number;
      try {
        claimed = await this.outbox.claim(BATCH, (events) => this.events.deliver(events));
      } catch (error) {
        this.logger.warn(`delivering domain events failed (${(error as Error).message}); retrying`);
        await this.sleep(RETRY_MS);
        continue;
      }
      if (claimed < BATCH) await this.sleep(POLL_MS);
    }
  }

  /** Waits `ms`, or less if nudged meanwhile; a nudge that came while delivering ends it at once. */
  private async sleep(ms: number): Promise<void> {
    if (this.stopped) return;
    if (!this.woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = finish;
      });
      this.wake = () => undefined;
    }
    this.woken = false;
  }
}
