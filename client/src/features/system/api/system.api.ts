import type { EventPipelineHealthDto, RetryDeadLettersDto } from '../../../../../contracts/system';
import { api } from '../../../api/client';

export const systemKeys = {
  events: ['system', 'events'] as const,
};

export const fetchEventHealth = () => api.get<EventPipelineHealthDto>('/system/events');
export const retryDeadLetters = (listener: string) => api.post<RetryDeadLettersDto>(`/system/events/listeners/${encodeURIComponent(listener)}/retry`);
