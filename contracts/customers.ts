/** Subscribers: subscription events (webhook), CSV import reports, satisfaction answers. Shared by server and client. */
import { z } from 'zod';
import type { CustomerDto, TicketSummaryDto } from './api';
import { SUBSCRIPTION_STATUSES, type Role } from './domain';
import type { BadRatingReason, SurveyKind } from './surveys';

/** Who may change customers (create, edit, delete, import); admins always may. Everyone else reads them. */
export const CUSTOMER_WRITERS = ['lead', 'care_owner'] as const satisfies readonly Role[];
export function canWriteCustomers(role: Role): boolean {
  return role === 'admin' || (CUSTOMER_WRITERS as readonly Role[]).includes(role);
}

/** The currency the customer pays in, as an ISO 4217 code; their lifetime value is in it. */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR');

export const SUBSCRIPTION_EVENT_TYPES = ['created', 'renewed', 'skipped', 'paused', 'cancelled', 'reactivated'] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** Accepts any IANA zone the runtime knows (server and browser alike). */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Paris');

const isoDate = z.iso.datetime({ offset: true });

/** Voluntary: the customer chose to leave. Involuntary: the subscription ended without their choice (a failed payment). */
export const CANCELLATION_KINDS = ['voluntary', 'involuntary'] as const;
export type CancellationKind = (typeof CANCELLATION_KINDS)[number];
export const cancellationReasonSchema = z.string().trim().min(1).max(500);

/**
 * One event from the commerce platform. `id` is the platform's event id: a repeated delivery of the same
 * id is acknowledged and ignored. The customer is found by email (created when new).
 */
export const SubscriptionEventSchema = z.object({
  id: z.string().trim().min(1).max(200),
  type: z.enum(SUBSCRIPTION_EVENT_TYPES),
  occurredAt: isoDate,
  customer: z.object({
    email: z.email().max(320).transform((value) => value.toLowerCase()),
    name: z.string().trim().min(1).max(200).optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
    timeZone: timeZoneSchema.optional(),
  }),
  subscription: z
    .object({
      plan: z.string().trim().min(1).max(200).optional(),
      /** The cycle the customer is now in (renewed, created); counted up by one when left out. */
      cycle: z.number().int().min(1).optional(),
      nextRenewalAt: isoDate.nullable().optional(),
      /** What this event charged, added to the lifetime value. */
      amount: z.number().min(0).max(1_000_000).optional(),
      /** The currency of `amount` (and so of the lifetime value), e.g. EUR. */
      currency: currencySchema.optional(),
    })
    .default({}),
  /** Only on `cancelled`: why, and whether the customer chose it. */
  cancellation: z.object({ kind: z.enum(CANCELLATION_KINDS), reason: cancellationReasonSchema.optional() }).optional(),
}).refine((event) => event.cancellation === undefined || event.type === 'cancelled', { path: ['cancellation'], message: 'is only for cancelled events' });
export type SubscriptionEventRequest = z.input<typeof SubscriptionEventSchema>;
export type SubscriptionEvent = z.output<typeof SubscriptionEventSchema>;

export interface SubscriptionEventResultDto {
  /** `duplicate` when this event id was received before: nothing changed. */
  status: 'applied' | 'duplicate';
  customerId: string;
}

export interface SubscriptionEventDto {
  id: string;
  eventId: string;
  type: SubscriptionEventType;
  occurredAt: string;
  receivedAt: string;
  data: Record<string, unknown>;
}

/** The webhook secret is shown once, when it is created or rotated. */
export interface WebhookSecretDto {
  secret: string;
  /** Header names a sender signs with: the signature of "<timestamp>.<body>" and the unix timestamp; see the README. */
  signatureHeader: string;
  timestampHeader: string;
  createdAt: string;
}
export interface WebhookSecretStatusDto {
  configured: boolean;
  createdAt: string | null;
}

// ---- CSV import ----
export const CSV_IMPORT_MODES = ['skip_bad_rows', 'all_or_nothing'] as const;
export type CsvImportMode = (typeof CSV_IMPORT_MODES)[number];
export const CsvImportQuerySchema = z.object({ mode: z.enum(CSV_IMPORT_MODES).default('skip_bad_rows') });

/** The columns a subscriber CSV may carry (header row, any order); only `email` is required. */
export const CSV_COLUMNS = [
  'email',
  'name',
  'external_id',
  'status',
  'started_at',
  'cycle',
  'next_renewal_at',
  'skipped_cycles',
  'plan',
  'lifetime_value',
  'currency',
  'time_zone',
  'cancelled_at',
  'cancellation_kind',
  'cancellation_reason',
] as const;

