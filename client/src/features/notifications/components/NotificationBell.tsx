import { useEffect, useRef, useState } from 'react';
import type { NotificationDto } from '../../../../../contracts/notifications';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatRelativeTime } from '../../../lib/format';
import { useNow } from '../../../lib/hooks';
import { navigate } from '../../../routes';
import { useMarkNotificationsRead, useNotificationPreferences, useNotifications, useUnreadTitle } from '../hooks/useNotifications';
import { notificationHeadline, notificationTicketLabel } from '../notificationText';
import '../notifications.css';

/** The bell in the header: unread count, and a list to open tickets from and mark read. */
export function NotificationBell() {
  const notifications = useNotifications();
  // Loaded here so a pushed notification knows whether to show on the desktop.
  useNotificationPreferences();
  const markRead = useMarkNotificationsRead();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const unread = notifications.data?.unreadCount ?? 0;
  useUnreadTitle(unread);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const openTicket = (notification: NotificationDto) => {
    if (!notification.readAt) markRead.mutate([notification.id]);
    setOpen(false);
    if (notification.ticketId) navigate({ page: 'inbox', view: 'open', ticketId: notification.ticketId });
  };

  return (
    <div className="notification-bell" ref={root}>
      <button
        type="button"
        className="app-header__icon-button notification-bell__button"
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        data-testid="notification-bell"
        onClick={() => setOpen((value) => !value)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {unread > 0 && (
          <span className="notification-bell__count" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <section className="notification-panel" aria-label="Notifications" data-testid="notification-panel">
          <header className="notification-panel__header">
            <h2>Notifications</h2>
            <button type="button" className="button button--small button--quiet" disabled={unread === 0} onClick={() => markRead.mutate('all')} data-testid="notifications-read-all">
              Mark all read
            </button>
          </header>
          {notifications.isPending && <p className="notification-panel__empty muted">Loading…</p>}
          {notifications.isError && <ErrorNotice error={notifications.error} onRetry={() => void notifications.refetch()} />}
          {notifications.data?.items.length === 0 && <p className="notification-panel__empty muted">Nothing yet. You will hear here when a ticket is assigned to you, a customer answers or someone mentions you.</p>}
          <NotificationList items={notifications.data?.items ?? []} onOpen={openTicket} />
          <a className="notification-panel__settings" href="#/settings/profile" onClick={() => setOpen(false)}>
            Choose what you are told
          </a>
        </section>
      )}
    </div>
  );
}

function NotificationList({ items, onOpen }: { items: NotificationDto[]; onOpen: (notification: NotificationDto) => void }) {
  const now = useNow(30_000);
  if (items.length === 0) return null;
  return (
    <ul className="notification-panel__list">
      {items.map((notification) => (
        <li key={notification.id}>
          <button type="button" className="notification-item" data-unread={notification.readAt === null} data-kind={notification.kind} data-testid="notification-item" onClick={() => onOpen(notification)}>
            <span className="notification-item__headline">{notificationHeadline(notification)}</span>
            <span className="notification-item__ticket">{notificationTicketLabel(notification)}</span>
            {notification.excerpt && <span className="notification-item__excerpt muted">{notification.excerpt}</span>}
            <time className="notification-item__time muted" dateTime={notification.createdAt}>
              {formatRelativeTime(notification.createdAt, now)}
            </time>
          </button>
        </li>
      ))}
    </ul>
  );
}
