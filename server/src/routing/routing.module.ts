import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { MacrosModule } from '../macros/macros.module';
import { MailModule } from '../mail/mail.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { AssignmentService } from './assignment.service';
import { RoutingEngine } from './routing-engine.service';
import { RoutingController } from './routing.controller';
import { RoutingListener } from './routing.listener';
import { RoutingRepository } from './routing.repository';
import { RoutingScheduler } from './routing.scheduler';
import { RoutingService } from './routing.service';

/** Routing rules, assignment by availability and capacity with team queues, and time-based rules. */
@Module({
  imports: [TicketsModule, UsersModule, MacrosModule, MailModule, OutboxModule],
  controllers: [RoutingController],
  providers: [RoutingRepository, RoutingEngine, AssignmentService, RoutingService, RoutingListener, RoutingScheduler],
})
export class RoutingModule {}
