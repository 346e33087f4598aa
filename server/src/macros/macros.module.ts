import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { MacroRepository } from './macro.repository';
import { MacrosController, TicketMacrosController } from './macros.controller';
import { MacrosService } from './macros.service';
import { TicketActionsService } from './ticket-actions.service';
import { TicketContextRepository } from './ticket-context.repository';

/** Reply templates with actions, and the action runner routing rules share. */
@Module({
  imports: [TicketsModule, UsersModule, OutboxModule],
  controllers: [MacrosController, TicketMacrosController],
  providers: [MacroRepository, MacrosService, TicketActionsService, TicketContextRepository],
  exports: [MacroRepository, MacrosService, TicketActionsService, TicketContextRepository],
})
export class MacrosModule {}
