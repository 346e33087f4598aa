import type { NotificationListDto, NotificationPreferences } from '../../../../../contracts/notifications';
import { api } from '../../../api/client';

export const notificationKeys = {
  list: ['notifications', 'list'] as const,
  preferences: ['notifications', 'preferences'] as const,
};

export const fetchNotifications = () => api.get<NotificationListDto>('/notifications', { limit: 30 });
export const markNotificationsRead = (ids: string[] | 'all') => api.post<void>('/notifications/read', { ids });
export const fetchNotificationPreferences = () => api.get<NotificationPreferences>('/notifications/preferences');
export const saveNotificationPreferences = (preferences: NotificationPreferences) => api.put<NotificationPreferences>('/notifications/preferences', preferences);
