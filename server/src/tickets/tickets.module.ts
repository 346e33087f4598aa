import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { SlaSummaryRepository } from '../sla/sla-summary.repository';
import { TagsModule } from '../tags/tags.module';
import { UsersModule } from '../users/users.module';
import { SearchIndexListener } from './search-index.listener';
import { SearchIndexRepository } from './search-index.repository';
import { TicketRepository } from './ticket.repository';
import { AttachmentsController, TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UsersModule, TagsModule, OutboxModule],
  controllers: [TicketsController, AttachmentsController],
  providers: [TicketRepository, TicketsService, SlaSummaryRepository, SearchIndexRepository, SearchIndexListener],
  exports: [TicketRepository, TicketsService, SearchIndexRepository],
})
export class TicketsModule {}
