import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AssignStrategy } from '../../../contracts/automation';
import type { TicketStatus } from '../../../contracts/domain';
import { Clock } from '../common/clock';
import { emptyOutcome, outcomeEvents, type ActionOutcome } from '../macros/ticket-actions.service';
import { OutboxService } from '../outbox/outbox.service';
import { TicketContextRepository } from '../macros/ticket-context.repository';
import type { Ticket } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { ACTIVE_STATUSES, RoutingRepository, type AssignmentCandidate } from './routing.repository';

export const RULE_ACTOR: Actor = { type: 'rule', id: null };
const CLOSED_STATUSES: TicketStatus[] = ['solved', 'closed'];
const isActive = (status: TicketStatus) => (ACTIVE_STATUSES as readonly TicketStatus[]).includes(status);
/** Tickets a drain assigns per transaction, so one long queue never holds the team lock for long. */
const DRAIN_BATCH = 50;

/**
 * The next agent after `lastAssigneeId` in id order (round robin), or the one with the fewest open tickets,
 * ties going to whoever comes next in that same rotation, so equal loads still take turns.
 */
export function pickAgent(candidates: AssignmentCandidate[], lastAssigneeId: string | null, strategy: AssignStrategy): AssignmentCandidate | null {
  if (candidates.length === 0) return null;
  const start = lastAssigneeId ? candidates.findIndex((candidate) => candidate.userId > lastAssigneeId) : 0;
  const rotation = start <= 0 ? candidates : [...candidates.slice(start), ...candidates.slice(0, start)];
  if (strategy === 'round_robin') return rotation[0];
  return rotation.reduce((best, candidate) => (candidate.openCount < best.openCount ? candidate : best));
}

