/**
 * The API's request schemas and response types: validated on the server (zod, through a global pipe)
 * and imported as types by the client, so they are written once.
 */
import { z } from 'zod';
import { currencySchema, timeZoneSchema } from './customers';
import { patchSchema } from './patch';
import {
  AVAILABILITIES,
  DeliveryState,
  MessageDirection,
  MessageFlag,
  ROLES,
  Role,
  SUBSCRIPTION_STATUSES,
  SubscriptionStatus,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TicketPriority,
  TicketStatus,
} from './domain';
import type { SlaSummaryDto } from './sla';

const email = z.email().max(320).transform((value) => value.toLowerCase());
const uuid = z.uuid();
const name = z.string().trim().min(1).max(200);
/** Query strings carry lists as `a,b` or repeated keys; both become an array. */
const csvList = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item));

// ---- auth ----
export const LoginSchema = z.object({ email, password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof LoginSchema>;

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  availability: (typeof AVAILABILITIES)[number];
  capacity: number;
  isActive: boolean;
  /** `invited`: has not set a password yet; `deactivated`: may no longer sign in. */
  status: UserStatus;
  teamIds: string[];
  /** Added below the person's replies. */
  signature: string;
  /** IANA zone the person reads times in; null follows the browser. */
  timeZone: string | null;
  createdAt: string;
}
export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export interface SessionDto {
  user: UserDto;
  /** Also set as an httpOnly cookie; returned for scripts that prefer a bearer token. */
  token: string;
  expiresAt: string;
}

// ---- users & teams ----
export const CreateUserSchema = z.object({
  email,
  name,
  role: z.enum(ROLES),
  password: z.string().min(10, 'must be at least 10 characters').max(1024),
  capacity: z.number().int().min(0).max(1000).default(20),
  teamIds: z.array(uuid).default([]),
});
export type CreateUserRequest = z.input<typeof CreateUserSchema>;
export const UpdateUserSchema = z
  .object({
    name,
    role: z.enum(ROLES),
    password: z.string().min(10, 'must be at least 10 characters').max(1024),
    /** Required with `password` when users change their own. */
    currentPassword: z.string().max(1024),
    capacity: z.number().int().min(0).max(1000),
    availability: z.enum(AVAILABILITIES),
    isActive: z.boolean(),
    teamIds: z.array(uuid),
    signature: z.string().max(2000),
    timeZone: timeZoneSchema.nullable(),
  })
  .partial();
export type UpdateUserRequest = z.input<typeof UpdateUserSchema>;

/** An admin invites someone: they get an email with a signed, expiring link that sets their password. */
export const InviteUserSchema = z.object({
  email,
  name,
  role: z.enum(ROLES).default('agent'),
  teamIds: z.array(uuid).default([]),
});
export type InviteUserRequest = z.input<typeof InviteUserSchema>;
export interface InvitationDto {
  user: UserDto;
  /** The set-password link, to copy and pass on when it could not be emailed. */
  link: string;
  expiresAt: string;
  /** Whether the email went out, and from which mailbox; otherwise why not. */
  emailed: boolean;
  emailedFrom: string | null;
  emailError: string | null;
}
/** What the set-password page shows before the password is chosen. */
export interface InvitationPreviewDto {
  email: string;
  name: string;
  expiresAt: string;
}
export const AcceptInvitationSchema = z.object({
  token: z.string().min(1).max(2000),
  password: z.string().min(10, 'must be at least 10 characters').max(1024),
});
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationSchema>;

export interface TeamDto {
  id: string;
  name: string;
  isPrivate: boolean;
  memberIds: string[];
}
export const CreateTeamSchema = z.object({ name, isPrivate: z.boolean().default(false), memberIds: z.array(uuid).default([]) });
export type CreateTeamRequest = z.input<typeof CreateTeamSchema>;
export const UpdateTeamSchema = patchSchema(CreateTeamSchema);
export type UpdateTeamRequest = z.input<typeof UpdateTeamSchema>;

// ---- customers ----
export interface CustomerDto {
  id: string;
  email: string;
  name: string | null;
  externalId: string | null;
  subscriptionStatus: SubscriptionStatus;
  subscriptionStartedAt: string | null;
  currentCycle: number | null;
  nextRenewalAt: string | null;
  cancelledAt: string | null;
  /** Why the last cancellation happened, and whether the customer chose it; null while not cancelled or not told. */
  cancellationKind: 'voluntary' | 'involuntary' | null;
  cancellationReason: string | null;
  plan: string | null;
  /** Cycles skipped in a row (back to 0 at a renewal). */
  skippedCycles: number;
  lifetimeValue: number;
  /** ISO 4217 code of the lifetime value (from the shop's events or the import); null when never told. */
  currency: string | null;
  /** IANA zone for quiet hours and local send times; the care settings' default when null. */
  timeZone: string | null;
  tags: string[];
  createdAt: string;
}
const isoDate = z.iso.datetime({ offset: true });
export const CreateCustomerSchema = z.object({
  email,
  name: name.nullable().default(null),
  externalId: z.string().trim().min(1).max(200).nullable().default(null),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).default('none'),
  subscriptionStartedAt: isoDate.nullable().default(null),
  currentCycle: z.number().int().min(0).nullable().default(null),
  nextRenewalAt: isoDate.nullable().default(null),
  cancelledAt: isoDate.nullable().default(null),
  plan: z.string().trim().max(200).nullable().default(null),
  skippedCycles: z.number().int().min(0).default(0),
  lifetimeValue: z.number().min(0).max(100_000_000).default(0),
  currency: currencySchema.nullable().default(null),
  timeZone: timeZoneSchema.nullable().default(null),
  tags: z.array(z.string().trim().toLowerCase().min(1).max(64)).max(50).default([]),
});
export type CreateCustomerRequest = z.input<typeof CreateCustomerSchema>;
export const UpdateCustomerSchema = patchSchema(CreateCustomerSchema);
export type UpdateCustomerRequest = z.input<typeof UpdateCustomerSchema>;
export const CustomerQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- tags ----
export interface TagDto {
  id: string;
  name: string;
  description: string | null;
  color: string | null;
}
/** The one rule for a tag's name, wherever a tag can be created (tags, macros, rules, keyword rules). */
export const TagNameSchema = z.string().trim().toLowerCase().min(1).max(64).regex(/^[\p{L}\p{N}][\p{L}\p{N} _:./-]*$/u, 'letters, digits, space, _ : . / - only');
export const CreateTagSchema = z.object({
  name: TagNameSchema,
  description: z.string().max(1000).nullable().default(null),
  color: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a #rrggbb colour').nullable().default(null),
});
export type CreateTagRequest = z.input<typeof CreateTagSchema>;
export const UpdateTagSchema = patchSchema(CreateTagSchema);
export type UpdateTagRequest = z.input<typeof UpdateTagSchema>;

