import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { NotificationDto, NotificationListDto, NotificationPreferences } from '../../../../../contracts/notifications';
import { fetchNotificationPreferences, fetchNotifications, markNotificationsRead, notificationKeys, saveNotificationPreferences } from '../api/notifications.api';
import { showDesktopNotification } from '../desktopNotifications';

/** Without a live connection (pages that do not open one) the bell still catches up now and then. */
const POLL_MS = 60_000;
const TITLE = 'Careloop';

export function useNotifications() {
  return useQuery({ queryKey: notificationKeys.list, queryFn: fetchNotifications, refetchInterval: POLL_MS });
}

export function useNotificationPreferences() {
  return useQuery({ queryKey: notificationKeys.preferences, queryFn: fetchNotificationPreferences, staleTime: Infinity });
}

export function useSaveNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveNotificationPreferences,
    onSuccess: (saved) => queryClient.setQueryData(notificationKeys.preferences, saved),
  });
}

export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onMutate: (ids) => {
      const readAt = new Date().toISOString();
      queryClient.setQueryData<NotificationListDto>(notificationKeys.list, (list) => {
        if (!list) return list;
        const marks = (item: NotificationDto) => item.readAt === null && (ids === 'all' || ids.includes(item.id));
        const newlyRead = list.items.filter(marks).length;
        return { items: list.items.map((item) => (marks(item) ? { ...item, readAt } : item)), unreadCount: ids === 'all' ? 0 : Math.max(0, list.unreadCount - newlyRead) };
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list }),
  });
}

/** A pushed (or replayed) notification: to the top of the list, and to the desktop when the person opted in. */
export function applyNotification(queryClient: QueryClient, notification: NotificationDto): void {
  let isNew = false;
  queryClient.setQueryData<NotificationListDto>(notificationKeys.list, (list) => {
    if (!list || list.items.some((item) => item.id === notification.id)) return list;
    isNew = true;
    return { items: [notification, ...list.items], unreadCount: list.unreadCount + (notification.readAt ? 0 : 1) };
  });
  if (!queryClient.getQueryData(notificationKeys.list)) void queryClient.invalidateQueries({ queryKey: notificationKeys.list });
  const preferences = queryClient.getQueryData<NotificationPreferences>(notificationKeys.preferences);
  if (isNew && preferences?.desktop) showDesktopNotification(notification);
}

/** The unread count in the browser tab's title, so it shows from another tab. */
export function useUnreadTitle(unreadCount: number): void {
  useEffect(() => {
    document.title = unreadCount > 0 ? `(${unreadCount}) ${TITLE}` : TITLE;
    return () => {
      document.title = TITLE;
    };
  }, [unreadCount]);
}
