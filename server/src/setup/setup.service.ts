import { Injectable } from '@nestjs/common';
import { SETUP_STEPS, type SetupChecklistDto } from '../../../contracts/setup';
import { SetupRepository } from './setup.repository';

/**
 * Each step ticks itself from what the workspace holds (a receiving mailbox, a second person, opening hours,
 * a macro, an active journey), so there is nothing to mark by hand and nothing to get out of step.
 */
@Injectable()
export class SetupService {
  constructor(private readonly repository: SetupRepository) {}

  async checklist(): Promise<SetupChecklistDto> {
    const progress = await this.repository.progress();
    return { steps: SETUP_STEPS.map((step) => ({ step, done: progress[step] })) };
  }
}
