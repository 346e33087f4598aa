import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { CareMailer } from './care-mailer.service';
import { CARE_SEND_QUEUE, DUE_PASS_QUEUE, JourneyEngine } from './journey-engine.service';
import { JourneyTriggers } from './journey-triggers.service';

/**
 * Drives journeys from the shared job queue (a due pass every minute on whichever instance takes it, and on
 * demand); JourneysListener reacts to domain events. Passes that overlap are safe: due work is claimed with SKIP LOCKED.
 */
@Injectable()
export class JourneyScheduler implements OnApplicationBootstrap {
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
}
