import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuthModule } from '../auth/auth.module';
import { CareModule } from '../care/care.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { PresenceService } from './presence.service';
import { RealtimeEventRepository } from './realtime-event.repository';
import { RealtimeLog } from './realtime-log.service';
import { RealtimeSender } from './realtime-sender';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeListener } from './realtime.listener';
import { ReportsSignalListener } from './reports-signal.listener';

/** Live updates: the Socket.IO gateway, the room policy, presence and the replayable realtime log. */
@Module({
  imports: [AuthModule, UsersModule, TicketsModule, CareModule, NotificationsModule],
  providers: [RealtimeGateway, RealtimeListener, ReportsSignalListener, RealtimeSender, RealtimeLog, RealtimeEventRepository, PresenceService],
})
export class RealtimeModule {}
