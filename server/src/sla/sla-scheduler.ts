import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { SlaEngine } from './sla-engine.service';
import { DUE_PASS_QUEUE, ESCALATE_QUEUE, REBASE_QUEUE, type EscalateJob, type RebaseJob } from './sla-queues';

/**
 * Drives the engine from the durable job queue: a cron (pg-boss, once per minute across every instance) runs
 * the due pass; breaches' ticket changes, and due times after a calendar or policy change, run as jobs rather
 * than inside the pass or the request.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly engine: SlaEngine,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A failed pass is not retried: the next minute's pass claims whatever is still due.
    await this.jobs.register(DUE_PASS_QUEUE, { retryLimit: 0 }, async () => {
      await this.engine.runDuePass();
    });
    await this.jobs.schedule(DUE_PASS_QUEUE, '* * * * *');
    // Catch up at once on whatever fell due while no instance was running, rather than at the next minute.
    await this.jobs.send(DUE_PASS_QUEUE, {});
    await this.jobs.register<RebaseJob>(REBASE_QUEUE, { retryLimit: 5 }, async ({ previousCalendars, changedAt }) => {
      await this.engine.rebasePolicies(previousCalendars, new Date(changedAt));
    });
    await this.jobs.register<EscalateJob>(ESCALATE_QUEUE, { retryLimit: 5 }, async ({ escalations }) => {
      await this.engine.applyEscalations(escalations);
    });
  }

  async enqueueRebase(job: RebaseJob): Promise<void> {
    if (Object.keys(job.previousCalendars).length === 0) return;
    await this.jobs.send(REBASE_QUEUE, job);
    this.jobs.nudge(REBASE_QUEUE);
  }
}