/**
 * Assigns tickets to agents who are available and below capacity. Every pick for a team happens under the
 * team's lock, inside the ticket's transaction, so concurrent tickets never double-book a slot; tickets
 * nobody can take wait in the team queue and are assigned oldest first when an agent frees up.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly routing: RoutingRepository,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly context: TicketContextRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Assigns a locked ticket to an agent of the team (its own when teamId is null), or queues it there. */
  async assign(ticket: Ticket, teamId: string | null, strategy: AssignStrategy, manager: EntityManager): Promise<ActionOutcome> {
    const outcome = emptyOutcome();
    const targetTeamId = teamId ?? ticket.teamId;
    if (!targetTeamId) {
      outcome.descriptions.push('Could not assign an agent: the ticket has no team');
      return outcome;
    }
    const team = await this.context.team(targetTeamId, manager);
    if (!team) {
      outcome.descriptions.push('Could not assign an agent: the team no longer exists');
      return outcome;
    }
    const agent = await this.assignToNextAgent(ticket, targetTeamId, strategy, outcome, manager);
    if (agent) {
      outcome.descriptions.push(`Assign to ${agent.name} (${strategy === 'round_robin' ? 'round robin' : 'fewest open tickets'}, team ${team.name})`);
    } else {
      if (ticket.teamId !== targetTeamId) this.merge(outcome, await this.tickets.applyChanges(ticket, { teamId: targetTeamId }, RULE_ACTOR, manager));
      await this.routing.enqueue(ticket.id, targetTeamId, strategy, this.clock.now(), manager);
      outcome.descriptions.push(`Queue in team ${team.name}: no agent is available below capacity`);
    }
    return outcome;
  }

  /** Assigns queued tickets of every team with a queue, oldest first, while agents have room. */
  async drainAll(): Promise<void> {
    for (const teamId of await this.routing.queuedTeamIds()) {
      while ((await this.drainBatch(teamId)) === DRAIN_BATCH);
    }
  }

  /**
   * A reopened ticket whose assignee is offline goes back to its team: to an available agent, or to the
   * queue. Called after a ticket's status changed.
   */
  async requeueIfReopenedWhileOffline(ticketId: string, eventIds: string[]): Promise<void> {
    const reopened = (await this.ticketRepository.findEvents(eventIds)).some(
      (event) => event.type === 'status.changed' && CLOSED_STATUSES.includes(event.data.from as TicketStatus) && isActive(event.data.to as TicketStatus),
    );
    if (!reopened) return;
    await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
      if (!ticket?.assigneeId || !isActive(ticket.status)) return;
      const assignee = await this.context.user(ticket.assigneeId, manager);
      if (assignee && assignee.availability !== 'offline' && assignee.isActive) return;
      const result = emptyOutcome();
      this.merge(result, await this.tickets.applyChanges(ticket, { assigneeId: null }, RULE_ACTOR, manager));
      const event = await this.tickets.addEvent(ticket.id, 'queue.requeued', RULE_ACTOR, { reason: 'The ticket reopened while its assignee is offline', previousAssigneeId: assignee?.id ?? null }, manager);
      this.merge(result, { eventIds: [event.id], changed: [event.type] });
      if (ticket.teamId) this.merge(result, await this.assign(ticket, null, 'round_robin', manager));
      outcomeEvents(ticketId, result).forEach(raise);
    });
  }

  /**
   * The open tickets of a deactivated person go back to their team: to an available agent, or to the queue.
   * Safe to run again: a ticket already handed on is no longer theirs.
   */
  async requeueTicketsOfDeactivated(userId: string): Promise<void> {
    for (const ticketId of await this.routing.openTicketIdsOfDeactivated(userId)) {
      await this.outbox.transaction(async (manager, raise) => {
        const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
        if (!ticket || ticket.assigneeId !== userId || !isActive(ticket.status)) return;
        const result = emptyOutcome();
        this.merge(result, await this.tickets.applyChanges(ticket, { assigneeId: null }, RULE_ACTOR, manager));
        const event = await this.tickets.addEvent(ticket.id, 'queue.requeued', RULE_ACTOR, { reason: 'Its assignee was deactivated', previousAssigneeId: userId }, manager);
        this.merge(result, { eventIds: [event.id], changed: [event.type] });
        if (ticket.teamId) this.merge(result, await this.assign(ticket, null, 'round_robin', manager));
        outcomeEvents(ticketId, result).forEach(raise);
      });
    }
  }

  /** One drain transaction for a team; returns how many queued tickets it settled (assigned or dropped). */
  private async drainBatch(teamId: string): Promise<number> {
    return this.outbox.transaction(async (manager, raise) => {
      await this.routing.lockTeam(teamId, manager);
      let count = 0;
      for (const entry of await this.routing.claimQueued(teamId, DRAIN_BATCH, manager)) {
        const ticket = await this.ticketRepository.findForUpdate(entry.ticketId, manager);
        // Assigned by hand, moved to another team or solved while waiting: it no longer needs the queue.
        if (!ticket || ticket.assigneeId || ticket.teamId !== teamId || !isActive(ticket.status)) {
          await this.routing.dequeue(entry.ticketId, manager);
          count++;
          continue;
        }
        const outcome = emptyOutcome();
        const agent = await this.assignToNextAgent(ticket, teamId, entry.strategy, outcome, manager);
        if (!agent) break;
        const event = await this.tickets.addEvent(ticket.id, 'queue.assigned', RULE_ACTOR, { teamId, assigneeId: agent.userId, assigneeName: agent.name, strategy: entry.strategy, queuedAt: entry.queuedAt }, manager);
        this.merge(outcome, { eventIds: [event.id], changed: [event.type] });
        outcomeEvents(ticket.id, outcome).forEach(raise);
        count++;
      }
      return count;
    });
  }

  /** Under the team lock: picks an agent, assigns the ticket (and the team), and takes it off the queue. */
  private async assignToNextAgent(ticket: Ticket, teamId: string, strategy: AssignStrategy, outcome: ActionOutcome, manager: EntityManager): Promise<AssignmentCandidate | null> {
    const lastAssigneeId = await this.routing.lockTeam(teamId, manager);
    const agent = pickAgent(await this.routing.candidates(teamId, manager), lastAssigneeId, strategy);
    if (!agent) return null;
    this.merge(outcome, await this.tickets.applyChanges(ticket, { teamId, assigneeId: agent.userId }, RULE_ACTOR, manager));
    await this.routing.setLastAssignee(teamId, agent.userId, manager);
    await this.routing.dequeue(ticket.id, manager);
    return agent;
  }

  private merge(into: ActionOutcome, from: { eventIds: string[]; changed: string[] }): void {
    into.eventIds.push(...from.eventIds);
    into.changed.push(...from.changed);
  }
}
