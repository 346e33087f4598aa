import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  LEAD_NOTIFICATION_KINDS,
  type NotificationDto,
  type NotificationKind,
  type NotificationListDto,
  type NotificationPreferences,
} from '../../../contracts/notifications';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { OutboxService } from '../outbox/outbox.service';
import { mayReadTicket } from '../tickets/ticket-access';
import { TicketRepository } from '../tickets/ticket.repository';
import { UserRepository } from '../users/user.repository';
import type { Notification } from './notification.entity';
import { NotificationRepository, type NewNotification, type Recipient } from './notification.repository';

export const NOTIFICATION_EMAIL_QUEUE = 'notifications.email';
export interface NotificationEmailJob {
  notificationIds: string[];
}

/** Something worth telling someone, before it is checked against their access and choices. */
export interface NotificationCandidate {
  userId: string;
  kind: NotificationKind;
  ticketId: string;
  /** What raised it; the same cause never notifies the same person twice. */
  dedupeKey: string;
  actorName: string | null;
  excerpt: string | null;
}

export function preferencesOf(stored: Partial<NotificationPreferences>): NotificationPreferences {
  return { ...DEFAULT_NOTIFICATION_PREFERENCES, ...stored };
}

export function toNotificationDto(notification: Notification): NotificationDto {
  const { data } = notification;
  return {
    id: notification.id,
    kind: notification.kind,
    ticketId: notification.ticketId,
    ticketNumber: data.ticketNumber ?? null,
    ticketSubject: data.ticketSubject ?? null,
    actorName: data.actorName ?? null,
    excerpt: data.excerpt ?? null,
    readAt: notification.readAt?.toISOString() ?? null,
    createdAt: notification.createdAt.toISOString(),
  };
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly tickets: TicketRepository,
    private readonly users: UserRepository,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(userId: string, unreadOnly: boolean, limit: number): Promise<NotificationListDto> {
    const [items, unreadCount] = await Promise.all([this.notifications.list(userId, unreadOnly, limit), this.notifications.unreadCount(userId)]);
    return { items: items.map(toNotificationDto), unreadCount };
  }

  async get(ids: string[]): Promise<NotificationDto[]> {
    return (await this.notifications.findByIds(ids)).map(toNotificationDto);
  }

  markRead(userId: string, ids: string[] | 'all'): Promise<void> {
    return this.notifications.markRead(userId, ids, this.clock.now());
  }

  async preferences(userId: string): Promise<NotificationPreferences> {
    return preferencesOf((await this.notifications.recipients([userId])).get(userId)?.preferences ?? {});
  }

  async updatePreferences(userId: string, preferences: NotificationPreferences): Promise<NotificationPreferences> {
    await this.users.save({ id: userId, notificationPreferences: preferences });
    return this.preferences(userId);
  }

  /**
   * Records the candidates each person should get: active, able to see the ticket (the ticket access rule),
   * a lead for lead kinds, and not having muted the kind. One transaction records them with their
   * `notification.created` events and, for people away who asked for it, the email job; candidates recorded
   * before (a redelivered event) are skipped.
   */
  async record(candidates: NotificationCandidate[]): Promise<void> {
    if (candidates.length === 0) return;
    const [recipients, tickets, privateTeamIds] = await Promise.all([
      this.notifications.recipients(candidates.map((candidate) => candidate.userId)),
      this.tickets.findByIds([...new Set(candidates.map((candidate) => candidate.ticketId))]),
      this.users.privateTeamIds(),
    ]);
    const ticketsById = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    const rows: NewNotification[] = candidates.flatMap((candidate) => {
      const recipient = recipients.get(candidate.userId);
      const ticket = ticketsById.get(candidate.ticketId);
      if (!recipient || !ticket || !this.wants(recipient, candidate.kind) || !mayReadTicket(recipient, ticket, privateTeamIds)) return [];
      return [
        {
          userId: recipient.id,
          kind: candidate.kind,
          ticketId: ticket.id,
          dedupeKey: candidate.dedupeKey,
          data: { ticketNumber: ticket.number, ticketSubject: ticket.subject, actorName: candidate.actorName, excerpt: candidate.excerpt },
        },
      ];
    });
    if (rows.length === 0) return;
    await this.outbox.transaction(async (manager, raise) => {
      const inserted = await this.notifications.insertNew(rows, manager);
      for (const { id, userId } of inserted) raise({ name: 'notification.created', payload: { userId, notificationId: id } });
      const toEmail = inserted.filter(({ userId, kind }) => this.emailsNow(recipients.get(userId), kind)).map(({ id }) => id);
      if (toEmail.length) await this.jobs.send<NotificationEmailJob>(NOTIFICATION_EMAIL_QUEUE, { notificationIds: toEmail }, { manager });
    });
  }

  private wants(recipient: Recipient, kind: NotificationKind): boolean {
    if ((LEAD_NOTIFICATION_KINDS as readonly NotificationKind[]).includes(kind) && recipient.role !== 'lead' && recipient.role !== 'admin') return false;
    return !preferencesOf(recipient.preferences).muted.includes(kind);
  }

  /** Mentions and assignments reach people who are not at their desk by email too, if they asked for it. */
  private emailsNow(recipient: Recipient | undefined, kind: NotificationKind): boolean {
    if (!recipient || recipient.availability === 'available') return false;
    return (preferencesOf(recipient.preferences).emailWhenAway as NotificationKind[]).includes(kind);
  }

  /** Where a notification's email links to. */
  ticketLink(ticketId: string): string {
    return `${this.config.publicUrl}/#/inbox/open/${ticketId}`;
  }
}
