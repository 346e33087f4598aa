import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SeedService } from './seed.service';

@Module({ imports: [TicketsModule], providers: [SeedService] })
export class SeedModule {}
