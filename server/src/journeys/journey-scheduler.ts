import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { DomainEventMap } from '../common/domain-events';
import { JobsService } from '../jobs/jobs.service';
import { CareMailer } from './care-mailer.service';
import { CARE_SEND_QUEUE, DUE_PASS_QUEUE, JourneyEngine } from './journey-engine.service';
import { JourneyTriggers } from './journey-triggers.service';

/**
 * Drives journeys from the shared job queue (a due pass every minute on whichever instance takes it, and on
 * demand) and from domain events. Passes that overlap are safe: due work is claimed with SKIP LOCKED.
 */
@Injectable()
export class JourneyScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Journeys');
  private readonly reactions = new Set<Promise<void>>();

  constructor(
    private readonly jobs: JobsService,
    private readonly engine: JourneyEngine,
    private readonly mailer: CareMailer,
    private readonly triggers: JourneyTriggers,
  ) {}

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

  @OnEvent('ticket.created')
  onTicketCreated({ ticketId }: DomainEventMap['ticket.created']): void {
    this.react(this.triggers.onTicketCreated(ticketId));
  }

  @OnEvent('ticket.updated')
  onTicketUpdated({ ticketId, eventIds, changed }: DomainEventMap['ticket.updated']): void {
    if (changed.includes('tags.changed')) this.react(this.triggers.onTicketTagged(ticketId, eventIds));
  }

  @OnEvent('message.created')
  onMessageCreated({ ticketId, messageId }: DomainEventMap['message.created']): void {
    this.react(this.triggers.onMessageCreated(ticketId, messageId));
  }

  @OnEvent('subscription.recorded')
  onSubscriptionRecorded({ customerId, type }: DomainEventMap['subscription.recorded']): void {
    this.react(this.triggers.onSubscriptionRecorded(customerId, type));
  }

  @OnEvent('satisfaction.recorded')
  onSatisfactionRecorded(): void {
    this.react(this.triggers.requestPass());
  }

  /** Resolves when every reaction started so far has finished (tests wait on it). */
  async settled(): Promise<void> {
    while (this.reactions.size) await Promise.all([...this.reactions]);
  }

  private react(work: Promise<void>): void {
    const reaction: Promise<void> = work
      .catch((error: unknown) => this.logger.error(`journey reaction failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => this.reactions.delete(reaction));
    this.reactions.add(reaction);
  }
}
