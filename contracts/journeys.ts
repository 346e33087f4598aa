/** Care journeys: triggers, steps, exit goals, presets, figures and care settings. Shared by server and client. */
import { z } from 'zod';
import { timeZoneSchema } from './customers';
import { patchSchema } from './patch';

const days = z.number().int().min(0).max(3650);
const tag = z.string().trim().toLowerCase().min(1).max(64);

export const JourneyTriggerSchema = z.discriminatedUnion('type', [
  /** A customer writes in (a new ticket) while in the first cycle of an active subscription. */
  z.object({ type: z.literal('first_cycle_ticket') }),
  z.object({ type: z.literal('ticket_tagged'), tag }),
  /** The subscription is `days` days old (30, 90, 180 …). */
  z.object({ type: z.literal('subscription_day'), days: days.min(1) }),
  z.object({ type: z.literal('before_renewal'), days }),
  z.object({ type: z.literal('after_cancellation'), days }),
  /** The customer skipped `count` cycles in a row. */
  z.object({ type: z.literal('skipped_cycles'), count: z.number().int().min(1).max(24) }),
  /** A satisfaction answer at or below `maxScore` (1–5). */
  z.object({ type: z.literal('low_satisfaction'), maxScore: z.number().int().min(1).max(5) }),
  /** A detractor's NPS answer (0–6): to call them back or open a ticket for the care team. */
  z.object({ type: z.literal('nps_detractor') }),
]);
export type JourneyTrigger = z.infer<typeof JourneyTriggerSchema>;
export type JourneyTriggerType = JourneyTrigger['type'];

export const WaitSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('duration'), days: days.default(0), hours: z.number().int().min(0).max(23).default(0), minutes: z.number().int().min(0).max(59).default(0) }),
  /** Until the next moment (in the customer's time zone) on one of these ISO weekdays (1 = Monday) within these hours. */
  z.object({
    mode: z.literal('until'),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    fromHour: z.number().int().min(0).max(23),
    toHour: z.number().int().min(1).max(24),
  }),
  /** Until `days` days before the customer's next renewal (at once when that is already past). */
  z.object({ mode: z.literal('before_renewal'), days }),
]);
export type JourneyWait = z.infer<typeof WaitSchema>;

export const CONDITION_FIELDS = [
  'subscription_status',
  'plan',
  'current_cycle',
  'skipped_cycles',
  'lifetime_value',
  'customer_tag',
  'has_open_ticket',
  'ticket_status',
  'ticket_tag',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export const CONDITION_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const ConditionSchema = z.object({
  field: z.enum(CONDITION_FIELDS),
  /** Tag fields and `has_open_ticket` compare presence: `eq` means has it, `neq` means has not. */
  op: z.enum(CONDITION_OPERATORS),
  value: z.union([z.string().max(200), z.number(), z.boolean()]),
});
export type JourneyCondition = z.infer<typeof ConditionSchema>;

const stepId = z.string().trim().min(1).max(40).regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only');
/** Where a branch goes: a later step's id, `next` (the following step) or `end`. */
const branchTarget = z.union([z.literal('next'), z.literal('end'), stepId]);
const template = z.string().max(20_000);

/**
 * The fields a care email or task can carry, as the journey editor's simple view names them; `code` is the Liquid
 * inserted (server/src/journeys/care-templates.ts fills it). Links are empty when the shop's page is not set.
 */
export const TEMPLATE_FIELDS = [
  { path: 'customer.first_name', label: 'First name', code: "{{ customer.first_name | default: 'there' }}" },
  { path: 'customer.name', label: 'Full name', code: '{{ customer.name | default: customer.email }}' },
  { path: 'customer.email', label: 'Email address', code: '{{ customer.email }}' },
  { path: 'customer.plan', label: 'Plan', code: "{{ customer.plan | default: 'your subscription' }}" },
  { path: 'customer.cycle', label: 'Cycle number', code: '{{ customer.cycle }}' },
  { path: 'customer.next_renewal', label: 'Next renewal date', code: "{{ customer.next_renewal | date: '%A, %B %-d' }}" },
  { path: 'customer.lifetime_value', label: 'Lifetime value', code: '{{ customer.lifetime_value }}' },
  { path: 'customer.skipped_cycles', label: 'Cycles skipped in a row', code: '{{ customer.skipped_cycles }}' },
  { path: 'ticket.number', label: 'Ticket number', code: '{{ ticket.number }}' },
  { path: 'ticket.subject', label: 'Ticket subject', code: '{{ ticket.subject }}' },
  { path: 'links.skip', label: 'Skip-a-delivery link', code: '{{ links.skip }}' },
  { path: 'links.adjust', label: 'Change-subscription link', code: '{{ links.adjust }}' },
  { path: 'sender.name', label: 'Sender’s name', code: '{{ sender.name }}' },
] as const;

/** A piece of a template: plain text, or a Liquid tag shown as a chip with a readable name. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field' | 'logic' | 'code'; code: string; label: string };

const FIELD_LABELS = new Map<string, string>(TEMPLATE_FIELDS.map((field) => [field.path, field.label]));
const fieldLabel = (path: string) => FIELD_LABELS.get(path) ?? path.split('.').pop()?.replace(/_/g, ' ') ?? path;

/** What a `{{ … }}` or `{% … %}` tag means, in words: "First name (or “there”)", "Only if there is a Skip-a-delivery link". */
function describeTag(code: string): TemplatePart {
  const output = /^\{\{-?\s*([\w.]+)\s*((?:\|[^}]*)?)-?\}\}$/.exec(code);
  if (output) {
    const [, path, filters] = output;
    const fallback = /default:\s*(?:'([^']*)'|"([^"]*)"|([\w.]+))/.exec(filters);
    const or = fallback ? ` (or ${fallback[3] ? fieldLabel(fallback[3]).toLowerCase() : `“${fallback[1] ?? fallback[2]}”`})` : '';
    return { kind: 'field', code, label: `${fieldLabel(path)}${or}` };
  }
  const logic = /^\{%-?\s*(if|unless|else|endif|endunless)\b\s*([\w.]*)\s*-?%\}$/.exec(code);
  if (logic) {
    const [, word, path] = logic;
    const label = word === 'if' ? `Only if there is a ${fieldLabel(path)}:` : word === 'unless' ? `Only if there is no ${fieldLabel(path)}:` : word === 'else' ? 'Otherwise:' : 'End of the condition';
    return { kind: 'logic', code, label };
  }
  return { kind: 'code', code, label: code };
}

