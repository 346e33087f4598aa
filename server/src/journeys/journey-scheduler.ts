import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { JobsService } from '../jobs/jobs.service';
import { CareMailer } from './care-mailer.service';
import { CARE_SEND_QUEUE, DUE_PASS_QUEUE, JourneyEngine } from './journey-engine.service';
import { JourneyTriggers } from './journey-triggers.service';

/**
 * Drives journeys from the shared job queue (a due pass every minute on whichever instance takes it, and on
 * demand) and from domain events. Passes that overlap are safe: due work is claimed with SKIP LOCKED.
 */
@Injectable()
export class JourneyScheduler implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Journeys');
  private readonly reactions = new Set<Promise<void>>();

  constructor(
    private readonly jobs: JobsService,
    private readonly engine: JourneyEngine,
    private readonly mailer: CareMailer,
    private readonly triggers: JourneyTriggers,
    private readonly events: DomainEvents,
  ) {}

  /**
   * New tickets, retagged tickets and new messages arrive in batches (from the outbox, awaited; from `emit`, a
   * batch of one in the background): the triggers deal with each batch set-wise.
   */
  onModuleInit(): void {
    this.events.onBatch('ticket.created', (created) => this.react(this.triggers.onTicketsCreated(created.map(({ ticketId }) => ticketId))));
    this.events.onBatch('ticket.updated', (updated) => this.react(this.triggers.onTicketsTagged(updated.filter(({ changed }) => changed.includes('tags.changed')))));
    this.events.onBatch('message.created', (created) => this.react(this.triggers.onMessagesCreated(created)));
  }

  async onApplicationBootstrap(): Promise<void> {
    // Neither job is retried: the next pass finds whatever is still due, and it asks for sending again.
    await this.jobs.register(DUE_PASS_QUEUE, { retryLimit: 0 }, async () => {
      await this.engine.runDue();
    });
    await this.jobs.register(CARE_SEND_QUEUE, { retryLimit: 0 }, async () => {
      await this.mailer.drain();
    });
    await this.jobs.schedule(DUE_PASS_QUEUE, '* * * * *');
    // Catch up at once on what fell due while no instance ran (and on emails a killed instance left queued).
    await this.triggers.requestPass();
  }

  @OnEvent('subscription.recorded')
  onSubscriptionRecorded({ customerId, type }: DomainEventMap['subscription.recorded']): void {
    void this.react(this.triggers.onSubscriptionRecorded(customerId, type));
  }

  @OnEvent('satisfaction.recorded')
  onSatisfactionRecorded(): void {
    void this.react(this.triggers.requestPass());
  }

  /** Resolves when every reaction started so far has finished, batches from `emit` included (tests wait on it). */
  async settled(): Promise<void> {
    while (this.reactions.size) await Promise.all([...this.reactions]);
  }

  /** Tracks a reaction until it ends and logs its failure; what it returns resolves then and never rejects. */
  private react(work: Promise<void>): Promise<void> {
    const reaction: Promise<void> = work
      .catch((error: unknown) => this.logger.error(`journey reaction failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => this.reactions.delete(reaction));
    this.reactions.add(reaction);
    return reaction;
  }
}
