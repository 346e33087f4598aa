/** The care metrics: churn, active subscribers, retention cohorts, the cycle-1 question, journeys' effect, tickets prevented. */
import { z } from 'zod';
import { NPS_GROUPS, type NpsGroup } from './surveys';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

/** A period of whole months (UTC), `from` to `to` inclusive; the last 12 months when left out. */
const periodFields = { from: month.optional(), to: month.optional() };
const periodInOrder = (period: { from?: string; to?: string }) => !period.from || !period.to || period.from <= period.to;
export const MetricsPeriodSchema = z.object(periodFields).refine(periodInOrder, { path: ['from'], message: 'must not be after to' });
export type MetricsPeriodQuery = z.input<typeof MetricsPeriodSchema>;

/** An estimate and its 95% confidence interval. */
export interface IntervalDto {
  estimate: number;
  low: number;
  high: number;
}

export interface ChurnMonthDto {
  /** YYYY-MM */
  month: string;
  activeAtStart: number;
  started: number;
  cancelled: number;
  voluntary: number;
  involuntary: number;
  /** Cancellations that did not say whether the customer chose them. */
  unspecified: number;
  /** Cancellations ÷ active at the month's start; null without subscribers at the start. */
  churnRate: number | null;
  voluntaryRate: number | null;
  involuntaryRate: number | null;
  /** False for the running month: its numbers are still growing. */
  complete: boolean;
}
export interface ChurnDto {
  from: string;
  to: string;
  activeNow: number;
  months: ChurnMonthDto[];
}

export const RETENTION_DAYS = [30, 90, 180, 365] as const;
export type RetentionDay = (typeof RETENTION_DAYS)[number];
export interface CohortCellDto {
  day: RetentionDay;
  /** Subscribers of the cohort whose day has come; null while none has. */
  eligible: number;
  retained: number;
  share: number | null;
}
export interface CohortDto {
  /** YYYY-MM: the month their first subscription started. */
  month: string;
  size: number;
  cells: CohortCellDto[];
}
export interface CohortsDto {
  from: string;
  to: string;
  cohorts: CohortDto[];
}

export interface ChurnSplitDto {
  customers: number;
  churned: number;
  churnRate: number | null;
}
export interface Cycle1TagDto {
  tag: string;
  openers: ChurnSplitDto;
  /** Churn of openers with this tag minus churn of those who opened no ticket. */
  difference: IntervalDto | null;
}
export interface Cycle1Dto {
  from: string;
  to: string;
  /** Subscribers who started in the period and are at least 90 days past their start. */
  openers: ChurnSplitDto;
  others: ChurnSplitDto;
  /** Openers' 90-day churn minus the others'; null when a group is empty. */
  difference: IntervalDto | null;
  /** What the numbers say, in words. */
  verdict: string;
  byTag: Cycle1TagDto[];
}

export interface JourneyGroupDto {
  customers: number;
  churned: number;
  churnRate: number | null;
  tickets: number;
  ticketsPerCustomer: number | null;
}
export interface JourneyEffectDto {
  journeyId: string;
  journeyName: string;
  holdoutPercent: number;
  reached: JourneyGroupDto;
  heldOut: JourneyGroupDto;
  /** Reached minus held out; null when not enough data yet. */
  churnDifference: IntervalDto | null;
  ticketDifference: IntervalDto | null;
  /** What the numbers say, in words, including "not enough data yet". */
  verdict: string;
}
export interface JourneyEffectsDto {
  journeys: JourneyEffectDto[];
}

export interface InitiativePreventedDto {
  initiativeId: string;
  title: string;
  shippedAt: string;
  /** Tickets per 100 active subscribers a week before it shipped. */
  baselineRatePer100: number | null;
  expected: number;
  actual: number;
  /** Expected minus actual over the full weeks since it shipped; null before a full week has passed. */
  prevented: IntervalDto | null;
  weeksAfter: number;
}
export interface TicketsPreventedDto {
  initiatives: InitiativePreventedDto[];
  total: IntervalDto | null;
}

/** NPS answers of a month (or the whole period): promoters 9–10, passives 7–8, detractors 0–6. */
export interface NpsCountsDto {
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, −100 to 100; null without answers. */
  score: number | null;
}
export interface NpsMonthDto extends NpsCountsDto {
  /** YYYY-MM */
  month: string;
}
export interface NpsCommentDto {
  responseId: string;
  customerId: string;
  email: string;
  name: string | null;
  score: number;
  group: NpsGroup;
  comment: string;
  answeredAt: string;
}
export interface NpsDto extends NpsCountsDto {
  from: string;
  to: string;
  months: NpsMonthDto[];
  /** The newest answers with a comment in the period. */
  comments: NpsCommentDto[];
}

/** The figures the dashboard drills into: who is behind each one. */
export const DRILL_DOWNS = ['started', 'cancelled', 'active', 'cohort', 'cycle1_openers', 'cycle1_others', 'journey_reached', 'journey_held_out', 'initiative_tickets', 'nps'] as const;
export type DrillDown = (typeof DRILL_DOWNS)[number];
export const DrillDownQuerySchema = z
  .object({
  ...periodFields,
  figure: z.enum(DRILL_DOWNS),
  /** YYYY-MM for started, cancelled and cohort; for active, its start (now when left out). */
  month: month.optional(),
  /** For cycle1_*: only those who churned within 90 days (true) or stayed (false). */
  churned: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  /** For cycle1_openers: only openers with this tag. */
  tag: z.string().trim().min(1).max(100).optional(),
  /** For journey_* and initiative_tickets. */
  id: z.uuid().optional(),
  /** For nps: only promoters, passives or detractors (all answers when left out); `month` narrows the period to one month. */
  group: z.enum(NPS_GROUPS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})
  .refine(periodInOrder, { path: ['from'], message: 'must not be after to' });
export type DrillDownRequest = z.input<typeof DrillDownQuerySchema>;
export type DrillDownQuery = z.output<typeof DrillDownQuerySchema>;
export interface DrillDownRowDto {
  customerId: string;
  email: string;
  name: string | null;
  subscriptionStatus: string;
  startedAt: string | null;
  cancelledAt: string | null;
  cancellationKind: string | null;
  /** For initiative_tickets: the ticket. */
  ticketId: string | null;
  ticketNumber: number | null;
  ticketSubject: string | null;
  /** For nps: the answer (0–10), its comment and when it was given. */
  score: number | null;
  comment: string | null;
  answeredAt: string | null;
}
export interface DrillDownDto {
  rows: DrillDownRowDto[];
  /** More than the rows shown; the CSV carries all. */
  total: number;
}
