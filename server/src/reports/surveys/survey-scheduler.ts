import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../../jobs/jobs.service';
import { SurveysService } from './surveys.service';

export const SURVEY_PASS_QUEUE = 'surveys.send-due';

/** A pass over due surveys every minute on whichever instance takes it; overlapping passes are safe (SKIP LOCKED). */
@Injectable()
export class SurveyScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobsService,
    private readonly surveys: SurveysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Not retried: the next pass finds whatever is still due.
    await this.jobs.register(SURVEY_PASS_QUEUE, { retryLimit: 0 }, async () => {
      await this.surveys.sendDue();
    });
    await this.jobs.schedule(SURVEY_PASS_QUEUE, '* * * * *');
  }
}
