import { Module } from '@nestjs/common';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** Domain events recorded with the change that caused them, and their delivery. */
@Module({
  providers: [OutboxRepository, OutboxDispatcher, OutboxService],
  exports: [OutboxRepository, OutboxDispatcher, OutboxService],
})
export class OutboxModule {}
