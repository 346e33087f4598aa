import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InitiativesService } from '../care/initiatives.service';
import type { DomainEventMap } from '../common/domain-events';
import { toMessageDto, toTicketEventDto } from '../tickets/ticket.mapper';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import { CARE_ROOM, lostAudience, STAFF_ROOM, ticketAudience } from './realtime-rooms';
import { RealtimeSender } from './realtime-sender';

const onDomainEvent = (name: keyof DomainEventMap) => OnEvent(name);

/** The one place that turns domain events into pushes and decides, through the room policy, who receives them. */
@Injectable()
export class RealtimeListener {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRecords: TicketRepository,
    private readonly users: UserRepository,
    private readonly sender: RealtimeSender,
    private readonly initiatives: InitiativesService,
  ) {}

  @onDomainEvent('ticket.created')
  async onTicketCreated({ ticketId }: DomainEventMap['ticket.created']): Promise<void> {
    const [ticket, privateTeamIds] = await Promise.all([this.tickets.summary(ticketId), this.users.privateTeamIds()]);
    if (!ticket) return;
    await this.sender.publish('ticket.created', { ticket }, ticketAudience(ticket.teamId, privateTeamIds));
  }

  @onDomainEvent('ticket.updated')
  async onTicketUpdated({ ticketId, eventIds, changed }: DomainEventMap['ticket.updated']): Promise<void> {
    const [ticket, events, privateTeamIds] = await Promise.all([this.tickets.summary(ticketId), this.ticketRecords.findEvents(eventIds), this.users.privateTeamIds()]);
    if (!ticket) return;
    // Timeline order: the events of one change share a timestamp, so keep the order they were recorded in.
    events.sort((a, b) => eventIds.indexOf(a.id) - eventIds.indexOf(b.id));

    const teamChange = events.find((event) => event.type === 'team.changed');
    if (teamChange) {
      const fromTeamId = typeof teamChange.data.from === 'string' ? teamChange.data.from : null;
      const lost = lostAudience(fromTeamId, ticket.teamId, privateTeamIds);
      if (lost) await this.sender.publish('ticket.hidden', { ticketId }, lost);
    }
    await this.sender.publish('ticket.updated', { ticket, changed, events: events.map(toTicketEventDto) }, ticketAudience(ticket.teamId, privateTeamIds));
  }

  /** SLA state lives in the ticket summary (the list's badge): a warning, breach or recomputation re-sends it. */
  @onDomainEvent('sla.warning')
  @onDomainEvent('sla.breached')
  @onDomainEvent('sla.updated')
  async onSlaChanged({ ticketId }: DomainEventMap['sla.updated']): Promise<void> {
    const [ticket, privateTeamIds] = await Promise.all([this.tickets.summary(ticketId), this.users.privateTeamIds()]);
    if (!ticket) return;
    await this.sender.publish('ticket.updated', { ticket, changed: ['sla.changed'], events: [] }, ticketAudience(ticket.teamId, privateTeamIds));
  }

  @onDomainEvent('ticket.deleted')
  async onTicketDeleted({ ticketId }: DomainEventMap['ticket.deleted']): Promise<void> {
    // The ticket (and its team) is gone; only its id goes out, to everyone.
    await this.sender.publish('ticket.deleted', { ticketId }, { rooms: [STAFF_ROOM] });
  }

  @onDomainEvent('message.created')
  onMessageCreated({ ticketId, messageId }: DomainEventMap['message.created']): Promise<void> {
    return this.publishMessage('message.created', ticketId, messageId);
  }

  @onDomainEvent('message.updated')
  onMessageUpdated({ ticketId, messageId }: DomainEventMap['message.updated']): Promise<void> {
    return this.publishMessage('message.updated', ticketId, messageId);
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

  private async publishMessage(name: 'message.created' | 'message.updated', ticketId: string, messageId: string): Promise<void> {
    const [ticket, message, privateTeamIds] = await Promise.all([this.tickets.summary(ticketId), this.ticketRecords.findMessage(messageId), this.users.privateTeamIds()]);
    if (!ticket || !message) return;
    await this.sender.publish(name, { ticketId, message: toMessageDto(message) }, ticketAudience(ticket.teamId, privateTeamIds));
  }
}
