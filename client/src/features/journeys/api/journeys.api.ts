import type {
  CareSettingsDto,
  CreateFromPresetRequest,
  CreateJourneyRequest,
  JourneyDto,
  JourneyPresetDto,
  JourneyReviewDto,
  TestSendRequest,
  TestSendResultDto,
  UpdateCareSettingsRequest,
  UpdateJourneyRequest,
} from '../../../../../contracts/journeys';
import { api } from '../../../api/client';

export const journeyKeys = {
  all: ['journeys'] as const,
  list: ['journeys', 'list'] as const,
  presets: ['journeys', 'presets'] as const,
  settings: ['journeys', 'settings'] as const,
  journey: (id: string) => ['journeys', 'journey', id] as const,
  review: (key: string) => ['journeys', 'review', key] as const,
};

const path = (id: string) => `/journeys/${encodeURIComponent(id)}`;

export const fetchJourneys = () => api.get<JourneyDto[]>('/journeys');
export const fetchJourney = (id: string) => api.get<JourneyDto>(path(id));
export const fetchPresets = () => api.get<JourneyPresetDto[]>('/journeys/presets');
export const fetchPresetReview = (key: string) => api.get<JourneyReviewDto>(`/journeys/presets/${encodeURIComponent(key)}/review`);
export const createJourney = (journey: CreateJourneyRequest) => api.post<JourneyDto>('/journeys', journey);
export const updateJourney = (id: string, changes: UpdateJourneyRequest) => api.patch<JourneyDto>(path(id), changes);
export const deleteJourney = (id: string) => api.delete<void>(path(id));
export const activateJourney = (id: string) => api.post<JourneyDto>(`${path(id)}/activate`);
export const pauseJourney = (id: string) => api.post<JourneyDto>(`${path(id)}/pause`);
export const createFromPreset = (key: string, options: CreateFromPresetRequest) => api.post<JourneyDto>(`/journeys/presets/${encodeURIComponent(key)}`, options);
export const testSend = (id: string, request: TestSendRequest) => api.post<TestSendResultDto>(`${path(id)}/test-send`, request);

export const fetchCareSettings = () => api.get<CareSettingsDto>('/care/settings');
export const updateCareSettings = (changes: UpdateCareSettingsRequest) => api.patch<CareSettingsDto>('/care/settings', changes);
