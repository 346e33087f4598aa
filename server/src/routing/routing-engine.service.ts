import { OutboxService } from '../outbox/outbox.service';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RuleAction, RuleFiredEventData, RuleTrigger } from '../../../contracts/automation';
import type { MessageFlag } from '../../../contracts/domain';
import { Clock } from '../common/clock';
import type { DomainEvent } from '../common/domain-events';
import type { Customer } from '../customers/customer.entity';
import { JobsService } from '../jobs/jobs.service';
import { MacroRepository } from '../macros/macro.repository';
import { renderTemplate } from '../macros/template-renderer';
import { templateVariables, type TemplateSubject } from '../macros/template-variables';
import { emptyOutcome, mergeOutcome, outcomeEvents, TicketActionsService, type ActionOutcome } from '../macros/ticket-actions.service';
import { businessMinutesBetween, CALENDAR_HOURS, type BusinessCalendar } from '../sla/clock';
import type { Message } from '../tickets/message.entity';
import type { Ticket } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { AssignmentService, RULE_ACTOR } from './assignment.service';
import type { RoutingRule } from './routing-rule.entity';
import { RoutingRepository, type DueTicket } from './routing.repository';
import { conditionsHold, type RuleFacts } from './rule-conditions';

export const AUTO_REPLY_QUEUE = 'routing.auto-reply';
export interface AutoReplyJob {
  ticketId: string;
  body: string;
  fromName: string | null;
}

/** Mail nobody typed: rules may still tag or route it, but never answer it. */
const NOISE: MessageFlag[] = ['auto_reply', 'bulk', 'bounce'];
const TIME_BATCH = 100;
const MINUTE = 60_000;

/** The parts of a rule that decide whether it matches; a dry run passes an unsaved one. */
type RuleMatch = Pick<RoutingRule, 'match' | 'conditions'>;

export function factsOf(ticket: Ticket, customer: Customer | null, tags: string[], message: Message | null, calendars: Map<string, BusinessCalendar>, now: Date): RuleFacts {
  return {
    mailboxId: ticket.mailboxId,
    fromAddress: message?.fromAddress ?? customer?.email ?? null,
    recipients: [...(message?.toAddresses ?? []), ...(message?.ccAddresses ?? [])],
    subject: message?.subject ?? ticket.subject,
    body: message?.bodyText ?? '',
    customer: customer && { subscriptionStatus: customer.subscriptionStatus, currentCycle: customer.currentCycle, plan: customer.plan },
    tags,
    priority: ticket.priority,
    isOpen: (calendarId) => {
      const calendar = calendars.get(calendarId);
      return Boolean(calendar) && businessMinutesBetween(calendar as BusinessCalendar, now, new Date(now.getTime() + MINUTE)) > 0;
    },
  };
}

/**
 * Runs routing rules: event rules in order when a ticket is created or a customer writes, time-based
 * rules from the scheduler's pass. Each evaluation is one transaction with the ticket locked; each rule
 * that fires leaves a `rule.fired` event on the timeline saying what it did.
 */
@Injectable()
export class RoutingEngine {
  constructor(
    private readonly routing: RoutingRepository,
    private readonly actions: TicketActionsService,
    private readonly assignment: AssignmentService,
    private readonly macros: MacroRepository,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly jobs: JobsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Evaluates the trigger's rules for each ticket in turn (in order: round-robin and capacity depend on the
   * assignments before). The rules are read once for the lot, and most workspaces have none for a trigger.
   */
  async evaluateAll(trigger: RuleTrigger, items: { ticketId: string; messageId?: string }[]): Promise<void> {
    if (items.length === 0) return;
    const rules = await this.routing.eventRules(trigger);
    if (rules.length === 0) {
      if (trigger === 'ticket_created') await this.outbox.transaction((manager, raise) => this.placed(items.map((item) => item.ticketId), manager, raise));
      return;
    }
    for (const { ticketId, messageId } of items) await this.evaluateWith(rules, ticketId, trigger, messageId);
  }

  /** New tickets are where their rules put them: from now on they may be announced (realtime waits for this). */
  private async placed(ticketIds: string[], manager: EntityManager, raise: (event: DomainEvent) => void): Promise<void> {
    await this.ticketRepository.markRouted(ticketIds, manager);
    for (const ticketId of ticketIds) raise({ name: 'ticket.routed', payload: { ticketId } });
  }

