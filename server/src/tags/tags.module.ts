import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { TagSettingsRepository } from './tag-settings.repository';
import { TagRepository } from './tag.repository';
import { TagsController } from './tags.controller';
import { TagsService } from './tags.service';

/** Tags and their settings. Suggestions and signals, which need tickets, live in TagInsightsModule. */
@Module({
  imports: [OutboxModule],
  controllers: [TagsController],
  providers: [TagRepository, TagSettingsRepository, TagsService],
  exports: [TagRepository, TagSettingsRepository, TagsService],
})
export class TagsModule {}
