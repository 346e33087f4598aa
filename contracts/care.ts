/**
 * Tags-to-care: tag management, suggestions and keyword rules, tag settings, signals (rising and recurring
 * patterns over tags and clusters of untagged tickets) and the care-initiative board with its impact chart.
 * Request schemas are validated on the server; the response types are what the client imports.
 */
import { z } from 'zod';
import { TagNameSchema } from './api';
import { patchSchema } from './patch';

const uuid = z.uuid();

// ---- tag management ----
export const MergeTagSchema = z.object({
  /** Every ticket of the merged tag gets this tag instead; the merged tag is deleted. */
  intoTagId: uuid,
});
export type MergeTagRequest = z.input<typeof MergeTagSchema>;
export interface MergeTagResultDto {
  /** Tickets that carried the merged tag. */
  retaggedTickets: number;
}

/** Signals compare this week with the average week of this many weeks before it. */
export const SIGNAL_BASELINE_WEEKS = 8;
/** Below this many tickets in a week, nothing is a pattern yet, whatever the rise. */
export const SIGNAL_MIN_TICKETS = 3;

/** How sure a rise must be before it is called rising, in words: the chance that luck alone would give it. */
export const RISING_CERTAINTY_CHOICES = [
  { pValue: 0.05, label: 'Fairly sure: chance alone would give such a rise 1 week in 20' },
  { pValue: 0.01, label: 'Sure: 1 week in 100' },
  { pValue: 0.001, label: 'Very sure: 1 week in 1,000' },
  { pValue: 0.0001, label: 'Almost certain: 1 week in 10,000' },
] as const;

/** The signal thresholds as a care owner says them. */
export function describeSignalThresholds(settings: Pick<TagSettingsDto, 'risingMinRatio' | 'risingMaxPValue' | 'recurringWeeklyMin' | 'recurringWeeks'>): { rising: string; recurring: string } {
  const rise = Math.round((settings.risingMinRatio - 1) * 100);
  const odds = Math.round(1 / settings.risingMaxPValue).toLocaleString('en');
  return {
    rising: `Rising: at least ${SIGNAL_MIN_TICKETS} tickets this week, up ${rise}% or more on the average week of the last ${SIGNAL_BASELINE_WEEKS}, and a rise chance alone would give less than 1 week in ${odds}.`,
    recurring: `Recurring: at least ${settings.recurringWeeklyMin} ticket${settings.recurringWeeklyMin === 1 ? '' : 's'} a week for ${settings.recurringWeeks} weeks in a row.`,
  };
}

export interface TagSettingsDto {
  /** A ticket cannot become solved or closed without at least one tag. */
  requireTagToSolve: boolean;
  /** Rising: the current week's count is this many times the baseline's weekly mean, or more … */
  risingMinRatio: number;
  /** … and that rise is this unlikely under the baseline's rate (one-sided p-value). */
  risingMaxPValue: number;
  /** Recurring: at least this many tickets in each of the last `recurringWeeks` weeks. */
  recurringWeeklyMin: number;
  recurringWeeks: number;
  /** The suggestion model is retrained after this many new tag assignments (and daily). */
  retrainAfterTaggings: number;
}
export const UpdateTagSettingsSchema = z
  .object({
    requireTagToSolve: z.boolean(),
    risingMinRatio: z.number().min(1).max(100),
    risingMaxPValue: z.number().gt(0).max(0.5),
    recurringWeeklyMin: z.number().int().min(1).max(100_000),
    recurringWeeks: z.number().int().min(2).max(26),
    retrainAfterTaggings: z.number().int().min(1).max(1_000_000),
  })
  .partial();
export type UpdateTagSettingsRequest = z.input<typeof UpdateTagSettingsSchema>;

// ---- suggestions ----
export const SUGGESTION_SOURCES = ['model', 'rule'] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];
export const SUGGESTION_STATES = ['pending', 'accepted', 'rejected'] as const;
export type SuggestionState = (typeof SUGGESTION_STATES)[number];

export interface TagSuggestionDto {
  tagId: string;
  tag: string;
  color: string | null;
  /** Calibrated probability in [0, 1] that the tag is right (a keyword rule's match counts as 1). */
  confidence: number;
  source: SuggestionSource;
  state: SuggestionState;
}

export interface TagModelStatusDto {
  trainedAt: string | null;
  examples: number;
  tags: number;
  /** Tag assignments since that training; the model is retrained when this reaches the setting. */
  taggingsSinceTraining: number;
  /** Measured by cross-validation when it trained, on the team's own tickets; null before a training with enough data. */
  quality: { tickets: number; accuracy: number; precision: number | null; abstainRate: number } | null;
}

export const CreateKeywordRuleSchema = z.object({
  tag: TagNameSchema,
  /** The rule suggests its tag when the ticket's subject or first message contains any of these words or phrases. */
  keywords: z.array(z.string().trim().toLowerCase().min(2).max(100)).min(1).max(50),
});
export type CreateKeywordRuleRequest = z.input<typeof CreateKeywordRuleSchema>;
export const UpdateKeywordRuleSchema = patchSchema(CreateKeywordRuleSchema);
export type UpdateKeywordRuleRequest = z.input<typeof UpdateKeywordRuleSchema>;
export interface KeywordRuleDto {
  id: string;
  tagId: string;
  tag: string;
  keywords: string[];
  createdAt: string;
}

