import { Injectable } from '@nestjs/common';
import { InitiativesService } from '../care/initiatives.service';
import { NotificationsService } from '../notifications/notifications.service';
import { eventsNamed, type DomainEvent, type DomainEventMap, type DomainEventName } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { toMessageDto, toTicketEventDto } from '../tickets/ticket.mapper';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import type { TicketSummaryDto } from '../../../contracts/api';
import type { TicketEvent } from '../tickets/ticket-event.entity';
import { CARE_ROOM, lostAudience, STAFF_ROOM, ticketAudience, userRoom } from './realtime-rooms';
import { PresenceService } from './presence.service';
import { RealtimeSender, type PushEntry } from './realtime-sender';

/** User changes that change which rooms their sockets belong in, or whether they may connect at all. */
const ACCESS_CHANGES = new Set(['role', 'teamIds', 'isActive', 'password']);

/** Events of one name as the listener's methods take them: each payload with the id of the recorded event. */
type Recorded<K extends DomainEventName> = { payload: DomainEventMap[K]; id?: string }[];

/**
 * The one place that turns domain events into pushes and decides, through the room policy (the ticket access
 * rule as rooms), who receives them: each push is addressed by the ticket's team as it is at the moment of the
 * push, and nothing about a new ticket goes out before routing has placed it. Each push is recorded under the domain event it came from, so a redelivered event is pushed again with the
 * seq it had (clients that saw it drop the copy).
 */