// ---- tickets ----
/** `sla_due_asc`: the nearest open SLA due time first; tickets without a running target last. */
export const TICKET_SORTS = ['last_activity_desc', 'last_activity_asc', 'created_desc', 'created_asc', 'sla_due_asc'] as const;
/** `overdue`: an open SLA target is past due; `due_soon`: none is, and one falls due within SLA_SOON_MINUTES. */
export const SLA_FILTERS = ['overdue', 'due_soon'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];
export type TicketSort = (typeof TICKET_SORTS)[number];

export const TicketQuerySchema = z.object({
  status: csvList(z.enum(TICKET_STATUSES)).optional(),
  priority: csvList(z.enum(TICKET_PRIORITIES)).optional(),
  /** A user id, `me`, or `none` for unassigned tickets. */
  assignee: z.union([uuid, z.literal('me'), z.literal('none')]).optional(),
  team: z.union([uuid, z.literal('none')]).optional(),
  tag: csvList(TagNameSchema).optional(),
  mailbox: uuid.optional(),
  customer: uuid.optional(),
  q: z.string().trim().min(1).max(500).optional(),
  sort: z.enum(TICKET_SORTS).default('last_activity_desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** "Breaching soon": tickets with an open SLA target due within this many minutes (breached ones included). */
  slaDueWithin: z.coerce.number().int().min(0).max(10_080).optional(),
  sla: z.enum(SLA_FILTERS).optional(),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(500).optional(),
});
export type TicketQuery = z.input<typeof TicketQuerySchema>;
/** The query after validation: defaults applied, lists split. */
export type TicketQueryParams = z.output<typeof TicketQuerySchema>;

export interface TicketSummaryDto {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  teamId: string | null;
  mailboxId: string | null;
  customer: { id: string; email: string; name: string | null } | null;
  tags: string[];
  snippet: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
  firstReplyAt: string | null;
  solvedAt: string | null;
  /** The most pressing open SLA target, for the badge; null without one. */
  sla?: SlaSummaryDto | null;
}
export interface TicketPageDto {
  items: TicketSummaryDto[];
  nextCursor: string | null;
}

export interface AttachmentDto {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
}
/** `GET /api/tickets/:id/messages/:messageId/frame`: `images=1` once the agent chose to load remote images. */
export const EmailFrameQuerySchema = z.object({ images: z.enum(['0', '1']).optional() });
export type EmailFrameQuery = z.infer<typeof EmailFrameQuerySchema>;

export interface MessageDto {
  id: string;
  direction: MessageDirection;
  authorId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  deliveryState: DeliveryState | null;
  deliveryError: string | null;
  flags: MessageFlag[];
  /** What was unusual about an inbound message and what Careloop did about it, in words. */
  notes: string[];
  /** The message as received or sent can be downloaded from GET /api/tickets/:ticketId/messages/:id/raw. */
  hasRawSource: boolean;
  attachments: AttachmentDto[];
  /** Internal notes: the people @mentioned in it. */
  mentionIds: string[];
  createdAt: string;
}
export interface TicketEventDto {
  id: string;
  type: string;
  actorId: string | null;
  actorType: 'user' | 'system' | 'rule';
  data: Record<string, unknown>;
  createdAt: string;
}
export interface TicketDetailDto extends TicketSummaryDto {
  messages: MessageDto[];
  events: TicketEventDto[];
}

export const UpdateTicketSchema = z
  .object({
    subject: z.string().trim().min(1).max(998),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    assigneeId: uuid.nullable(),
    teamId: uuid.nullable(),
    tags: z.array(TagNameSchema).max(50),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'at least one field must be given' });
export type UpdateTicketRequest = z.input<typeof UpdateTicketSchema>;

/** One change for a whole selection, applied in one transaction: every ticket changes, or none does. */
export const BulkTicketChangesSchema = z
  .object({
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    assigneeId: uuid.nullable(),
    teamId: uuid.nullable(),
    /** Added to each ticket's own tags, and removed from them: a selection rarely shares one tag list. */
    addTags: z.array(TagNameSchema).max(50),
    removeTags: z.array(TagNameSchema).max(50),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'at least one field must be given' });
export type BulkTicketChanges = z.input<typeof BulkTicketChangesSchema>;
export const BulkUpdateTicketsSchema = z.object({ ticketIds: z.array(uuid).min(1).max(1000), changes: BulkTicketChangesSchema });
export type BulkUpdateTicketsRequest = z.input<typeof BulkUpdateTicketsSchema>;
export interface BulkUpdateResultDto {
  tickets: TicketSummaryDto[];
}

/** Merges the listed tickets into the one in the path: their messages and tags move, they close. */
export const MergeTicketsSchema = z.object({ sourceIds: z.array(uuid).min(1).max(50) });
export type MergeTicketsRequest = z.input<typeof MergeTicketsSchema>;

export const CreateNoteSchema = z.object({
  body: z.string().trim().min(1).max(100_000),
  /** People @mentioned in the note (picked in the composer); each one who can see the ticket is notified. */
  mentionIds: z.array(uuid).max(50).default([]),
});
export type CreateNoteRequest = z.input<typeof CreateNoteSchema>;

// ---- errors ----
export interface ApiErrorDto {
  statusCode: number;
  error: string;
  message: string;
  /** For validation errors: the path of each bad field and what is wrong with it. */
  fields?: { field: string; message: string }[];
  correlationId: string;
  /** On a 409 `reply_conflict`: the customer and agent messages newer than the one the reply was written after. */
  newerMessages?: MessageDto[];
}

export interface HealthDto {
  status: 'ok' | 'error';
  database: 'up' | 'down';
}
