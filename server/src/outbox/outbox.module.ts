import { Module } from '@nestjs/common';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxRepository } from './outbox.repository';

/** Domain events recorded with the change that caused them, and their delivery. */
@Module({
  providers: [OutboxRepository, OutboxDispatcher],
  exports: [OutboxRepository, OutboxDispatcher],
})
export class OutboxModule {}
