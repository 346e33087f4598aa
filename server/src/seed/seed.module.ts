import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { OutboxModule } from '../outbox/outbox.module';
import { SurveysModule } from '../reports/surveys/surveys.module';
import { TicketsModule } from '../tickets/tickets.module';
import { SeedService } from './seed.service';

@Module({ imports: [TicketsModule, OutboxModule, CustomersModule, SurveysModule], providers: [SeedService] })
export class SeedModule {}
