import type {
  AgentsReportDto,
  OverviewDto,
  ReportSettingsDto,
  ReportTicketsDto,
  ResolutionDto,
  ResponseTimesDto,
  SatisfactionReportDto,
  SlaAchievementDto,
  UpdateReportSettingsRequest,
  VolumeDto,
} from '../../../../../contracts/reports';
import { api } from '../../../api/client';

/** Period, filters and drill-down as the URL and the API carry them. */
export type ReportParams = Record<string, string>;

export const reportKeys = {
  all: ['reports'] as const,
  report: (name: string, params: ReportParams) => ['reports', name, params] as const,
  settings: ['reports', 'settings'] as const,
};

export interface ReportResponses {
  overview: OverviewDto;
  volume: VolumeDto;
  'response-times': ResponseTimesDto;
  resolution: ResolutionDto;
  sla: SlaAchievementDto;
  satisfaction: SatisfactionReportDto;
  agents: AgentsReportDto;
  tickets: ReportTicketsDto;
}

export const fetchReport = <K extends keyof ReportResponses>(name: K, params: ReportParams) => api.get<ReportResponses[K]>(`/reports/${name}`, params);
export const fetchReportSettings = () => api.get<ReportSettingsDto>('/reports/settings');
export const voidAnswer = (id: string, reason: string) => api.post<void>(`/surveys/answers/${encodeURIComponent(id)}/void`, { reason });

/** The CSV download link of a table with the page's period and filters. */
export function exportUrl(table: string, params: ReportParams): string {
  const search = new URLSearchParams(Object.entries(params).filter(([key, value]) => value !== '' && key !== 'metric')).toString();
  return `/api/reports/export/${table}${search ? `?${search}` : ''}`;
}

export const updateReportSettings = (changes: UpdateReportSettingsRequest) => api.patch<ReportSettingsDto>('/reports/settings', changes);
