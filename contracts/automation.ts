/**
 * Macros (reply templates plus actions) and routing rules (conditions plus actions, run on new tickets,
 * inbound messages and elapsed time): request schemas validated on the server and response types the
 * client imports.
 */
import { z } from 'zod';
import { TagNameSchema, type TicketSummaryDto } from './api';
import { SUBSCRIPTION_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './domain';
import { patchSchema } from './patch';

const uuid = z.uuid();
const name = z.string().trim().min(1).max(200);
const tagList = z.array(TagNameSchema).min(1).max(50);
/** Liquid source; whether it parses is checked by the server, which knows the template engine. */
const template = z.string().max(100_000);

// ---- actions, shared by macros and rules ----
export const TicketActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_status'), status: z.enum(TICKET_STATUSES) }),
  z.object({ type: z.literal('set_priority'), priority: z.enum(TICKET_PRIORITIES) }),
  z.object({ type: z.literal('set_team'), teamId: uuid.nullable() }),
  z.object({ type: z.literal('set_assignee'), assigneeId: uuid.nullable() }),
  z.object({ type: z.literal('add_tags'), tags: tagList }),
  z.object({ type: z.literal('remove_tags'), tags: tagList }),
  /** An internal note; its body is a Liquid template like the reply. */
  z.object({ type: z.literal('add_note'), body: template.min(1) }),
]);
export type TicketAction = z.infer<typeof TicketActionSchema>;
export type TicketActionType = TicketAction['type'];

// ---- macros ----
export const MACRO_SCOPES = ['everyone', 'team', 'personal'] as const;
export type MacroScope = (typeof MACRO_SCOPES)[number];

const macroFields = {
  name,
  body: template.default(''),
  actions: z.array(TicketActionSchema).max(20).default([]),
  /** Shared with everyone, with one team (teamId), or personal to its creator. */
  scope: z.enum(MACRO_SCOPES).default('everyone'),
  teamId: uuid.nullable().default(null),
};
const teamGivenForTeamScope = (macro: { scope?: MacroScope; teamId?: string | null }) => macro.scope !== 'team' || Boolean(macro.teamId);
export const CreateMacroSchema = z.object(macroFields).refine(teamGivenForTeamScope, { message: 'a team macro needs a team', path: ['teamId'] });
export type CreateMacroRequest = z.input<typeof CreateMacroSchema>;
export const UpdateMacroSchema = patchSchema(z.object(macroFields)).refine(teamGivenForTeamScope, { message: 'a team macro needs a team', path: ['teamId'] });
export type UpdateMacroRequest = z.input<typeof UpdateMacroSchema>;

export const MacroQuerySchema = z.object({ q: z.string().trim().max(200).optional() });
export type MacroQuery = z.input<typeof MacroQuerySchema>;

export interface MacroDto {
  id: string;
  name: string;
  body: string;
  actions: TicketAction[];
  scope: MacroScope;
  teamId: string | null;
  ownerId: string | null;
  usageCount: number;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const MacroPreviewSchema = z.object({ ticketId: uuid });
export type MacroPreviewRequest = z.input<typeof MacroPreviewSchema>;

/** A macro rendered against one ticket, before anything is applied. */
export interface MacroPreviewDto {
  body: string;
  /** Variables without a value (rendered empty), and render problems. */
  warnings: string[];
  /** Each action in words, e.g. "Set status to pending". */
  actions: string[];
}

export interface MacroApplyResultDto extends MacroPreviewDto {
  /** The ticket after the macro's actions; the rendered body is for the composer to send. */
  ticket: TicketSummaryDto;
}

/** Names a template may use, for the editor's help text. */
export const TEMPLATE_VARIABLES = [
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
  'ticket.tags',
  'ticket.team',
  'ticket.created_at',
  'customer.name',
  'customer.first_name',
  'customer.email',
  'customer.subscription_status',
  'customer.cycle',
  'customer.next_renewal',
  'customer.subscription_started_at',
  'customer.plan',
  'agent.name',
  'agent.first_name',
  'agent.email',
  'mailbox.name',
  'mailbox.address',
] as const;

// ---- routing rules ----
export const TEXT_OPERATORS = ['equals', 'not_equals', 'contains', 'not_contains', 'matches', 'not_matches'] as const;
export type TextOperator = (typeof TEXT_OPERATORS)[number];
export const NUMBER_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
export type NumberOperator = (typeof NUMBER_OPERATORS)[number];
const setOperator = z.enum(['in', 'not_in']);

/** Text fields of the message (and customer) a condition can test. */
export const TEXT_FIELDS = ['from_address', 'from_domain', 'recipients', 'subject', 'body', 'customer_tier'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

const textValue = z.string().max(1000);
export const RuleConditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('mailbox'), operator: setOperator, value: z.array(uuid).min(1).max(50) }),
  /** Patterns (`matches`) are RE2 syntax, checked on save: matching time is linear, never catastrophic. */
  z.object({ field: z.enum(TEXT_FIELDS), operator: z.enum(TEXT_OPERATORS), value: textValue }),
  z.object({ field: z.literal('customer_subscription_status'), operator: setOperator, value: z.array(z.enum(SUBSCRIPTION_STATUSES)).min(1) }),
  z.object({ field: z.literal('customer_cycle'), operator: z.enum(NUMBER_OPERATORS), value: z.number().int().min(0).max(100_000) }),
  z.object({ field: z.literal('tags'), operator: z.enum(['has_any', 'has_all', 'has_none']), value: tagList }),
  z.object({ field: z.literal('priority'), operator: setOperator, value: z.array(z.enum(TICKET_PRIORITIES)).min(1) }),
  /** Open or closed right now by a business calendar of the SLA settings. */
  z.object({ field: z.literal('business_hours'), operator: z.enum(['inside', 'outside']), value: uuid }),
]);
export type RuleCondition = z.infer<typeof RuleConditionSchema>;
export type RuleConditionField = RuleCondition['field'];