  async evaluate(ticketId: string, trigger: RuleTrigger, messageId?: string): Promise<void> {
    await this.evaluateAll(trigger, [{ ticketId, messageId }]);
  }

  private async evaluateWith(rules: RoutingRule[], ticketId: string, trigger: RuleTrigger, messageId?: string): Promise<void> {
    const first = await this.routing.inboundMessage(ticketId, 'first');
    let message = first;
    if (trigger === 'inbound_message') {
      message = messageId ? await this.routing.findMessage(messageId) : null;
      // The first message arrives with the ticket, which the ticket_created rules handle.
      if (!message || message.direction !== 'inbound' || message.id === first?.id) return;
    }
    const calendars = await this.calendarsFor(rules);
    const outcome = await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
      if (!ticket) return emptyOutcome();
      const result = emptyOutcome();
      let subject = await this.actions.subject(ticket, null, manager);
      for (const rule of rules) {
        if (!this.matches(rule, subject, message, calendars)) continue;
        mergeOutcome(result, await this.fire(rule, ticket, trigger, message, manager));
        if (rule.stopProcessing) break;
        // What this rule changed (tags, priority, team) is what the next rules see.
        subject = await this.actions.subject(ticket, null, manager);
      }
      outcomeEvents(ticketId, result).forEach(raise);
      if (trigger === 'ticket_created') await this.placed([ticketId], manager, raise);
      return result;
    });
    this.afterCommit(outcome);
  }

  /** One scheduler pass over the time-based rules: each fires once per ticket and window. */
  async runTimeRules(): Promise<void> {
    const rules = await this.routing.timeRules();
    const calendars = await this.calendarsFor(rules);
    const now = this.clock.now();
    /** Tickets a firing rule with stopProcessing has claimed for the rest of this pass. */
    const stopped = new Set<string>();
    for (const rule of rules) {
      const condition = rule.timeCondition;
      if (!condition) continue;
      const minutes = condition.type === 'pending_for' ? condition.days * 24 * 60 : condition.minutes;
      const calendar = condition.type === 'no_agent_reply_for' && condition.calendarId ? (calendars.get(condition.calendarId) ?? CALENDAR_HOURS) : CALENDAR_HOURS;
      // Business minutes never outrun wall-clock minutes, so the wall-clock bound finds every candidate.
      const startedBefore = new Date(now.getTime() - minutes * MINUTE);
      let after: DueTicket | null = null;
      let batch: DueTicket[];
      do {
        const fired: ActionOutcome[] = [];
        batch = await this.outbox.transaction(async (manager, raise) => {
          const due = await this.routing.dueTickets(rule.id, condition.type, startedBefore, after, TIME_BATCH, manager);
          for (const { ticketId, windowStart } of due) {
            if (stopped.has(ticketId) || businessMinutesBetween(calendar, windowStart, now) < minutes) continue;
            const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
            const message = await this.routing.inboundMessage(ticketId, 'latest', manager);
            if (!ticket || !this.matches(rule, await this.actions.subject(ticket, null, manager), message, calendars)) continue;
            if (!(await this.routing.recordFiring(rule.id, ticketId, windowStart, now, manager))) continue;
            const outcome = await this.fire(rule, ticket, 'time', message, manager);
            outcomeEvents(ticketId, outcome).forEach(raise);
            fired.push(outcome);
            if (rule.stopProcessing) stopped.add(ticketId);
          }
          return due;
        });
        for (const outcome of fired) this.afterCommit(outcome);
        after = batch.at(-1) ?? null;
      } while (batch.length === TIME_BATCH);
    }
  }

  /** Which of the latest tickets an unsaved rule's conditions would match, judged on each ticket's first message. */
  async dryRun(rule: RuleMatch, limit: number): Promise<{ evaluated: number; matches: Ticket[] }> {
    const tickets = await this.routing.latestTickets(limit);
    const ids = tickets.map((ticket) => ticket.id);
    const [messages, tags, calendars] = await Promise.all([this.routing.firstInboundMessages(ids), this.ticketRepository.tagNames(ids), this.calendarsFor([rule])]);
    const now = this.clock.now();
    const matches = tickets.filter((ticket) => conditionsHold(rule.match, rule.conditions, factsOf(ticket, ticket.customer, tags.get(ticket.id) ?? [], messages.get(ticket.id) ?? null, calendars, now)));
    return { evaluated: tickets.length, matches };
  }

  private matches(rule: RuleMatch, subject: TemplateSubject, message: Message | null, calendars: Map<string, BusinessCalendar>): boolean {
    return conditionsHold(rule.match, rule.conditions, factsOf(subject.ticket, subject.customer, subject.tags, message, calendars, this.clock.now()));
  }

  /**
   * Runs a rule's actions in a savepoint: a rule that fails (a macro's team was deleted) is recorded on the
   * timeline as failed and undone, without undoing the rules before it.
   */
  private async fire(rule: RoutingRule, ticket: Ticket, trigger: RuleFiredEventData['trigger'], message: Message | null, manager: EntityManager): Promise<ActionOutcome> {
    try {
      return await manager.transaction(async (savepoint) => {
        const outcome = emptyOutcome();
        for (const action of rule.actions) mergeOutcome(outcome, await this.runAction(action, rule, ticket, message, savepoint));
        const data: RuleFiredEventData = { ruleId: rule.id, ruleName: rule.name, trigger, actions: outcome.descriptions };
        const event = await this.tickets.addEvent(ticket.id, 'rule.fired', RULE_ACTOR, { ...data }, savepoint);
        mergeOutcome(outcome, { ...emptyOutcome(), eventIds: [event.id], changed: [event.type] });
        return outcome;
      });
    } catch (error) {
      Object.assign(ticket, await this.ticketRepository.findForUpdate(ticket.id, manager));
      const reason = error instanceof Error ? error.message : String(error);
      const event = await this.tickets.addEvent(ticket.id, 'rule.failed', RULE_ACTOR, { ruleId: rule.id, ruleName: rule.name, trigger, reason }, manager);
      return { ...emptyOutcome(), eventIds: [event.id], changed: [event.type] };
    }
  }

  private async runAction(action: RuleAction, rule: RoutingRule, ticket: Ticket, message: Message | null, manager: EntityManager): Promise<ActionOutcome> {
    const subject = await this.actions.subject(ticket, null, manager);
    const variables = templateVariables(subject);
    switch (action.type) {
      case 'assign_agent':
        return this.assignment.assign(ticket, action.teamId, action.strategy, manager);
      case 'apply_macro': {
        const macro = await this.macros.findById(action.macroId, manager);
        if (!macro) return { ...emptyOutcome(), descriptions: ['Could not apply a macro: it no longer exists'] };
        const outcome = await this.actions.apply(ticket, macro.actions, RULE_ACTOR, variables, manager);
        await this.macros.recordUse(macro.id, this.clock.now(), manager);
        return { ...outcome, descriptions: [`Apply macro ${macro.name}`, ...outcome.descriptions] };
      }
      case 'send_auto_reply': {
        if (message?.flags.some((flag) => NOISE.includes(flag))) {
          return { ...emptyOutcome(), descriptions: ['Did not send the automatic reply: the message is an auto-reply or bulk mail'] };
        }
        const job: AutoReplyJob = { ticketId: ticket.id, body: renderTemplate(action.body, variables).text, fromName: subject.mailbox?.name ?? null };
        // Sent by a job in this transaction: the reply exists exactly when the rule's firing commits.
        await this.jobs.send(AUTO_REPLY_QUEUE, job, { manager, singletonKey: `${rule.id}:${message?.id ?? ticket.id}` });
        return { ...emptyOutcome(), descriptions: ['Send an automatic reply'] };
      }
      default:
        return this.actions.apply(ticket, [action], RULE_ACTOR, variables, manager);
    }
  }

  /** Wakes the auto-reply worker in case a firing queued a reply, instead of waiting for its poll. */
  private afterCommit(outcome: ActionOutcome): void {
    if (outcome.eventIds.length) this.jobs.nudge(AUTO_REPLY_QUEUE);
  }

  private async calendarsFor(rules: (RuleMatch & { timeCondition?: RoutingRule['timeCondition'] })[]): Promise<Map<string, BusinessCalendar>> {
    const ids = new Set<string>();
    for (const rule of rules) {
      for (const condition of rule.conditions) if (condition.field === 'business_hours') ids.add(condition.value);
      if (rule.timeCondition?.type === 'no_agent_reply_for' && rule.timeCondition.calendarId) ids.add(rule.timeCondition.calendarId);
    }
    const rows = await this.routing.calendars([...ids]);
    return new Map(rows.map((row) => [row.id, { timeZone: row.timeZone, weekly: row.weekly, holidays: row.holidays }]));
  }
}
