import type { DomainEvent } from '../common/domain-events';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TicketAction } from '../../../contracts/automation';
import type { UpdateTicketRequest } from '../../../contracts/api';
import { InvalidFieldError } from '../common/errors';
import type { Ticket } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { renderTemplate, type TemplateVariables } from './template-renderer';
import { TicketContextRepository } from './ticket-context.repository';
import type { TemplateSubject } from './template-variables';

export interface ActionOutcome {
  eventIds: string[];
  changed: string[];
  /** What each action did, in words, for the timeline and the preview. */
  descriptions: string[];
  /** Internal notes added, each owing a `message.created`. */
  noteIds: string[];
  warnings: string[];
}

export const emptyOutcome = (): ActionOutcome => ({ eventIds: [], changed: [], descriptions: [], noteIds: [], warnings: [] });

/** The domain events an outcome owes once it commits: the ticket's changes, then each note added. */
export function outcomeEvents(ticketId: string, outcome: ActionOutcome): DomainEvent[] {
  return [
    ...(outcome.eventIds.length ? [{ name: 'ticket.updated' as const, payload: { ticketId, eventIds: outcome.eventIds, changed: outcome.changed } }] : []),
    ...outcome.noteIds.map((messageId) => ({ name: 'message.created' as const, payload: { ticketId, messageId } })),
  ];
}

export function mergeOutcome(into: ActionOutcome, from: ActionOutcome): void {
  into.eventIds.push(...from.eventIds);
  into.changed.push(...from.changed);
  into.descriptions.push(...from.descriptions);
  into.noteIds.push(...from.noteIds);
  into.warnings.push(...from.warnings);
}

/**
 * Applies macro and rule actions to a locked ticket inside the caller's transaction, through
 * TicketsService.applyChanges so each change lands on the timeline. Anything invalid (a deleted team,
 * a deactivated agent) throws, and the caller's transaction undoes every action before it.
 */
@Injectable()
export class TicketActionsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly context: TicketContextRepository,
  ) {}

  /** What a template can use about this ticket, read inside the caller's transaction. */
  async subject(ticket: Ticket, agent: TemplateSubject['agent'], manager?: EntityManager): Promise<TemplateSubject> {
    // One after another: the queries share the transaction's connection.
    const tags = (await this.ticketRepository.tagNames([ticket.id], manager)).get(ticket.id) ?? [];
    const customer = ticket.customerId ? await this.context.customer(ticket.customerId, manager) : null;
    const team = ticket.teamId ? await this.context.team(ticket.teamId, manager) : null;
    const mailbox = ticket.mailboxId ? await this.context.mailbox(ticket.mailboxId, manager) : null;
    return { ticket, customer, tags, teamName: team?.name ?? null, agent, mailbox };
  }

  async apply(ticket: Ticket, actions: TicketAction[], actor: Actor, variables: TemplateVariables, manager: EntityManager): Promise<ActionOutcome> {
    const outcome = emptyOutcome();
    const changes: UpdateTicketRequest = {};
    let tags: string[] | null = null;
    for (const action of actions) {
      outcome.descriptions.push(await this.describeAction(action, manager));
      if (action.type === 'set_status') changes.status = action.status;
      else if (action.type === 'set_priority') changes.priority = action.priority;
      else if (action.type === 'set_team') changes.teamId = action.teamId;
      else if (action.type === 'set_assignee') changes.assigneeId = action.assigneeId;
      else if (action.type === 'add_note') {
        const note = renderTemplate(action.body, variables);
        const message = await this.tickets.appendMessage(ticket, { direction: 'note', authorId: actor.type === 'user' ? actor.id : null, bodyText: note.text }, manager);
        outcome.noteIds.push(message.id);
        outcome.warnings.push(...note.warnings);
      } else {
        const current: string[] = tags ?? (await this.ticketRepository.tagNames([ticket.id], manager)).get(ticket.id) ?? [];
        tags = action.type === 'add_tags' ? [...new Set([...current, ...action.tags])] : current.filter((tag) => !action.tags.includes(tag));
      }
    }
    if (tags) changes.tags = tags;
    const { eventIds, changed } = await this.tickets.applyChanges(ticket, changes, actor, manager);
    outcome.eventIds.push(...eventIds);
    outcome.changed.push(...changed);
    return outcome;
  }

  /** Each action in words, without applying anything (the macro preview). */
  describe(actions: TicketAction[]): Promise<string[]> {
    return Promise.all(actions.map((action) => this.describeAction(action)));
  }

  /** Inside a transaction (`manager` given), a team or agent that no longer exists is an error rather than words. */
  private async describeAction(action: TicketAction, manager?: EntityManager): Promise<string> {
    const strict = manager !== undefined;
    switch (action.type) {
      case 'set_status':
        return `Set status to ${action.status.replace('_', ' ')}`;
      case 'set_priority':
        return `Set priority to ${action.priority}`;
      case 'set_team': {
        if (!action.teamId) return 'Remove the team';
        const team = await this.context.team(action.teamId, manager);
        if (!team && strict) throw new InvalidFieldError('actions', 'the team this action sets no longer exists');
        return `Set team to ${team?.name ?? 'a deleted team'}`;
      }
      case 'set_assignee': {
        if (!action.assigneeId) return 'Unassign';
        const user = await this.context.user(action.assigneeId, manager);
        if (!user?.isActive && strict) throw new InvalidFieldError('actions', 'the agent this action assigns is no longer active');
        return `Assign to ${user?.name ?? 'a deleted user'}`;
      }
      case 'add_tags':
        return `Add tags ${action.tags.join(', ')}`;
      case 'remove_tags':
        return `Remove tags ${action.tags.join(', ')}`;
      case 'add_note':
        return 'Add an internal note';
    }
  }
}
