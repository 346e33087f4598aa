import { Module } from '@nestjs/common';
import { TagInsightsListener } from './tag-insights.listener';
import { OutboxModule } from '../outbox/outbox.module';
import { TicketsModule } from '../tickets/tickets.module';
import { SignalsRepository } from './signals/signals.repository';
import { SignalsService } from './signals/signals.service';
import { TicketClustersRepository } from './signals/ticket-clusters.repository';
import { TicketFlagsRepository } from './signals/ticket-flags.repository';
import { TagSuggestionsRepository } from './suggestions/tag-suggestions.repository';
import { TagSuggestionsService } from './suggestions/tag-suggestions.service';
import { SignalsController, TagSuggestionAdminController, TicketInsightsController } from './tag-insights.controller';
import { TagInsightsJobs } from './tag-insights.jobs';
import { TagsModule } from './tags.module';
import { TicketTextRepository } from './ticket-text.repository';

/**
 * What the team's tagging teaches: suggestions for arriving tickets, keyword rules, clusters of untagged tickets,
 * "this keeps happening" flags and the signals read from the rollups. Separate from TagsModule, which tickets
 * depend on, because this side depends on tickets.
 */
@Module({
  imports: [OutboxModule, TagsModule, TicketsModule],
  controllers: [TicketInsightsController, SignalsController, TagSuggestionAdminController],
  providers: [
    TicketTextRepository,
    TagSuggestionsRepository,
    TagSuggestionsService,
    SignalsRepository,
    SignalsService,
    TicketClustersRepository,
    TicketFlagsRepository,
    TagInsightsJobs,
    TagInsightsListener,
  ],
  exports: [SignalsService],
})
export class TagInsightsModule {}
