import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UsersModule } from '../users/users.module';
import { NotificationMailer } from './notification-mailer';
import { NotificationRepository } from './notification.repository';
import { NotificationsController } from './notifications.controller';
import { NotificationsListener } from './notifications.listener';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [TicketsModule, UsersModule, MailModule, OutboxModule],
  controllers: [NotificationsController],
  providers: [NotificationRepository, NotificationsService, NotificationsListener, NotificationMailer],
  exports: [NotificationsService],
})
export class NotificationsModule {}
