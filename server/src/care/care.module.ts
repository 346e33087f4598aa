import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { CareListener } from './care.listener';
import { InitiativeRepository } from './initiative.repository';
import { InitiativesController } from './initiatives.controller';
import { InitiativesService } from './initiatives.service';

/** Care initiatives: the board that turns signals into fixes, and the measure of whether they worked. */
@Module({
  imports: [OutboxModule, TicketsModule, UsersModule],
  controllers: [InitiativesController],
  providers: [InitiativeRepository, InitiativesService, CareListener],
  exports: [InitiativesService],
})
export class CareModule {}