export interface CsvRowReportDto {
  /** Line in the file (the header is line 1). */
  line: number;
  email: string | null;
  outcome: 'created' | 'updated' | 'refused' | 'held_back';
  errors: { field: string; message: string }[];
}
export interface CsvImportReportDto {
  mode: CsvImportMode;
  created: number;
  updated: number;
  refused: number;
  /** Valid rows not imported because the file was refused as a whole (all_or_nothing). */
  heldBack: number;
  rows: CsvRowReportDto[];
}

// ---- the subscribers table ----
/** Columns the subscribers table sorts by; rows without a value (no plan, no renewal) come last either way. */
export const SUBSCRIBER_SORTS = ['name', 'status', 'plan', 'cycle', 'next_renewal', 'lifetime_value', 'started'] as const;
export type SubscriberSort = (typeof SUBSCRIBER_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
/** Statuses the table shows when the query names none: everyone who has or had a subscription. */
export const SUBSCRIBER_STATUSES = ['active', 'paused', 'cancelled'] as const;

/** `a,b` or repeated parameters, as a list. */
const list = (value: unknown) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

export const SubscriberQuerySchema = z
  .object({
    /** Part of the name or email, or the whole external id. */
    q: z.string().trim().max(200).optional(),
    status: z.preprocess(list, z.array(z.enum(SUBSCRIPTION_STATUSES)).min(1).max(SUBSCRIPTION_STATUSES.length)).optional(),
    plan: z.string().trim().min(1).max(200).optional(),
    cycleMin: z.coerce.number().int().min(0).max(10_000).optional(),
    cycleMax: z.coerce.number().int().min(0).max(10_000).optional(),
    sort: z.enum(SUBSCRIBER_SORTS).default('name'),
    order: z.enum(SORT_ORDERS).default('asc'),
    /** The page after this row (a `next` cursor of the previous answer), or the page before it (`prev`). */
    after: z.string().min(1).max(1000).optional(),
    before: z.string().min(1).max(1000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((query) => query.cycleMin === undefined || query.cycleMax === undefined || query.cycleMax >= query.cycleMin, { path: ['cycleMax'], message: 'may not be below cycleMin' })
  .refine((query) => query.after === undefined || query.before === undefined, { path: ['before'], message: 'give after or before, not both' });
export type SubscriberQuery = z.output<typeof SubscriberQuerySchema>;
export type SubscriberQueryRequest = z.input<typeof SubscriberQuerySchema>;

export interface SubscriberPageDto {
  items: CustomerDto[];
  /** Rows matching the filters, on every page. */
  total: number;
  /** Cursors for the pages either side (`after=next`, `before=prev`); null at either end. */
  next: string | null;
  prev: string | null;
}
/** The plans subscribers are on, with how many customers each, for the table's filter. */
export interface SubscriberPlanDto {
  plan: string;
  customers: number;
}

// ---- satisfaction ----
/** A survey answer as the customer 360 lists it (recorded only by the customer's survey answer). */
export interface SatisfactionDto {
  id: string;
  kind: SurveyKind;
  /** CSAT on 1–5 (Good = 5, Bad = 1), NPS on 0–10. */
  score: number;
  comment: string | null;
  reason: BadRatingReason | null;
  ticketId: string | null;
  createdAt: string;
  voidedAt: string | null;
  voidReason: string | null;
}

// ---- the customer 360 ----
export interface CareTouchDto {
  id: string;
  journeyId: string | null;
  journeyName: string | null;
  subject: string;
  state: 'queued' | 'sent' | 'failed' | 'suppressed';
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  repliedAt: string | null;
  replyTicketId: string | null;
}
export interface JourneyStepRunDto {
  stepId: string;
  stepType: string;
  outcome: 'done' | 'skipped';
  detail: Record<string, unknown>;
  createdAt: string;
}
export interface CustomerJourneyDto {
  enrollmentId: string;
  journeyId: string;
  journeyName: string;
  /** `held_out`: entered but kept from the steps, to measure the journey against. */
  state: 'active' | 'completed' | 'exited' | 'failed' | 'held_out';
  exitReason: string | null;
  enteredAt: string;
  nextDueAt: string | null;
  steps: JourneyStepRunDto[];
}
export interface Customer360Dto {
  customer: CustomerDto;
  unsubscribedAt: string | null;
  subscriptionEvents: SubscriptionEventDto[];
  /** Newest first; tickets of private teams the viewer is not in are left out. */
  tickets: TicketSummaryDto[];
  careTouches: CareTouchDto[];
  journeys: CustomerJourneyDto[];
  satisfaction: SatisfactionDto[];
}
