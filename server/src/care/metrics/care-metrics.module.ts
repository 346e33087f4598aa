import { Module } from '@nestjs/common';
import { TicketsModule } from '../../tickets/tickets.module';
import { CareModule } from '../care.module';
import { CareMetricsController } from './care-metrics.controller';
import { CareMetricsRepository } from './care-metrics.repository';
import { CareMetricsService } from './care-metrics.service';

/** Whether care pays off: churn, retention cohorts, the cycle-1 question, journeys' effect, tickets prevented. */
@Module({
  imports: [CareModule, TicketsModule],
  controllers: [CareMetricsController],
  providers: [CareMetricsRepository, CareMetricsService],
})
export class CareMetricsModule {}
