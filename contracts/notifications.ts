/**
 * In-app notifications: what a person is told about (assigned to them, a customer answered their ticket,
 * an @mention in a note; for leads SLA warnings, breaches and escalations of their teams), and each
 * person's choices per kind.
 */
import { z } from 'zod';

export const NOTIFICATION_KINDS = ['assigned', 'customer_replied', 'mentioned', 'sla_warning', 'sla_breached', 'escalated'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** The kinds only leads (and admins) receive. */
export const LEAD_NOTIFICATION_KINDS = ['sla_warning', 'sla_breached', 'escalated'] as const satisfies readonly NotificationKind[];
/** The kinds that may also go out by email while the person is away or offline. */
export const EMAIL_NOTIFICATION_KINDS = ['assigned', 'mentioned'] as const satisfies readonly NotificationKind[];
export type EmailNotificationKind = (typeof EMAIL_NOTIFICATION_KINDS)[number];

export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  ticketId: string | null;
  /** What the notification says, as recorded when it was raised (the ticket may change later). */
  ticketNumber: number | null;
  ticketSubject: string | null;
  /** Who caused it (the assigning agent, the writing customer, the mentioning agent); null for the system. */
  actorName: string | null;
  /** A short excerpt: the customer's message or the note. */
  excerpt: string | null;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationListDto {
  items: NotificationDto[];
  unreadCount: number;
}

export const NotificationQuerySchema = z.object({
  unread: z.stringbool().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(30),
});
export type NotificationQuery = z.input<typeof NotificationQuerySchema>;

export const MarkNotificationsReadSchema = z.object({ ids: z.union([z.array(z.uuid()).min(1).max(500), z.literal('all')]) });
export type MarkNotificationsReadRequest = z.infer<typeof MarkNotificationsReadSchema>;

/** Each person's choices; kinds not muted are shown in the app. Desktop notifications also need the browser's permission. */
export const NotificationPreferencesSchema = z.object({
  muted: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  emailWhenAway: z.array(z.enum(EMAIL_NOTIFICATION_KINDS)).max(EMAIL_NOTIFICATION_KINDS.length),
  desktop: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = { muted: [], emailWhenAway: [], desktop: false };
