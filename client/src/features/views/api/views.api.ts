import type { CreateSavedViewRequest, SavedViewDto, UpdateSavedViewRequest, ViewCountsDto } from '../../../../../contracts/views';
import { api } from '../../../api/client';

export const viewKeys = {
  all: ['views'] as const,
  saved: ['views', 'saved'] as const,
  counts: ['views', 'counts'] as const,
};

export const fetchSavedViews = () => api.get<SavedViewDto[]>('/views');
export const createSavedView = (view: CreateSavedViewRequest) => api.post<SavedViewDto>('/views', view);
export const updateSavedView = (id: string, changes: UpdateSavedViewRequest) => api.patch<SavedViewDto>(`/views/${encodeURIComponent(id)}`, changes);
export const deleteSavedView = (id: string) => api.delete<void>(`/views/${encodeURIComponent(id)}`);
export const fetchViewCounts = () => api.get<ViewCountsDto>('/views/counts');
