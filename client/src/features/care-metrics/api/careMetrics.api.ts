import type { ChurnDto, CohortsDto, Cycle1Dto, DrillDownDto, DrillDownRequest, JourneyEffectsDto, MetricsPeriodQuery, NpsDto, TicketsPreventedDto } from '../../../../../contracts/care-metrics';
import { api } from '../../../api/client';

export const careMetricsKeys = {
  all: ['care-metrics'] as const,
  churn: (period: MetricsPeriodQuery) => ['care-metrics', 'churn', period] as const,
  cohorts: (period: MetricsPeriodQuery) => ['care-metrics', 'cohorts', period] as const,
  cycle1: (period: MetricsPeriodQuery) => ['care-metrics', 'cycle1', period] as const,
  nps: (period: MetricsPeriodQuery) => ['care-metrics', 'nps', period] as const,
  journeys: ['care-metrics', 'journeys'] as const,
  prevented: ['care-metrics', 'prevented'] as const,
  drillDown: (query: DrillDownRequest) => ['care-metrics', 'drill-down', query] as const,
};

const asQuery = (query: object): Record<string, string> => Object.fromEntries<string>(Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])));

export const fetchChurn = (period: MetricsPeriodQuery) => api.get<ChurnDto>('/care/metrics/churn', asQuery(period));
export const fetchCohorts = (period: MetricsPeriodQuery) => api.get<CohortsDto>('/care/metrics/cohorts', asQuery(period));
export const fetchCycle1 = (period: MetricsPeriodQuery) => api.get<Cycle1Dto>('/care/metrics/cycle1', asQuery(period));
export const fetchNps = (period: MetricsPeriodQuery) => api.get<NpsDto>('/care/metrics/nps', asQuery(period));
export const fetchJourneyEffects = () => api.get<JourneyEffectsDto>('/care/metrics/journeys');
export const fetchPrevented = () => api.get<TicketsPreventedDto>('/care/metrics/prevented');
export const fetchDrillDown = (query: DrillDownRequest) => api.get<DrillDownDto>('/care/metrics/drill-down', asQuery(query));

/** The same list as a CSV download (the session cookie authenticates the plain link). */
export const drillDownCsvHref = (query: DrillDownRequest) => `/api/care/metrics/drill-down?${new URLSearchParams(asQuery({ ...query, format: 'csv' })).toString()}`;
