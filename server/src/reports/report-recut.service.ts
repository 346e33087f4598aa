import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { OutboxService } from '../outbox/outbox.service';
import { REPORT_RECUT_QUEUE } from './report-recut.queue';
import { ReportRollupRepository } from './report-rollup.repository';

/**
 * Recuts the report rollups' days in the workspace's new time zone, as a job: the settings request returns at
 * once, reports keep answering from the previous cut (and say so) until the new one commits whole.
 */
@Injectable()
export class ReportRecut implements OnApplicationBootstrap {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly jobs: JobsService,
    private readonly repository: ReportRollupRepository,
    private readonly outbox: OutboxService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.register(REPORT_RECUT_QUEUE, { retryLimit: 3 }, async () => {
      await this.run();
    });
    // A change whose job was lost (the process stopped between saving it and queueing the job) is picked up here.
    if (await this.repository.recutPending()) await this.jobs.send(REPORT_RECUT_QUEUE, {});
  }

  /** Recuts the rollups when their zone is not the settings' any more; false when there was nothing to do. */
  async run(): Promise<boolean> {
    const started = Date.now();
    const zone = await this.outbox.transaction(async (manager, raise) => {
      const recut = await this.repository.recut(manager);
      if (recut) raise({ name: 'reports.updated', payload: { ticketIds: [] } });
      return recut;
    });
    if (zone) this.logger.log(`report rollups recut in ${zone} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return zone !== null;
  }
}
