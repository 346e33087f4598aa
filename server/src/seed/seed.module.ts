import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { TicketsModule } from '../tickets/tickets.module';
import { SeedService } from './seed.service';

@Module({ imports: [TicketsModule, OutboxModule], providers: [SeedService] })
export class SeedModule {}
