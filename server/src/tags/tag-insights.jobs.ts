import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JobsService } from '../jobs/jobs.service';
import { SignalsService } from './signals/signals.service';
import { TagSuggestionsService } from './suggestions/tag-suggestions.service';

export const ANALYSE_TICKET_QUEUE = 'tags.analyse-ticket';
export const RETRAIN_QUEUE = 'tags.retrain';
/** Tickets analysed together: the model, rules and tags are read once and the results written set-wise. */
const ANALYSIS_BATCH = 50;
/** Daily, at a quiet hour (UTC), whatever the tagging volume. */
const DAILY_RETRAIN_CRON = '17 3 * * *';

interface AnalyseTicketJob {
  ticketId: string;
}

/**
 * Background work of the tag insights, on the durable job queue: each arriving ticket gets its suggestions and its
 * cluster (a restart does not skip one), and the suggestion model is retrained daily and after enough new tagging.
 */
@Injectable()
export class TagInsightsJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly suggestions: TagSuggestionsService,
    private readonly signals: SignalsService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.registerBatch<AnalyseTicketJob>(ANALYSE_TICKET_QUEUE, { retryLimit: 3, batchSize: ANALYSIS_BATCH }, async (jobs) => {
      const ticketIds = [...new Set(jobs.map((job) => job.data.ticketId))];
      await this.suggestions.suggestFor(ticketIds);
      await this.signals.clusterTickets(ticketIds);
    });
    await this.jobs.register(RETRAIN_QUEUE, { retryLimit: 1 }, async () => {
      await this.suggestions.retrain();
    });
    await this.jobs.schedule(RETRAIN_QUEUE, DAILY_RETRAIN_CRON);
  }

  /** Each arriving ticket is analysed once, however often its event is delivered (the job id is keyed). */
  async analyse(ticketIds: string[]): Promise<void> {
    await this.jobs.sendAll<AnalyseTicketJob>(ANALYSE_TICKET_QUEUE, ticketIds.map((ticketId) => ({ data: { ticketId }, singletonKey: ticketId })));
    this.jobs.nudge(ANALYSE_TICKET_QUEUE);
  }

  /** After tagging: retrains once enough new tagging has piled up. */
  async retrainIfDue(): Promise<void> {
    if (await this.suggestions.retrainDue()) await this.requestRetrain();
  }

  /** Queues a training; further requests within the same hour are no-ops (the key carries the hour). */
  async requestRetrain(): Promise<void> {
    await this.jobs.send(RETRAIN_QUEUE, {}, { singletonKey: `retrain:${this.clock.now().toISOString().slice(0, 13)}` });
    this.jobs.nudge(RETRAIN_QUEUE);
  }
}
