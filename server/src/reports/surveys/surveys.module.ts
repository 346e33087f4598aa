import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MailModule } from '../../mail/mail.module';
import { OutboxModule } from '../../outbox/outbox.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { ReportSettingsController } from '../report-settings.controller';
import { ReportSettingsService } from '../report-settings.service';
import { SurveyRepository } from './survey.repository';
import { SurveyScheduler } from './survey-scheduler';
import { SurveyTokens } from './survey-token';
import { SurveysController } from './surveys.controller';
import { SurveysListener } from './surveys.listener';
import { SurveysService } from './surveys.service';

/**
 * CSAT and NPS surveys: invitations, the send pass, the public page and answers. Other domains (care
 * journeys' NPS step) import this module and call `SurveysService.invite`.
 */
@Module({
  imports: [TicketsModule, MailModule, OutboxModule],
  controllers: [SurveysController, ReportSettingsController],
  providers: [
    SurveyRepository,
    ReportSettingsService,
    { provide: SurveyTokens, useFactory: (config: AppConfig) => new SurveyTokens(config.secretKey), inject: [APP_CONFIG] },
    SurveysService,
    SurveysListener,
    SurveyScheduler,
  ],
  exports: [SurveysService, ReportSettingsService, SurveyRepository],
})
export class SurveysModule {}
