import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchCareSettings, fetchJourney, fetchJourneys, fetchPresets, journeyKeys } from '../api/journeys.api';

/** Figures move while journeys run: lists refresh every half minute. */
const FIGURES_REFRESH_MS = 30_000;

export function useJourneys() {
  return useQuery({ queryKey: journeyKeys.list, queryFn: fetchJourneys, refetchInterval: FIGURES_REFRESH_MS });
}

export function useJourney(id: string) {
  return useQuery({ queryKey: journeyKeys.journey(id), queryFn: () => fetchJourney(id), refetchInterval: FIGURES_REFRESH_MS });
}

export function usePresets() {
  return useQuery({ queryKey: journeyKeys.presets, queryFn: fetchPresets });
}

export function useCareSettings() {
  return useQuery({ queryKey: journeyKeys.settings, queryFn: fetchCareSettings });
}

/** A change to journeys or care settings; every journey view refetches afterwards. */
export function useJourneyChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => queryClient.invalidateQueries({ queryKey: journeyKeys.all }) });
}
