import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationKind } from '../../../contracts/notifications';
import { Clock } from '../common/clock';
import { JobsService } from '../jobs/jobs.service';
import { SystemMailer } from '../mail/outbound/system-mailer';
import type { Notification } from './notification.entity';
import { NotificationRepository } from './notification.repository';
import { NOTIFICATION_EMAIL_QUEUE, NotificationsService, type NotificationEmailJob } from './notifications.service';

const ticketLabel = (notification: Notification) => `#${notification.data.ticketNumber ?? ''} ${notification.data.ticketSubject ?? ''}`.trim();

const SUBJECTS: Partial<Record<NotificationKind, (ticket: string) => string>> = {
  assigned: (ticket) => `Assigned to you: ${ticket}`,
  mentioned: (ticket) => `You were mentioned on ${ticket}`,
};

/**
 * Emails the notifications of people who are away and asked for them. Each notification is claimed with
 * SKIP LOCKED and marked emailed in the same transaction, so a retried job sends only what is left.
 */
@Injectable()
export class NotificationMailer implements OnModuleInit {
  private readonly logger = new Logger('NotificationMailer');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: NotificationRepository,
    private readonly notifications: NotificationsService,
    private readonly mailer: SystemMailer,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.register<NotificationEmailJob>(NOTIFICATION_EMAIL_QUEUE, { retryLimit: 5, retryDelaySeconds: 30 }, ({ notificationIds }) => this.send(notificationIds));
  }

  async send(notificationIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const claimed = await this.repository.claimUnemailed(notificationIds, manager);
      const recipients = await this.repository.recipients(claimed.map((notification) => notification.userId));
      const sent: string[] = [];
      for (const notification of claimed) {
        const recipient = recipients.get(notification.userId);
        if (!recipient) continue;
        const result = await this.mailer.send({ to: recipient.email, subject: this.subject(notification), text: this.text(notification, recipient.name) });
        if (result.sent) sent.push(notification.id);
        else this.logger.warn(`notification ${notification.id} was not emailed: ${result.error}`);
      }
      await this.repository.markEmailed(sent, this.clock.now(), manager);
    });
  }

  private subject(notification: Notification): string {
    return (SUBJECTS[notification.kind] ?? ((ticket: string) => ticket))(ticketLabel(notification));
  }

  private text(notification: Notification, name: string): string {
    const who = notification.data.actorName ?? 'Someone';
    const what = notification.kind === 'mentioned' ? `${who} mentioned you in an internal note on` : `${who} assigned you`;
    const lines = [`Hello ${name},`, '', `${what} ${ticketLabel(notification)}.`];
    if (notification.data.excerpt) lines.push('', `> ${notification.data.excerpt}`);
    if (notification.ticketId) lines.push('', `Open it: ${this.notifications.ticketLink(notification.ticketId)}`);
    lines.push('', 'You get these emails while you are away; change that on your profile page in Careloop.');
    return lines.join('\n');
  }
}
