import type { NotificationDto, NotificationKind } from '../../../../contracts/notifications';

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  assigned: 'A ticket is assigned to me',
  customer_replied: 'A customer answers one of my tickets',
  mentioned: 'Someone @mentions me in a note',
  sla_warning: 'SLA warnings in my teams (leads)',
  sla_breached: 'SLA breaches in my teams (leads)',
  escalated: 'Escalations in my teams (leads)',
};

/** One line saying what happened, as a person would say it. */
export function notificationHeadline(notification: NotificationDto): string {
  const who = notification.actorName;
  switch (notification.kind) {
    case 'assigned':
      return who ? `${who} assigned you a ticket` : 'A ticket was assigned to you';
    case 'customer_replied':
      return `${who ?? 'The customer'} replied`;
    case 'mentioned':
      return `${who ?? 'Someone'} mentioned you`;
    case 'sla_warning':
      return 'SLA target due soon';
    case 'sla_breached':
      return 'SLA target breached';
    case 'escalated':
      return 'Ticket escalated';
  }
}

export function notificationTicketLabel(notification: NotificationDto): string {
  return [notification.ticketNumber !== null ? `#${notification.ticketNumber}` : null, notification.ticketSubject].filter(Boolean).join(' ');
}