@Injectable()
export class RealtimeListener extends DomainEventListener {
  readonly name = 'realtime';
  readonly events = [
    // A new ticket is announced once routing has placed it, so it never reaches those who may not read it where it lands.
    'ticket.routed',
    'ticket.updated',
    'ticket.deleted',
    'message.created',
    'message.updated',
    'sla.warning',
    'sla.breached',
    'sla.updated',
    'user.updated',
    'team.updated',
    'initiative.updated',
    'initiative.tickets_linked',
    'initiative.comment_added',
    'notification.created',
    'settings.updated',
  ] as const;

  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketRecords: TicketRepository,
    private readonly users: UserRepository,
    private readonly sender: RealtimeSender,
    private readonly initiatives: InitiativesService,
    private readonly notifications: NotificationsService,
    private readonly presence: PresenceService,
  ) {
    super();
  }

  /** Each notification goes to its owner's sockets only, and is replayed to them after a reconnect. */
  private async onNotificationsCreated(created: Recorded<'notification.created'>): Promise<void> {
    const notifications = await this.notifications.get(created.map(({ payload }) => payload.notificationId));
    const byNotification = new Map(created.map(({ id, payload }) => [payload.notificationId, { id, userId: payload.userId }]));
    await this.sender.publishAll(
      'notification.created',
      notifications.flatMap((notification) => {
        const owner = byNotification.get(notification.id);
        return owner ? [{ source: owner.id, payload: { notification }, audience: { rooms: [userRoom(owner.userId)] } }] : [];
      }),
    );
  }

  /** Each name's events go out together (one statement records them), names in order of first occurrence. */
  async handle(events: DomainEvent[]): Promise<void> {
    for (const name of new Set(events.map((event) => event.name))) {
      switch (name) {
        case 'ticket.routed':
          await this.onTicketsRouted(eventsNamed(events, name));
          break;
        case 'ticket.updated':
          await this.onTicketsUpdated(eventsNamed(events, name));
          break;
        case 'ticket.deleted':
          // The ticket (and its team) is gone; only its id goes out, to everyone.
          await this.sender.publishAll('ticket.deleted', eventsNamed(events, name).map(({ id, payload }) => ({ source: id, payload: { ticketId: payload.ticketId }, audience: { rooms: [STAFF_ROOM] } })));
          break;
        case 'message.created':
        case 'message.updated':
          await this.publishMessages(name, eventsNamed(events, name));
          break;
        case 'sla.warning':
        case 'sla.breached':
        case 'sla.updated':
          await this.onSlaChanged(eventsNamed(events, name));
          break;
        case 'user.updated':
          this.onUsersUpdated(eventsNamed(events, name).map((event) => event.payload));
          break;
        case 'team.updated':
          await this.onTeamsUpdated(eventsNamed(events, name));
          break;
        case 'initiative.updated':
          await this.onInitiativesUpdated(eventsNamed(events, name));
          break;
        case 'initiative.tickets_linked':
          await this.sender.publishAll('initiative.tickets_linked', eventsNamed(events, name).map(({ id, payload }) => ({ source: id, payload, audience: { rooms: [CARE_ROOM] } })));
          break;
        case 'initiative.comment_added':
          await this.onInitiativeCommentsAdded(eventsNamed(events, name));
          break;
        case 'notification.created':
          await this.onNotificationsCreated(eventsNamed(events, name));
          break;
        case 'settings.updated':
          // Tag settings are everyone's to read (the ticket view asks whether a tag is required); care settings the care room's.
          await this.sender.publishAll('settings.updated', eventsNamed(events, name).map(({ id, payload }) => ({ source: id, payload, audience: { rooms: [payload.scope === 'tags' ? STAFF_ROOM : CARE_ROOM] } })));
          break;
      }
    }
  }

  private async onTicketsRouted(routed: Recorded<'ticket.routed'>): Promise<void> {
    const [tickets, privateTeamIds] = await Promise.all([this.tickets.summaries(routed.map((event) => event.payload.ticketId)), this.users.privateTeamIds()]);
    const entries = routed.flatMap(({ id, payload: { ticketId } }) => {
      const ticket = tickets.get(ticketId);
      return ticket ? [{ source: id, payload: { ticket }, audience: ticketAudience(ticket.teamId, privateTeamIds) }] : [];
    });
    await this.sender.publishAll('ticket.created', entries);
  }

  private async onTicketsUpdated(updates: Recorded<'ticket.updated'>): Promise<void> {
    const [tickets, events, privateTeamIds] = await Promise.all([
      this.announcedSummaries(updates.map((update) => update.payload.ticketId)),
      this.ticketRecords.findEvents(updates.flatMap((update) => update.payload.eventIds)),
      this.users.privateTeamIds(),
    ]);
    const eventsById = new Map(events.map((event) => [event.id, event]));
    const hidden: PushEntry<'ticket.hidden'>[] = [];
    const updated: PushEntry<'ticket.updated'>[] = [];
    for (const { id, payload: { ticketId, eventIds, changed } } of updates) {
      const ticket = tickets.get(ticketId);
      if (!ticket) continue;
      // Timeline order: the events of one change share a timestamp, so keep the order they were recorded in.
      const ownEvents = eventIds.map((eventId) => eventsById.get(eventId)).filter((event): event is TicketEvent => event !== undefined);
      const teamChange = ownEvents.find((event) => event.type === 'team.changed');
      if (teamChange) {
        const fromTeamId = typeof teamChange.data.from === 'string' ? teamChange.data.from : null;
        const lost = lostAudience(fromTeamId, ticket.teamId, privateTeamIds);
        if (lost) hidden.push({ source: id, payload: { ticketId }, audience: lost });
      }
      updated.push({ source: id, payload: { ticket, changed, events: ownEvents.map(toTicketEventDto) }, audience: ticketAudience(ticket.teamId, privateTeamIds) });
    }
    await this.sender.publishAll('ticket.hidden', hidden);
    await this.sender.publishAll('ticket.updated', updated);
    // Outsiders who have such a ticket open leave its room: no more presence or typing from it.
    if (hidden.length) await this.presence.dropUnreadable(hidden.map((entry) => entry.payload.ticketId));
  }

  /**
   * A team turned private: everyone outside it (and below lead) drops its tickets from lists and open views, and
   * leaves the rooms of those they have open. Pushes about them already go only to the team from now on.
   */
  private async onTeamsUpdated(updates: Recorded<'team.updated'>): Promise<void> {
    const privateTeamIds = await this.users.privateTeamIds();
    const hidden = updates.flatMap(({ id, payload: { teamId, changed } }) =>
      changed.includes('isPrivate') && privateTeamIds.includes(teamId) ? [{ source: id, payload: { teamId }, audience: lostAudience(null, teamId, privateTeamIds) ?? { rooms: [] } }] : [],
    );
    if (hidden.length === 0) return;
    await this.sender.publishAll('team.hidden', hidden);
    await this.presence.dropUnreadable();
  }

  /** SLA state lives in the ticket summary (the list's badge): a warning, breach or recomputation re-sends it, once per ticket. */
  private async onSlaChanged(changes: Recorded<'sla.warning' | 'sla.breached' | 'sla.updated'>): Promise<void> {
    const firstPerTicket = new Map<string, string | undefined>();
    for (const { id, payload } of changes) if (!firstPerTicket.has(payload.ticketId)) firstPerTicket.set(payload.ticketId, id);
    const [tickets, privateTeamIds] = await Promise.all([this.announcedSummaries([...firstPerTicket.keys()]), this.users.privateTeamIds()]);
    const entries = [...firstPerTicket].flatMap(([ticketId, id]) => {
      const ticket = tickets.get(ticketId);
      return ticket ? [{ source: id, payload: { ticket, changed: ['sla.changed'], events: [] }, audience: ticketAudience(ticket.teamId, privateTeamIds) }] : [];
    });
    await this.sender.publishAll('ticket.updated', entries);
  }

  /**
   * A socket's rooms and what it may see were fixed when it connected. When the user's role, teams or access
   * change, their sockets are closed (on every instance); the client connects again at once and gets rooms for
   * who they are now (or is refused, when the change ended their sessions), then replays what it missed.
   */
  private onUsersUpdated(updates: DomainEventMap['user.updated'][]): void {
    for (const { userId, changed } of updates) if (changed.some((field) => ACCESS_CHANGES.has(field))) this.sender.disconnectUser(userId);
  }

  private async onInitiativesUpdated(updates: Recorded<'initiative.updated'>): Promise<void> {
    const entries = await Promise.all(updates.map(async ({ id, payload }) => ({ source: id, payload: { initiative: await this.initiatives.get(payload.initiativeId) }, audience: { rooms: [CARE_ROOM] } })));
    await this.sender.publishAll('initiative.updated', entries);
  }

  private async onInitiativeCommentsAdded(added: Recorded<'initiative.comment_added'>): Promise<void> {
    const entries = await Promise.all(added.map(async ({ id, payload }) => ({ source: id, payload: { initiativeId: payload.initiativeId, comment: await this.initiatives.comment(payload.commentId) }, audience: { rooms: [CARE_ROOM] } })));
    await this.sender.publishAll('initiative.comment_added', entries);
  }

  private async publishMessages(name: 'message.created' | 'message.updated', changes: Recorded<'message.created' | 'message.updated'>): Promise<void> {
    const [placements, messages, privateTeamIds] = await Promise.all([
      this.ticketRecords.placements(changes.map((change) => change.payload.ticketId)),
      this.ticketRecords.findMessages(changes.map((change) => change.payload.messageId)),
      this.users.privateTeamIds(),
    ]);
    const messagesById = new Map(messages.map((message) => [message.id, message]));
    const entries = changes.flatMap(({ id, payload: { ticketId, messageId } }) => {
      const message = messagesById.get(messageId);
      const placement = placements.get(ticketId);
      if (!message || !placement || placement.awaitingRouting) return [];
      return [{ source: id, payload: { ticketId, message: toMessageDto(message) }, audience: ticketAudience(placement.teamId, privateTeamIds) }];
    });
    await this.sender.publishAll(name, entries);
  }

  /** Summaries as of now of the tickets that have been announced; one still awaiting routing is left out. */
  private async announcedSummaries(ticketIds: string[]): Promise<Map<string, TicketSummaryDto>> {
    const [summaries, placements] = await Promise.all([this.tickets.summaries(ticketIds), this.ticketRecords.placements(ticketIds)]);
    for (const [ticketId, placement] of placements) if (placement.awaitingRouting) summaries.delete(ticketId);
    return summaries;
  }
}
