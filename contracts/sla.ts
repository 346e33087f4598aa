/**
 * SLA policies, business calendars, per-ticket targets and the achievement report:
 * request schemas validated on the server and response types the client imports.
 */
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES, TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from './domain';

export const SLA_TARGET_KINDS = ['first_reply', 'next_reply', 'resolution'] as const;
export type SlaTargetKind = (typeof SLA_TARGET_KINDS)[number];

export const SLA_STATES = ['active', 'paused', 'achieved', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const SLA_REPORT_GROUPS = ['policy', 'team', 'agent', 'day'] as const;
export type SlaReportGroup = (typeof SLA_REPORT_GROUPS)[number];

const uuid = z.uuid();
const name = z.string().trim().min(1).max(200);
/** At most a year. */
const minutes = z.number().int().min(1).max(525_600);

// ---- business calendars ----
const TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const time = z.string().regex(TIME, 'must be a time HH:mm between 00:00 and 24:00');
export const OpenIntervalSchema = z
  .object({ start: time, end: time })
  .refine(({ start, end }) => !TIME.test(start) || !TIME.test(end) || end > start, { message: 'must end after it starts', path: ['end'] });
export type OpenIntervalDto = z.infer<typeof OpenIntervalSchema>;

const day = z.array(OpenIntervalSchema).max(12);
/** Open intervals per ISO weekday, '1' = Monday … '7' = Sunday; an empty list closes the day. */
export const WeeklyScheduleSchema = z.object({ 1: day, 2: day, 3: day, 4: day, 5: day, 6: day, 7: day });
export type WeeklySchedule = z.infer<typeof WeeklyScheduleSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const calendarFields = {
  name,
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  weekly: WeeklyScheduleSchema,
  holidays: z.array(z.iso.date()).max(1000),
};
export const CreateCalendarSchema = z.object({ ...calendarFields, holidays: calendarFields.holidays.default([]) });
export type CreateCalendarRequest = z.input<typeof CreateCalendarSchema>;
/** Without defaults: a field left out keeps its stored value. */
export const UpdateCalendarSchema = z.object(calendarFields).partial();
export type UpdateCalendarRequest = z.input<typeof UpdateCalendarSchema>;

export interface CalendarDto {
  id: string;
  name: string;
  timeZone: string;
  weekly: WeeklySchedule;
  holidays: string[];
  /** Policies counting in this calendar. */
  policyIds: string[];
  updatedAt: string;
}

// ---- policies ----
export const SlaConditionsSchema = z
  .object({
    priorities: z.array(z.enum(TICKET_PRIORITIES)).min(1),
    teamIds: z.array(uuid).min(1),
    mailboxIds: z.array(uuid).min(1),
    /** Matches when the ticket has any of these tags. */
    tags: z.array(z.string().trim().toLowerCase().min(1).max(64)).min(1),
    /** The customer's plan (tier). */
    customerPlans: z.array(z.string().trim().min(1).max(200)).min(1),
    subscriptionStatuses: z.array(z.enum(SUBSCRIPTION_STATUSES)).min(1),
  })
  .partial();
export type SlaConditions = z.infer<typeof SlaConditionsSchema>;

export const SlaTargetMinutesSchema = z.object({ firstReply: minutes, nextReply: minutes, resolution: minutes }).partial();
export type SlaTargetMinutes = z.infer<typeof SlaTargetMinutesSchema>;

export const SlaTargetsByPrioritySchema = z.object({ low: SlaTargetMinutesSchema, normal: SlaTargetMinutesSchema, high: SlaTargetMinutesSchema, urgent: SlaTargetMinutesSchema }).partial();
export type SlaTargetsByPriority = Partial<Record<TicketPriority, SlaTargetMinutes>>;

/** Warn when this many minutes are left or this share has elapsed (the earlier wins). */
export const SlaWarningSchema = z
  .object({ minutesBefore: z.number().int().min(1).max(525_600), percentElapsed: z.number().int().min(1).max(99) })
  .partial()
  .refine((warning) => warning.minutesBefore !== undefined || warning.percentElapsed !== undefined, { message: 'give minutesBefore or percentElapsed' });
export type SlaWarning = z.infer<typeof SlaWarningSchema>;

export const SlaEscalationSchema = z.object({
  /** Leads of the ticket's team (every lead when it has none) are notified of its warnings and breaches (server/src/notifications). */
  notifyLead: z.boolean().default(true),
  /** One step up: low → normal → high → urgent. */
  raisePriority: z.boolean().default(false),
  reassignTeamId: uuid.nullable().default(null),
});
export type SlaEscalation = z.output<typeof SlaEscalationSchema>;

/** Waiting on the customer or on hold: the statuses a policy may stop its clocks in. */
export const SLA_PAUSE_STATUSES = ['pending', 'on_hold'] as const satisfies readonly TicketStatus[];
export type SlaPauseStatus = (typeof SLA_PAUSE_STATUSES)[number];

const policyFields = {
  name,
  isActive: z.boolean(),
  conditions: SlaConditionsSchema,
  targets: SlaTargetsByPrioritySchema,
  /** Null counts calendar hours. */
  calendarId: uuid.nullable(),
  pauseStatuses: z.array(z.enum(SLA_PAUSE_STATUSES)),
  warning: SlaWarningSchema.nullable(),
  escalation: SlaEscalationSchema,
};
export const CreatePolicySchema = z.object({
  ...policyFields,
  isActive: policyFields.isActive.default(true),
  conditions: policyFields.conditions.default({}),
  calendarId: policyFields.calendarId.default(null),
  pauseStatuses: policyFields.pauseStatuses.default(['pending', 'on_hold']),
  warning: policyFields.warning.default({ minutesBefore: 15 }),
  escalation: policyFields.escalation.default({ notifyLead: true, raisePriority: false, reassignTeamId: null }),
});
export type CreatePolicyRequest = z.input<typeof CreatePolicySchema>;
/** Without defaults: a field left out keeps its stored value. */
export const UpdatePolicySchema = z.object(policyFields).partial();
export type UpdatePolicyRequest = z.input<typeof UpdatePolicySchema>;
export const ReorderPoliciesSchema = z.object({ policyIds: z.array(uuid).min(1) });
export type ReorderPoliciesRequest = z.input<typeof ReorderPoliciesSchema>;

export interface SlaPolicyDto {
  id: string;
  name: string;
  position: number;
  isActive: boolean;
  conditions: SlaConditions;
  targets: SlaTargetsByPriority;
  calendarId: string | null;
  pauseStatuses: SlaPauseStatus[];
  warning: SlaWarning | null;
  escalation: SlaEscalation;
  updatedAt: string;
}

// ---- a ticket's targets ----
export interface SlaTargetDto {
  id: string;
  kind: SlaTargetKind;
  state: SlaState;
  policyId: string | null;
  targetMinutes: number;
  /** Open (business or calendar) minutes used so far. */
  spentMinutes: number;
  dueAt: string | null;
  warnAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  achievedAt: string | null;
  pausedAt: string | null;
  createdAt: string;
}
export interface TicketSlaDto {
  policy: { id: string; name: string } | null;
  targets: SlaTargetDto[];
}

/** The nearest open target of a ticket, for the inbox badge. */
export interface SlaSummaryDto {
  kind: SlaTargetKind;
  state: SlaState;
  dueAt: string | null;
  /** Open minutes left while paused (no due time then). */
  remainingMinutes: number;
}

// ---- achievement report ----
export const SlaReportQuerySchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), groupBy: z.enum(SLA_REPORT_GROUPS).default('policy') })
  .refine(({ from, to }) => Date.parse(to) > Date.parse(from), { message: 'must be after from', path: ['to'] });
export type SlaReportQuery = z.input<typeof SlaReportQuerySchema>;

export interface SlaReportRowDto {
  /** Policy, team or user id, or the day 'YYYY-MM-DD' (UTC); null for tickets without one. */
  key: string | null;
  label: string;
  /** Targets whose outcome became known in the period. */
  total: number;
  met: number;
  breached: number;
  /** met / total × 100, one decimal; null without targets. */
  percentMet: number | null;
}
export interface SlaReportDto {
  from: string;
  to: string;
  groupBy: SlaReportGroup;
  rows: SlaReportRowDto[];
}
