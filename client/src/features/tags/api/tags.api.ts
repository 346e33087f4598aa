import type { TagDto } from '../../../../../contracts/api';
import type { MergeTagResultDto, TagModelStatusDto, TagSettingsDto, TagSuggestionDto, TicketFlagDto, UpdateTagSettingsRequest } from '../../../../../contracts/care';
import type { UpdateTagRequest } from '../../../../../contracts/api';
import { api, apiRequest } from '../../../api/client';

export const tagKeys = {
  settings: ['tags', 'settings'] as const,
  suggestions: (ticketId: string) => ['tags', 'suggestions', ticketId] as const,
  flag: (ticketId: string) => ['tags', 'flag', ticketId] as const,
  model: ['tags', 'model'] as const,
};

const ticketPath = (ticketId: string) => `/tickets/${encodeURIComponent(ticketId)}`;

export const fetchSuggestions = (ticketId: string) => api.get<TagSuggestionDto[]>(`${ticketPath(ticketId)}/tag-suggestions`);
export const decideSuggestion = (ticketId: string, tagId: string, decision: 'accept' | 'reject') =>
  api.post<TagSuggestionDto[]>(`${ticketPath(ticketId)}/tag-suggestions/${encodeURIComponent(tagId)}/${decision}`);
export const fetchFlag = (ticketId: string) => api.get<TicketFlagDto>(`${ticketPath(ticketId)}/flag`);
export const setFlag = (ticketId: string, flagged: boolean) =>
  flagged ? api.post<TicketFlagDto>(`${ticketPath(ticketId)}/flag`, {}) : apiRequest<TicketFlagDto>('DELETE', `${ticketPath(ticketId)}/flag`);

export const fetchTagSettings = () => api.get<TagSettingsDto>('/tags/settings');
export const updateTagSettings = (changes: UpdateTagSettingsRequest) => api.patch<TagSettingsDto>('/tags/settings', changes);
export const updateTag = (id: string, changes: UpdateTagRequest) => api.patch<TagDto>(`/tags/${encodeURIComponent(id)}`, changes);
export const mergeTag = (id: string, intoTagId: string) => api.post<MergeTagResultDto>(`/tags/${encodeURIComponent(id)}/merge`, { intoTagId });
export const fetchTagModel = () => api.get<TagModelStatusDto>('/tag-suggestions/model');
/** Queues a training on the job engine (off the request thread); the model status shows when it is done. */
export const retrainTagModel = () => api.post<void>('/tag-suggestions/model/retrain', {});
