import { IANAZone } from 'luxon';
import { Injectable } from '@nestjs/common';
import type { ReportSettingsDto, UpdateReportSettingsRequest } from '../../../contracts/reports';
import { InvalidFieldError } from '../common/errors';
import { ReportSettings } from './report-settings.entity';
import { REPORT_SETTINGS_ID, SurveyRepository } from './surveys/survey.repository';

/** Report and survey settings with their defaults: UTC, surveys on, 24 hours after the solve, Good/Bad. */
@Injectable()
export class ReportSettingsService {
  constructor(private readonly repository: SurveyRepository) {}

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
    return toReportSettingsDto(settings);
  }
}

export function toReportSettingsDto(settings: ReportSettings): ReportSettingsDto {
  return {
    workspaceName: settings.workspaceName,
    timeZone: settings.timeZone,
    surveysEnabled: settings.surveysEnabled,
    surveyDelayHours: settings.surveyDelayHours,
    csatScale: settings.csatScale,
  };
}
