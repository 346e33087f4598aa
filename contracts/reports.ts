/** Service reports: periods, filters, figures and settings. Shared by server and client. */
import { z } from 'zod';
import { TICKET_PRIORITIES, type TicketStatus } from './domain';
import type { TicketPageDto } from './api';
import type { SlaTargetKind } from './sla';
import type { SurveyAnswerDto } from './surveys';

export const UpdateReportSettingsSchema = z
  .object({
    workspaceName: z.string().trim().min(1).max(120),
    timeZone: z.string().trim().min(1).max(64),
    surveysEnabled: z.boolean(),
    surveyDelayHours: z.number().int().min(0).max(24 * 14),
    csatScale: z.enum(['good_bad', 'five']),
  })
  .partial();
export type UpdateReportSettingsRequest = z.input<typeof UpdateReportSettingsSchema>;
export interface ReportSettingsDto {
  workspaceName: string;
  timeZone: string;
  /** The rollups are being recut for a new time zone (a background job): until then days are cut in the previous one. */
  recutting: boolean;
  surveysEnabled: boolean;
  surveyDelayHours: number;
  csatScale: 'good_bad' | 'five';
}


const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A period (whole days in the workspace's time zone, `to` included) and the filters every report takes. */
const ReportFilterFields = z.object({
  from: z.string().regex(DAY, 'a day as YYYY-MM-DD').optional(),
  to: z.string().regex(DAY, 'a day as YYYY-MM-DD').optional(),
  teamId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  mailboxId: z.uuid().optional(),
  tagId: z.uuid().optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  plan: z.string().trim().min(1).max(200).optional(),
  /** Customers in their first billing cycle when the ticket arrived, or the others. */
  cycle: z.enum(['first', 'other']).optional(),
});
const periodInOrder = (query: { from?: string; to?: string }) => !query.from || !query.to || query.from <= query.to;
export const ReportQuerySchema = ReportFilterFields.refine(periodInOrder, { path: ['to'], message: 'must not be before from' });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** The numbers a drill-down can open: the tickets behind each figure and bar. */
export const DRILL_METRICS = [
  'created',
  'solved',
  'reopened',
  'unsolved',
  'first_reply',
  'next_reply',
  'no_reply',
  'resolution',
  'one_touch',
  'csat',
  'csat_good',
  'csat_bad',
  'sla_decided',
  'sla_met',
  'sla_breached',
] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

const DrillFields = ReportFilterFields.extend({
  metric: z.enum(DRILL_METRICS),
  /** One day of the period (a bar of a daily chart); for `unsolved`, the end of that day. */
  day: z.string().regex(DAY, 'a day as YYYY-MM-DD').optional(),
  /** One cell of the heatmap (ISO weekday 1–7, hour 0–23), with metric `created`. */
  weekday: z.coerce.number().int().min(1).max(7).optional(),
  hour: z.coerce.number().int().min(0).max(23).optional(),
  /** One bar of a time distribution: waits of at least / less than this many seconds. */
  minSeconds: z.coerce.number().int().min(0).optional(),
  maxSeconds: z.coerce.number().int().min(1).optional(),
  /** With the `sla_*` metrics: one target kind. */
  slaKind: z.enum(['first_reply', 'next_reply', 'resolution']).optional(),
});
export const ReportTicketsQuerySchema = DrillFields.refine(periodInOrder, { path: ['to'], message: 'must not be before from' });
export type ReportTicketsQuery = z.infer<typeof ReportTicketsQuerySchema>;

/** A page of a drill-down as the inbox lists it (the report's order: slowest or newest first). */
export const ReportTicketPageQuerySchema = DrillFields.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().regex(/^\d{1,7}$/, 'a cursor returned by this API').optional(),
}).refine(periodInOrder, { path: ['to'], message: 'must not be before from' });
export type ReportTicketPageQuery = z.infer<typeof ReportTicketPageQuerySchema>;

export interface ReportTicketPageDto extends TicketPageDto {
  /** How many tickets are behind the number in all; on the first page only (null after). */
  total: number | null;
}

/**
 * A drill-down opens in the inbox as a view whose id is this prefix and the drill's query string (metric,
 * period, filters, the bar's day or bucket, and `tab`: the report it came from, for the way back).
 */
export const REPORT_VIEW_PREFIX = 'report:';
export const reportViewId = (params: Record<string, string>) => `${REPORT_VIEW_PREFIX}${new URLSearchParams(Object.entries(params).filter(([, value]) => value !== '')).toString()}`;
export const reportViewParams = (viewId: string): Record<string, string> | null =>
  viewId.startsWith(REPORT_VIEW_PREFIX) ? Object.fromEntries(new URLSearchParams(viewId.slice(REPORT_VIEW_PREFIX.length))) : null;
