import type { NotificationDto } from '../../../../contracts/notifications';
import { navigate } from '../../routes';
import { notificationHeadline, notificationTicketLabel } from './notificationText';

/** Whether this browser offers desktop notifications at all. */
export const desktopNotificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

/** Asks the browser for permission (it must follow a click); resolves whether desktop notifications may show. */
export async function requestDesktopPermission(): Promise<boolean> {
  if (!desktopNotificationsSupported()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows a desktop notification while the tab is not in front; clicking it opens the ticket. */
export function showDesktopNotification(notification: NotificationDto): void {
  if (!desktopNotificationsSupported() || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
  const shown = new Notification(notificationHeadline(notification), { body: notificationTicketLabel(notification), tag: notification.id });
  shown.onclick = () => {
    window.focus();
    if (notification.ticketId) navigate({ page: 'inbox', view: 'open', ticketId: notification.ticketId });
    shown.close();
  };
}
