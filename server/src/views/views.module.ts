import { Module } from '@nestjs/common';
import { ViewCountsListener } from './view-counts.listener';
import { TicketsModule } from '../tickets/tickets.module';
import { SavedViewRepository } from './saved-view.repository';
import { ViewCountsService } from './view-counts.service';
import { ViewsController } from './views.controller';
import { ViewsService } from './views.service';

/** Saved views and the sidebar's view counts. */
@Module({
  imports: [TicketsModule],
  controllers: [ViewsController],
  providers: [SavedViewRepository, ViewsService, ViewCountsService, ViewCountsListener],
})
export class ViewsModule {}