/** A drill-down view's query for the reports API: its metric, period and filters, without `tab`. */
export const reportViewQuery = (viewId: string): Record<string, string> => Object.fromEntries(Object.entries(reportViewParams(viewId) ?? {}).filter(([key]) => key !== 'tab'));

export interface ReportPeriodDto {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  timeZone: string;
  /** As ReportSettingsDto.recutting: the figures' days may still be cut in the previous time zone. */
  recutting: boolean;
}

/** Median and 90th percentile of durations in seconds, over `count` values. */
export interface DurationStatDto {
  median: number | null;
  p90: number | null;
  count: number;
}

/** A headline figure with the previous period's and its daily trend; `goodWhen` says which way is better. */
export interface HeadlineDto {
  key: 'created' | 'solved' | 'backlog' | 'first_reply' | 'first_reply_business' | 'full_resolution' | 'one_touch' | 'csat' | 'sla';
  label: string;
  unit: 'count' | 'seconds' | 'percent';
  value: number | null;
  previous: number | null;
  goodWhen: 'up' | 'down';
  series: { day: string; value: number | null }[];
  drill: DrillMetric;
}

export interface OverviewDto {
  period: ReportPeriodDto;
  headlines: HeadlineDto[];
}

export interface VolumeDayDto {
  day: string;
  created: number;
  solved: number;
  reopened: number;
  /** Unsolved tickets at the end of the day. */
  backlog: number;
}

export interface VolumeDto {
  period: ReportPeriodDto;
  days: VolumeDayDto[];
  /** Tickets created by ISO weekday (1 = Monday) and hour, in the workspace's time zone. */
  heatmap: { weekday: number; hour: number; count: number }[];
}

export interface DistributionBucketDto {
  label: string;
  minSeconds: number;
  maxSeconds: number | null;
  count: number;
}

export interface ResponseTimesDto {
  period: ReportPeriodDto;
  firstReply: { calendar: DurationStatDto; business: DurationStatDto; previousCalendar: DurationStatDto; previousBusiness: DurationStatDto };
  nextReply: { calendar: DurationStatDto; business: DurationStatDto };
  distribution: DistributionBucketDto[];
  days: { day: string; firstReplyMedian: number | null; firstReplyBusinessMedian: number | null; replies: number }[];
  /** Tickets still without a first reply: "no reply yet, waiting N". */
  waiting: { count: number; oldest: { ticketId: string; number: number; subject: string; waitingSeconds: number }[] };
}

export interface ResolutionDto {
  period: ReportPeriodDto;
  firstResolution: DurationStatDto;
  fullResolution: DurationStatDto;
  repliesToResolve: DurationStatDto;
  oneTouch: { solved: number; oneTouch: number; percent: number | null };
  days: { day: string; solved: number; fullResolutionMedian: number | null; oneTouchPercent: number | null }[];
}

export interface SlaAchievementDto {
  period: ReportPeriodDto;
  /** `previousPercentMet`: the same kind in the period just before, for the comparison. */
  kinds: { kind: SlaTargetKind; total: number; met: number; breached: number; percentMet: number | null; previousPercentMet: number | null }[];
}

export interface SatisfactionReportDto {
  period: ReportPeriodDto;
  answers: number;
  good: number;
  bad: number;
  percentGood: number | null;
  previousPercentGood: number | null;
  surveysSent: number;
  /** Answers ÷ surveys sent in the period, in %. */
  responseRate: number | null;
  days: { day: string; answers: number; percentGood: number | null }[];
  /** Newest first, at most 200; voided answers are listed with their reason. */
  list: SurveyAnswerDto[];
}

export interface AgentRowDto {
  agentId: string | null;
  name: string;
  solved: number;
  replies: number;
  firstReplyMedian: number | null;
  csatPercent: number | null;
  csatAnswers: number;
  oneTouchPercent: number | null;
}

export interface AgentsReportDto {
  period: ReportPeriodDto;
  /** Leads and admins: every agent; agents: themselves; care owners: none (totals only). */
  rows: AgentRowDto[];
  totals: AgentRowDto;
}

export interface ReportTicketRowDto {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  teamName: string | null;
  assigneeName: string | null;
  createdAt: string;
  firstReplySeconds: number | null;
  firstReplyBusinessSeconds: number | null;
  fullResolutionSeconds: number | null;
  publicReplies: number;
  reopens: number;
  oneTouch: boolean | null;
  csatScore: number | null;
}

export interface ReportTicketsDto {
  tickets: ReportTicketRowDto[];
  /** All tickets behind the number; at most 500 are listed. */
  total: number;
}

export const REPORT_TABLES = ['volume', 'response-times', 'resolution', 'sla', 'satisfaction', 'agents', 'tickets'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];
