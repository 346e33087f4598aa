import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InitiativesService } from '../care/initiatives.service';
import { DomainEvents, type DomainEventMap } from '../common/domain-events';
import { toMessageDto, toTicketEventDto } from '../tickets/ticket.mapper';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import type { LoggedEvents } from '../../../contracts/events';
import type { TicketEvent } from '../tickets/ticket-event.entity';
import type { Audience } from './realtime.types';
import { CARE_ROOM, lostAudience, STAFF_ROOM, ticketAudience } from './realtime-rooms';
import { RealtimeSender } from './realtime-sender';

const onDomainEvent = (name: keyof DomainEventMap) => OnEvent(name);
/** User changes that change which rooms their sockets belong in, or whether they may connect at all. */
const ACCESS_CHANGES = new Set(['role', 'teamIds', 'isActive', 'password']);

/** The one place that turns domain events into pushes and decides, through the room policy, who receives them. */
@Injectable()
export class RealtimeListener {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRecords: TicketRepository,
    private readonly users: UserRepository,
    private readonly sender: RealtimeSender,
    private readonly initiatives: InitiativesService,
    events: DomainEvents,
  ) {
    // Ticket, message and SLA changes come in batches (imported mail, SLA passes): each batch is recorded with one statement.
    events.onBatch('ticket.created', (created) => this.onTicketsCreated(created));
    events.onBatch('ticket.updated', (updates) => this.onTicketsUpdated(updates));
    events.onBatch('message.created', (created) => this.publishMessages('message.created', created));
    for (const name of ['sla.warning', 'sla.breached', 'sla.updated'] as const) events.onBatch(name, (changes) => this.onSlaChanged(changes));
  }

  private async onTicketsCreated(created: DomainEventMap['ticket.created'][]): Promise<void> {
    const [tickets, privateTeamIds] = await Promise.all([this.tickets.summaries(created.map((event) => event.ticketId)), this.users.privateTeamIds()]);
    const entries = created.flatMap(({ ticketId }) => {
      const ticket = tickets.get(ticketId);
      return ticket ? [{ payload: { ticket }, audience: ticketAudience(ticket.teamId, privateTeamIds) }] : [];
    });
    await this.sender.publishAll('ticket.created', entries);
  }

  private async onTicketsUpdated(updates: DomainEventMap['ticket.updated'][]): Promise<void> {
    const [tickets, events, privateTeamIds] = await Promise.all([
      this.tickets.summaries(updates.map((update) => update.ticketId)),
      this.ticketRecords.findEvents(updates.flatMap((update) => update.eventIds)),
      this.users.privateTeamIds(),
    ]);
    const eventsById = new Map(events.map((event) => [event.id, event]));
    const hidden: { payload: { ticketId: string }; audience: Audience }[] = [];
    const updated: { payload: LoggedEvents['ticket.updated']; audience: Audience }[] = [];
    for (const { ticketId, eventIds, changed } of updates) {
      const ticket = tickets.get(ticketId);
      if (!ticket) continue;
      // Timeline order: the events of one change share a timestamp, so keep the order they were recorded in.
      const ownEvents = eventIds.map((id) => eventsById.get(id)).filter((event): event is TicketEvent => event !== undefined);
      const teamChange = ownEvents.find((event) => event.type === 'team.changed');
      if (teamChange) {
        const fromTeamId = typeof teamChange.data.from === 'string' ? teamChange.data.from : null;
        const lost = lostAudience(fromTeamId, ticket.teamId, privateTeamIds);
        if (lost) hidden.push({ payload: { ticketId }, audience: lost });
      }
      updated.push({ payload: { ticket, changed, events: ownEvents.map(toTicketEventDto) }, audience: ticketAudience(ticket.teamId, privateTeamIds) });
    }
    await this.sender.publishAll('ticket.hidden', hidden);
    await this.sender.publishAll('ticket.updated', updated);
  }

  /** SLA state lives in the ticket summary (the list's badge): a warning, breach or recomputation re-sends it. */
  private async onSlaChanged(changes: { ticketId: string }[]): Promise<void> {
    const ticketIds = [...new Set(changes.map((change) => change.ticketId))];
    const [tickets, privateTeamIds] = await Promise.all([this.tickets.summaries(ticketIds), this.users.privateTeamIds()]);
    const entries = ticketIds.flatMap((ticketId) => {
      const ticket = tickets.get(ticketId);
      return ticket ? [{ payload: { ticket, changed: ['sla.changed'], events: [] }, audience: ticketAudience(ticket.teamId, privateTeamIds) }] : [];
    });
    await this.sender.publishAll('ticket.updated', entries);
  }

  /**
   * A socket's rooms and what it may see were fixed when it connected. When the user's role, teams or access
   * change, their sockets are closed (on every instance); the client connects again at once and gets rooms for
   * who they are now (or is refused, when the change ended their sessions), then replays what it missed.
   */
  @onDomainEvent('user.updated')
  onUserUpdated({ userId, changed }: DomainEventMap['user.updated']): void {
    if (changed.some((field) => ACCESS_CHANGES.has(field))) this.sender.disconnectUser(userId);
  }

  @onDomainEvent('ticket.deleted')
  async onTicketDeleted({ ticketId }: DomainEventMap['ticket.deleted']): Promise<void> {
    // The ticket (and its team) is gone; only its id goes out, to everyone.
    await this.sender.publish('ticket.deleted', { ticketId }, { rooms: [STAFF_ROOM] });
  }

  @onDomainEvent('message.updated')
  onMessageUpdated(update: DomainEventMap['message.updated']): Promise<void> {
    return this.publishMessages('message.updated', [update]);
  }

  /** Everyone signed in may open reports (each sees what their role allows), so the signal goes to staff. */
  @onDomainEvent('reports.updated')
  onReportsUpdated(): void {
    this.sender.send({ rooms: [STAFF_ROOM] }, 'reports.updated', { at: new Date().toISOString() });
  }

  @onDomainEvent('initiative.updated')
  async onInitiativeUpdated({ initiativeId }: DomainEventMap['initiative.updated']): Promise<void> {
    await this.sender.publish('initiative.updated', { initiative: await this.initiatives.get(initiativeId) }, { rooms: [CARE_ROOM] });
  }

  @onDomainEvent('initiative.tickets_linked')
  async onInitiativeTicketsLinked(payload: DomainEventMap['initiative.tickets_linked']): Promise<void> {
    await this.sender.publish('initiative.tickets_linked', payload, { rooms: [CARE_ROOM] });
  }

  @onDomainEvent('initiative.comment_added')
  async onInitiativeCommentAdded({ initiativeId, commentId }: DomainEventMap['initiative.comment_added']): Promise<void> {
    await this.sender.publish('initiative.comment_added', { initiativeId, comment: await this.initiatives.comment(commentId) }, { rooms: [CARE_ROOM] });
  }

  private async publishMessages(name: 'message.created' | 'message.updated', changes: DomainEventMap['message.created'][]): Promise<void> {
    const [teams, messages, privateTeamIds] = await Promise.all([
      this.ticketRecords.teamIds(changes.map((change) => change.ticketId)),
      this.ticketRecords.findMessages(changes.map((change) => change.messageId)),
      this.users.privateTeamIds(),
    ]);
    const messagesById = new Map(messages.map((message) => [message.id, message]));
    const entries = changes.flatMap(({ ticketId, messageId }) => {
      const message = messagesById.get(messageId);
      return message && teams.has(ticketId) ? [{ payload: { ticketId, message: toMessageDto(message) }, audience: ticketAudience(teams.get(ticketId) ?? null, privateTeamIds) }] : [];
    });
    await this.sender.publishAll(name, entries);
  }
}
