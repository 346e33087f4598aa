import { Injectable } from '@nestjs/common';
import { payloadsOf, type DomainEvent, type DomainEventMap } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { TicketRepository } from '../tickets/ticket.repository';
import { snippetOf } from '../tickets/message-batch';
import { UserRepository } from '../users/user.repository';
import { NotificationRepository } from './notification.repository';
import { NotificationsService, type NotificationCandidate } from './notifications.service';

/** Customer messages the ingest flagged as machine-written (auto-replies, bulk mail, bounces) tell nobody. */
const QUIET_FLAGS = new Set(['auto_reply', 'bulk', 'bounce']);

type Payloads = { [K in keyof DomainEventMap]: DomainEventMap[K][] };

/**
 * Decides who is told what: the new assignee of a ticket, the assignee when the customer writes, the people
 * @mentioned in a note, and leads of SLA warnings, breaches and escalations of their teams' tickets. Takes
 * batches, works set-wise, and is idempotent: each notification carries what raised it, so a redelivered
 * event records nothing new (NotificationsService.record).
 */
@Injectable()
export class NotificationsListener extends DomainEventListener {
  readonly name = 'notifications';
  readonly events = ['ticket.updated', 'message.created', 'sla.warning', 'sla.breached', 'sla.escalated'] as const;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly repository: NotificationRepository,
    private readonly tickets: TicketRepository,
    private readonly users: UserRepository,
  ) {
    super();
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const of = <K extends keyof DomainEventMap>(name: K): DomainEventMap[K][] => payloadsOf(events, name);
    const candidates = (
      await Promise.all([
        this.assignments(of('ticket.updated')),
        this.messages(of('message.created')),
        this.slaAlerts('sla_warning', of('sla.warning')),
        this.slaAlerts('sla_breached', of('sla.breached')),
        this.escalations(of('sla.escalated')),
      ])
    ).flat();
    await this.notifications.record(candidates);
  }

  /** Whoever a ticket was assigned to, unless they took it themselves. */
  private async assignments(updates: Payloads['ticket.updated']): Promise<NotificationCandidate[]> {
    const assigning = updates.filter(({ changed }) => changed.includes('assignee.changed'));
    if (assigning.length === 0) return [];
    const events = (await this.tickets.findEvents(assigning.flatMap(({ eventIds }) => eventIds))).filter(
      (event) => event.type === 'assignee.changed' && typeof event.data.to === 'string' && event.data.to !== event.actorId,
    );
    const names = await this.names(events.flatMap((event) => (event.actorType === 'user' && event.actorId ? [event.actorId] : [])));
    return events.map((event) => ({
      userId: event.data.to as string,
      kind: 'assigned',
      ticketId: event.ticketId,
      dedupeKey: `event:${event.id}`,
      actorName: event.actorId ? (names.get(event.actorId) ?? null) : null,
      excerpt: null,
    }));
  }

  /** A customer's message tells the ticket's assignee; a note tells the people it @mentions (not its author). */
  private async messages(created: Payloads['message.created']): Promise<NotificationCandidate[]> {
    if (created.length === 0) return [];
    const messages = await this.tickets.findMessages(created.map(({ messageId }) => messageId));
    const inbound = messages.filter((message) => message.direction === 'inbound' && !message.flags.some((flag) => QUIET_FLAGS.has(flag)));
    const assignees = new Map((await this.tickets.findByIds(inbound.map((message) => message.ticketId))).map((ticket) => [ticket.id, ticket.assigneeId]));
    const replies: NotificationCandidate[] = inbound.flatMap((message) => {
      const assigneeId = assignees.get(message.ticketId);
      return assigneeId
        ? [{ userId: assigneeId, kind: 'customer_replied' as const, ticketId: message.ticketId, dedupeKey: `message:${message.id}`, actorName: message.fromName ?? message.fromAddress, excerpt: snippetOf(message.bodyText) }]
        : [];
    });
    const mentions: NotificationCandidate[] = messages
      .filter((message) => message.direction === 'note')
      .flatMap((note) =>
        note.mentionIds
          .filter((userId) => userId !== note.authorId)
          .map((userId) => ({ userId, kind: 'mentioned' as const, ticketId: note.ticketId, dedupeKey: `message:${note.id}`, actorName: note.fromName, excerpt: snippetOf(note.bodyText) })),
      );
    return [...replies, ...mentions];
  }

  /** The leads of the ticket's team hear of its warnings and breaches, unless the policy says otherwise. */
  private async slaAlerts(kind: 'sla_warning' | 'sla_breached', fired: Payloads['sla.warning']): Promise<NotificationCandidate[]> {
    if (fired.length === 0) return [];
    const notifying = await this.repository.targetsNotifyingLeads(fired.map(({ targetId }) => targetId));
    const alerts = fired.filter(({ targetId }) => notifying.has(targetId));
    const leads = await this.repository.leadsOfTickets(alerts.map(({ ticketId }) => ticketId));
    return alerts.flatMap(({ ticketId, targetId }) =>
      (leads.get(ticketId) ?? []).map((userId) => ({ userId, kind, ticketId, dedupeKey: `${kind}:${targetId}`, actorName: null, excerpt: null })),
    );
  }

  private async escalations(escalated: Payloads['sla.escalated']): Promise<NotificationCandidate[]> {
    if (escalated.length === 0) return [];
    const leads = await this.repository.leadsOfTickets(escalated.map(({ ticketId }) => ticketId));
    return escalated.flatMap(({ ticketId, eventIds }) =>
      (leads.get(ticketId) ?? []).map((userId) => ({ userId, kind: 'escalated' as const, ticketId, dedupeKey: `escalated:${eventIds[0] ?? ticketId}`, actorName: null, excerpt: null })),
    );
  }

  private async names(userIds: string[]): Promise<Map<string, string>> {
    const users = await this.users.findByIds([...new Set(userIds)]);
    return new Map(users.map((user) => [user.id, user.name]));
  }
}
