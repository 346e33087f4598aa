import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CustomersModule } from '../customers/customers.module';
import { MailModule } from '../mail/mail.module';
import { SurveysModule } from '../reports/surveys/surveys.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { CareController } from './care.controller';
import { CareMailer } from './care-mailer.service';
import { CareSettingsService } from './care-settings.service';
import { CareTemplates } from './care-templates';
import { Customer360Service } from './customer-360.service';
import { JourneyEngine } from './journey-engine.service';
import { JourneyEngineRepository } from './journey-engine.repository';
import { JourneyRepository } from './journey.repository';
import { JourneyScheduler } from './journey-scheduler';
import { JourneyTriggers } from './journey-triggers.service';
import { Customer360Controller, JourneysController } from './journeys.controller';
import { JourneysService } from './journeys.service';
import { JourneysListener } from './journeys.listener';
import { UnsubscribeService } from './unsubscribe.service';
import { UnsubscribeTokens } from './unsubscribe-token';

/** Care journeys: the editor's API, the engine and its scheduler, care emails, unsubscribes and the customer 360. */
@Module({
  imports: [CustomersModule, TicketsModule, MailModule, UsersModule, OutboxModule, SurveysModule],
  controllers: [JourneysController, CareController, Customer360Controller],
  providers: [
    JourneyRepository,
    JourneyEngineRepository,
    CareSettingsService,
    { provide: CareTemplates, useValue: new CareTemplates() },
    { provide: UnsubscribeTokens, useFactory: (config: AppConfig) => new UnsubscribeTokens(config.secretKey, config.publicUrl), inject: [APP_CONFIG] },
    JourneyEngine,
    JourneyTriggers,
    CareMailer,
    JourneyScheduler,
    JourneysListener,
    JourneysService,
    UnsubscribeService,
    Customer360Service,
  ],
  exports: [JourneyEngine, CareMailer],
})
export class JourneysModule {}
