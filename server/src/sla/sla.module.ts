import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { SlaController, TicketSlaController } from './sla.controller';
import { SlaEngine } from './sla-engine.service';
import { SlaListener } from './sla.listener';
import { SlaPoliciesService } from './sla-policies.service';
import { SlaReportsService } from './sla-reports.service';
import { SlaRepository } from './sla.repository';
import { SlaScheduler } from './sla-scheduler';

/** SLA policies, business calendars and the engine that keeps every ticket's targets and fires warnings and breaches. */
@Module({
  imports: [TicketsModule, UsersModule, OutboxModule],
  controllers: [SlaController, TicketSlaController],
  providers: [SlaRepository, SlaEngine, SlaListener, SlaScheduler, SlaPoliciesService, SlaReportsService],
  exports: [SlaEngine],
})
export class SlaModule {}
