import { useQuery } from '@tanstack/react-query';
import type { DrillDownRequest, MetricsPeriodQuery } from '../../../../../contracts/care-metrics';
import { careMetricsKeys, fetchChurn, fetchCohorts, fetchCycle1, fetchDrillDown, fetchJourneyEffects, fetchNps, fetchPrevented } from '../api/careMetrics.api';

export const useChurn = (period: MetricsPeriodQuery) => useQuery({ queryKey: careMetricsKeys.churn(period), queryFn: () => fetchChurn(period) });
export const useCohorts = (period: MetricsPeriodQuery) => useQuery({ queryKey: careMetricsKeys.cohorts(period), queryFn: () => fetchCohorts(period) });
export const useCycle1 = (period: MetricsPeriodQuery) => useQuery({ queryKey: careMetricsKeys.cycle1(period), queryFn: () => fetchCycle1(period) });
export const useNps = (period: MetricsPeriodQuery) => useQuery({ queryKey: careMetricsKeys.nps(period), queryFn: () => fetchNps(period) });
export const useJourneyEffects = () => useQuery({ queryKey: careMetricsKeys.journeys, queryFn: fetchJourneyEffects });
export const usePrevented = () => useQuery({ queryKey: careMetricsKeys.prevented, queryFn: fetchPrevented });
export const useDrillDown = (query: DrillDownRequest | null) =>
  useQuery({ queryKey: careMetricsKeys.drillDown(query ?? { figure: 'active' }), queryFn: () => fetchDrillDown(query ?? { figure: 'active' }), enabled: query !== null });
