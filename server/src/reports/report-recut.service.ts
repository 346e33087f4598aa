import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { OutboxService } from '../outbox/outbox.service';
import { REPORT_RECUT_QUEUE } from './report-recut.queue';
import { ReportRollupRepository } from './report-rollup.repository';
import { ReportSettingsService } from './report-settings.service';

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
    private readonly settings: ReportSettingsService,
    private readonly outbox: OutboxService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.register(REPORT_RECUT_QUEUE, { retryLimit: 3 }, async () => {
      await this.run();
    });
    // A change whose job was lost (the process stopped between saving it and queueing the job) is picked up here.
    if (await this.settings.recutting(await this.settings.get())) await this.jobs.send(REPORT_RECUT_QUEUE, {});
  }

  /** Recuts the rollups when their zone is not the settings' any more; false when there was nothing to do. */
  async run(): Promise<boolean> {
    const started = Date.now();
    const { timeZone } = await this.settings.get();
    const recut = await this.outbox.transaction(async (manager, raise) => {
      const done = await this.repository.recut(timeZone, manager);
      if (done) raise({ name: 'reports.updated', payload: { ticketIds: [] } });
      return done;
    });
    if (recut) this.logger.log(`report rollups recut in ${timeZone} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return recut;
  }
}
