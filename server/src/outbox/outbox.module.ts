import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventPipeline } from './event-pipeline';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/** Domain events: published with the change that caused them, delivered to every listener once, and their health. */
@Module({
  imports: [DiscoveryModule],
  controllers: [SystemController],
  providers: [OutboxRepository, EventPipeline, OutboxService, SystemService],
  exports: [EventPipeline, OutboxService],
})
export class OutboxModule {}