export const ASSIGN_STRATEGIES = ['round_robin', 'least_open'] as const;
export type AssignStrategy = (typeof ASSIGN_STRATEGIES)[number];

export const RuleActionSchema = z.discriminatedUnion('type', [
  ...TicketActionSchema.options,
  /**
   * An agent of the team (the ticket's own when teamId is null) who is available and below capacity;
   * when there is none the ticket waits in the team queue.
   */
  z.object({ type: z.literal('assign_agent'), strategy: z.enum(ASSIGN_STRATEGIES), teamId: uuid.nullable().default(null) }),
  z.object({ type: z.literal('apply_macro'), macroId: uuid }),
  /** An email to the customer (Liquid body); never sent in answer to auto-replies or bulk mail. */
  z.object({ type: z.literal('send_auto_reply'), body: template.min(1) }),
]);
export type RuleAction = z.infer<typeof RuleActionSchema>;
export type RuleActionInput = z.input<typeof RuleActionSchema>;

export const RULE_TRIGGERS = ['ticket_created', 'inbound_message'] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

/** What makes a rule time-based; the scheduler fires it once per ticket and per stretch of that state. */
export const TimeConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unassigned_for'), minutes: z.number().int().min(1).max(525_600) }),
  /** The customer's latest message has waited this long for an answer, in business minutes of a calendar (calendar time when null). */
  z.object({ type: z.literal('no_agent_reply_for'), minutes: z.number().int().min(1).max(525_600), calendarId: uuid.nullable().default(null) }),
  z.object({ type: z.literal('pending_for'), days: z.number().int().min(1).max(365) }),
]);
export type TimeCondition = z.infer<typeof TimeConditionSchema>;

const ruleFields = {
  name,
  isActive: z.boolean().default(true),
  /** Event rules run on these triggers; ignored by time-based rules. */
  triggers: z.array(z.enum(RULE_TRIGGERS)).max(2).default(['ticket_created']),
  /** Makes the rule time-based: evaluated by the scheduler instead of on events. */
  timeCondition: TimeConditionSchema.nullable().default(null),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(RuleConditionSchema).max(30).default([]),
  actions: z.array(RuleActionSchema).min(1).max(20),
  /** Rules after this one are not evaluated when it fires. */
  stopProcessing: z.boolean().default(false),
};
export const CreateRuleSchema = z.object(ruleFields);
export type CreateRuleRequest = z.input<typeof CreateRuleSchema>;
export const UpdateRuleSchema = patchSchema(CreateRuleSchema);
export type UpdateRuleRequest = z.input<typeof UpdateRuleSchema>;

export interface RuleDto {
  id: string;
  name: string;
  position: number;
  isActive: boolean;
  triggers: RuleTrigger[];
  timeCondition: TimeCondition | null;
  match: 'all' | 'any';
  conditions: RuleCondition[];
  actions: RuleAction[];
  stopProcessing: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The complete new order of the rules, first evaluated first. */
export const ReorderRulesSchema = z.object({ ruleIds: z.array(uuid).min(1).max(1000) });
export type ReorderRulesRequest = z.input<typeof ReorderRulesSchema>;

/** Only the conditions decide what a rule matches, so a dry run needs no actions yet. */
export const DryRunSchema = z.object({ rule: CreateRuleSchema.pick({ match: true, conditions: true }), limit: z.number().int().min(1).max(1000).default(100) });
export type DryRunRequest = z.input<typeof DryRunSchema>;

export interface DryRunMatchDto {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  createdAt: string;
}
export interface DryRunResultDto {
  /** How many of the latest tickets were looked at. */
  evaluated: number;
  matches: DryRunMatchDto[];
}

/** The `data` of a `rule.fired` timeline event. */
export interface RuleFiredEventData {
  ruleId: string;
  ruleName: string;
  trigger: RuleTrigger | 'time';
  /** What each action did, in words. */
  actions: string[];
}