/** Splits a template into text and tags (each tag described), in order; joining the parts' text and code gives it back. */
export function templateParts(template: string): TemplatePart[] {
  return template
    .split(/(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/)
    .filter((piece) => piece !== '')
    .map((piece) => (/^\{[{%]/.test(piece) ? describeTag(piece) : { kind: 'text', text: piece }));
}

export const JourneyStepSchema = z.discriminatedUnion('type', [
  z.object({
    id: stepId,
    type: z.literal('email'),
    subject: template.min(1).max(500),
    body: template.min(1),
    /** Offers and check-ins; held back while the customer has an open ticket, unless the journey allows it. */
    marketing: z.boolean().default(true),
  }),
  z.object({ id: stepId, type: z.literal('wait'), wait: WaitSchema }),
  z.object({ id: stepId, type: z.literal('branch'), condition: ConditionSchema, ifTrue: branchTarget.default('next'), ifFalse: branchTarget.default('end') }),
  /** An internal ticket for a care owner (the journey's owner when no assignee is named). */
  z.object({ id: stepId, type: z.literal('task'), title: template.min(1).max(500), body: template.default(''), assigneeId: z.uuid().nullable().default(null) }),
  /** A tag on the customer, and on the ticket that started the journey when there is one. */
  z.object({ id: stepId, type: z.literal('tag'), tag }),
  /**
   * "How likely are you to recommend us, 0–10": an NPS survey sent the way the CSAT survey is (signed link, a page
   * that records on confirm, optional comment), from the journey's mailbox.
   */
  z.object({ id: stepId, type: z.literal('nps_survey') }),
]);
export type JourneyStep = z.output<typeof JourneyStepSchema>;
export type JourneyStepInput = z.input<typeof JourneyStepSchema>;
export type JourneyStepType = JourneyStep['type'];

export const EXIT_GOALS = ['replied', 'reactivated', 'cancelled', 'renewed'] as const;
export type ExitGoal = (typeof EXIT_GOALS)[number];

/** Step ids are unique and branches only jump forward, so every enrollment ends and runs each step at most once. */
function checkSteps(steps: JourneyStep[], context: z.RefinementCtx): void {
  const index = new Map(steps.map((step, position) => [step.id, position]));
  if (index.size !== steps.length) context.addIssue({ code: 'custom', path: ['steps'], message: 'step ids must be unique' });
  steps.forEach((step, position) => {
    if (step.type !== 'branch') return;
    for (const key of ['ifTrue', 'ifFalse'] as const) {
      const target = step[key];
      if (target === 'next' || target === 'end') continue;
      const to = index.get(target);
      if (to === undefined) context.addIssue({ code: 'custom', path: ['steps', position, key], message: `no step with id ${target}` });
      else if (to <= position) context.addIssue({ code: 'custom', path: ['steps', position, key], message: 'a branch may only jump to a later step' });
    }
  });
}

const journeyFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  trigger: JourneyTriggerSchema,
  steps: z.array(JourneyStepSchema).min(1).max(40),
  exitGoals: z.array(z.enum(EXIT_GOALS)).max(EXIT_GOALS.length).default([]),
  /** The mailbox care emails leave from (and replies arrive at); the first active mailbox when null. */
  mailboxId: z.uuid().nullable().default(null),
  fromName: z.string().trim().min(1).max(200).nullable().default(null),
  /** Send marketing-like steps even while the customer has an open ticket. */
  sendWhileTicketOpen: z.boolean().default(false),
  /** The care owner tasks go to by default. */
  ownerId: z.uuid().nullable().default(null),
  /**
   * The share of customers (0–50%) who enter but get no steps, so the journey's effect can be measured against
   * them; who is held out is decided by customer and journey, the same every time.
   */
  holdoutPercent: z.number().int().min(0).max(50).default(0),
};
export const CreateJourneySchema = z.object(journeyFields).superRefine((journey, context) => checkSteps(journey.steps, context));
export type CreateJourneyRequest = z.input<typeof CreateJourneySchema>;
export const UpdateJourneySchema = patchSchema(z.object(journeyFields)).superRefine((journey, context) => {
  if (journey.steps) checkSteps(journey.steps, context);
});
export type UpdateJourneyRequest = z.input<typeof UpdateJourneySchema>;

export const JOURNEY_STATUSES = ['draft', 'active', 'paused'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export interface JourneyStepFigureDto {
  stepId: string;
  done: number;
  skipped: number;
}
export interface JourneyFiguresDto {
  entered: number;
  active: number;
  completed: number;
  goalReached: number;
  unsubscribed: number;
  replies: number;
  emailsSent: number;
  steps: JourneyStepFigureDto[];
}

export interface JourneyDto {
  id: string;
  name: string;
  description: string;
  presetKey: string | null;
  status: JourneyStatus;
  trigger: JourneyTrigger;
  steps: JourneyStep[];
  exitGoals: ExitGoal[];
  mailboxId: string | null;
  fromName: string | null;
  sendWhileTicketOpen: boolean;
  ownerId: string | null;
  holdoutPercent: number;
  activatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  figures: JourneyFiguresDto;
}

export interface JourneyPresetDto {
  key: string;
  name: string;
  description: string;
  trigger: JourneyTrigger;
  steps: JourneyStep[];
  exitGoals: ExitGoal[];
  /** The journey made from this preset, when there is one. */
  journeyId: string | null;
}
/** Before a preset goes live: who it would have taken in lately, and its emails as a sample customer gets them. */
export interface JourneyReviewDto {
  /** The period looked at: the last 30 days. */
  from: string;
  to: string;
  /** Customers its trigger picked out in that period (each once). */
  customers: number;
  /** A few of them, newest customers first. */
  sample: { customerId: string; email: string; name: string | null }[];
  /** Every email step rendered for the first customer of the sample (a made-up one without). */
  emails: { stepId: string; subject: string; body: string }[];
  /** Whose data fills the emails. */
  previewFor: string;
  /** What else it does, in words (tasks, tags, surveys, waits). */
  otherSteps: string[];
}

export const CreateFromPresetSchema = z.object({
  mailboxId: z.uuid().nullable().default(null),
  /** Switch it on at once rather than leaving it as a draft to edit first. */
  activate: z.boolean().default(false),
});
export type CreateFromPresetRequest = z.input<typeof CreateFromPresetSchema>;

export const TestSendSchema = z.object({
  stepId: stepId,
  /** The customer whose data fills the template; a sample customer when null. */
  customerId: z.uuid().nullable().default(null),
});
export type TestSendRequest = z.input<typeof TestSendSchema>;
export interface TestSendResultDto {
  sentTo: string;
  subject: string;
}

export const CareSettingsSchema = z.object({
  /** Care emails per customer in any 7 days, at most. */
  weeklyEmailCap: z.number().int().min(1).max(50),
  /** Local hours (customer's zone) in which no care email leaves; both null turns quiet hours off. */
  quietHoursStart: z.number().int().min(0).max(23).nullable(),
  quietHoursEnd: z.number().int().min(0).max(23).nullable(),
  /** For customers without a known zone. */
  defaultTimeZone: timeZoneSchema,
  /** The customer's subscription page on the shop; `{{ links.skip }}` and `{{ links.adjust }}` are built from it. */
  manageSubscriptionUrl: z.url().max(500).nullable(),
});
export type CareSettingsDto = z.infer<typeof CareSettingsSchema>;
export const UpdateCareSettingsSchema = CareSettingsSchema.partial();
export type UpdateCareSettingsRequest = z.input<typeof UpdateCareSettingsSchema>;