// ---- signals ----
export const SIGNAL_KINDS = ['tag', 'cluster'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface SignalExampleDto {
  id: string;
  number: number;
  subject: string;
}

export interface SignalDto {
  /** `tag:<tagId>` or `cluster:<clusterId>`: what a promoted initiative remembers. */
  key: string;
  kind: SignalKind;
  tagId: string | null;
  clusterId: string | null;
  /** The tag's name, or the subject of the cluster's first ticket. */
  label: string;
  color: string | null;
  /** Tickets in the current window (the last 7 days). */
  volume: number;
  /** Mean tickets per week over the trailing baseline (the 8 weeks before the window). */
  baselineWeekly: number;
  /** Change of the window against the baseline in percent; null when the baseline is empty. */
  changePct: number | null;
  /** How far the window sits above the baseline, in standard deviations of the conditional binomial test. */
  zScore: number;
  /** One-sided probability of a window this large if the rate had not changed. */
  pValue: number;
  rising: boolean;
  recurring: boolean;
  /** Distinct customers with a ticket in the window. */
  customers: number;
  /** Share of the window's tickets from subscribers in their first billing cycle; null without tickets. */
  firstCycleShare: number | null;
  /** "This keeps happening" flags on the window's tickets. */
  flags: number;
  /** Tickets per 7-day week, oldest first; the last entry is the current window. */
  weekly: number[];
  examples: SignalExampleDto[];
}
export interface SignalsDto {
  windowStart: string;
  windowEnd: string;
  signals: SignalDto[];
}
export const SignalQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(30) });

export const FlagTicketSchema = z.object({ note: z.string().trim().max(500).nullable().default(null) });
export type FlagTicketRequest = z.input<typeof FlagTicketSchema>;
export interface TicketFlagDto {
  ticketId: string;
  flags: number;
  /** The caller has flagged this ticket. */
  flaggedByMe: boolean;
}

// ---- care initiatives ----
export const INITIATIVE_STATUSES = ['proposed', 'in_progress', 'shipped', 'measuring', 'done'] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

const initiativeFields = {
  title: z.string().trim().min(1).max(200),
  ownerId: uuid.nullable(),
  hypothesis: z.string().trim().max(5000),
  /** Tickets with any of these tags belong to the initiative … */
  tags: z.array(TagNameSchema).max(20),
  /** … or, for a cluster signal, tickets of that cluster; */
  clusterId: uuid.nullable(),
  /** … and, when given, the ticket's text matches this full-text query. */
  query: z.string().trim().min(1).max(500).nullable(),
  targetMetric: z.string().trim().max(500),
};
export const CreateInitiativeSchema = z
  .object({
    ...initiativeFields,
    ownerId: initiativeFields.ownerId.default(null),
    hypothesis: initiativeFields.hypothesis.default(''),
    tags: initiativeFields.tags.default([]),
    clusterId: initiativeFields.clusterId.default(null),
    query: initiativeFields.query.default(null),
    targetMetric: initiativeFields.targetMetric.default(''),
    /** The signal it was promoted from (`tag:<id>` or `cluster:<id>`). */
    signalKey: z.string().max(100).nullable().default(null),
  })
  .refine((value) => value.tags.length > 0 || value.clusterId !== null || value.query !== null, {
    message: 'give tags, a cluster or a query to say which tickets belong to it',
    path: ['tags'],
  });
export type CreateInitiativeRequest = z.input<typeof CreateInitiativeSchema>;
export const UpdateInitiativeSchema = z
  .object({ ...initiativeFields, shippedAt: z.iso.datetime({ offset: true }).nullable() })
  .partial();
export type UpdateInitiativeRequest = z.input<typeof UpdateInitiativeSchema>;
export const MoveInitiativeSchema = z.object({
  status: z.enum(INITIATIVE_STATUSES),
  /** Position in the target column, 0 = top; past the end means last. */
  index: z.number().int().min(0),
});
export type MoveInitiativeRequest = z.input<typeof MoveInitiativeSchema>;

export interface InitiativeDto {
  id: string;
  title: string;
  status: InitiativeStatus;
  position: number;
  ownerId: string | null;
  hypothesis: string;
  tags: string[];
  clusterId: string | null;
  query: string | null;
  targetMetric: string;
  signalKey: string | null;
  /** The day it was marked shipped: the impact chart's before/after line. */
  shippedAt: string | null;
  ticketCount: number;
  commentCount: number;
  createdById: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InitiativeTicketDto {
  id: string;
  number: number;
  subject: string;
  status: string;
  createdAt: string;
  linkedAt: string;
}
export interface InitiativeTicketPageDto {
  items: InitiativeTicketDto[];
  total: number;
}

export const CreateCommentSchema = z.object({ body: z.string().trim().min(1).max(10_000) });
export type CreateCommentRequest = z.input<typeof CreateCommentSchema>;
export interface InitiativeCommentDto {
  id: string;
  initiativeId: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  createdAt: string;
}

export interface ImpactWeekDto {
  /** Whole weeks from the shipped day: -1 is the week before it, 0 the week starting on it. */
  offset: number;
  weekStart: string;
  tickets: number;
  /** Subscribers active at some point in the week (started, not yet cancelled). */
  activeSubscribers: number;
  /** Tickets per 100 active subscribers; null when there were none. */
  ratePer100: number | null;
  /** The week has not ended yet; its count is partial and left out of the means. */
  partial: boolean;
}
export interface ImpactDto {
  shippedAt: string | null;
  weeks: ImpactWeekDto[];
  /** Mean tickets per full week before and after the shipped day. */
  before: { weekly: number | null; ratePer100: number | null; weeks: number };
  after: { weekly: number | null; ratePer100: number | null; weeks: number };
  /** (after - before) / before in percent; null until there is a full week on both sides. */
  changePct: number | null;
  changePctPer100: number | null;
}
