import { IANAZone } from 'luxon';
import { Injectable } from '@nestjs/common';
import type { ReportSettingsDto, UpdateReportSettingsRequest } from '../../../contracts/reports';
import { InvalidFieldError } from '../common/errors';
import { JobsService } from '../jobs/jobs.service';
import { REPORT_RECUT_QUEUE } from './report-recut.queue';
import { ReportSettings } from './report-settings.entity';
import { REPORT_SETTINGS_ID, SurveyRepository } from './surveys/survey.repository';

/** Report and survey settings with their defaults: UTC, surveys on, 24 hours after the solve, Good/Bad. */
@Injectable()
export class ReportSettingsService {
  constructor(
    private readonly repository: SurveyRepository,
    private readonly jobs: JobsService,
  ) {}

  async get(): Promise<ReportSettings> {
    const stored = await this.repository.findSettings();
    if (stored) return stored;
    return Object.assign(new ReportSettings(), { id: REPORT_SETTINGS_ID, workspaceName: 'Careloop', timeZone: 'UTC', surveysEnabled: true, surveyDelayHours: 24, csatScale: 'good_bad' });
  }

  async update(input: UpdateReportSettingsRequest): Promise<ReportSettingsDto> {
    if (input.timeZone !== undefined && !IANAZone.isValidZone(input.timeZone)) {
      throw new InvalidFieldError('timeZone', 'not a known IANA time zone (e.g. Europe/Berlin)');
    }
    const settings = Object.assign(await this.get(), input);
    await this.repository.saveSettings(settings);
    // Recutting every day of the rollups takes minutes on a large workspace: a job does it (ReportRecut).
    const recutting = await this.recutting(settings);
    if (recutting) await this.jobs.send(REPORT_RECUT_QUEUE, {});
    return toReportSettingsDto(settings, recutting);
  }

  /** Whether the rollups are still cut in another zone than the settings' (a recut is under way). */
  async recutting(settings: ReportSettings): Promise<boolean> {
    return (await this.repository.rollupTimeZone()) !== settings.timeZone;
  }
}

export function toReportSettingsDto(settings: ReportSettings, recutting: boolean): ReportSettingsDto {
  return {
    workspaceName: settings.workspaceName,
    timeZone: settings.timeZone,
    recutting,
    surveysEnabled: settings.surveysEnabled,
    surveyDelayHours: settings.surveyDelayHours,
    csatScale: settings.csatScale,
  };
}
