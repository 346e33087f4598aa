import type { SubscriptionEventType } from '../../../contracts/customers';
import type { SettingsScope } from '../../../contracts/events';
import type { SlaTargetKind } from '../../../contracts/sla';

/**
 * The catalogue of domain events: each name with its payload. They are published with
 * `OutboxService.transaction((manager, raise) => …)` (server/src/outbox/outbox.service.ts), recorded in the
 * same transaction as the change, and handed to the listeners (`DomainEventListener`,
 * server/src/outbox/event-listener.ts) that name them in their `events`.
 */
export interface DomainEventMap {
  'ticket.created': { ticketId: string };
  /** Routing has run the new ticket's `ticket_created` rules (it may now sit in a private team): it may be announced. */
  'ticket.routed': { ticketId: string };
  'ticket.deleted': { ticketId: string };
  'ticket.updated': { ticketId: string; eventIds: string[]; changed: string[] };
  'message.created': { ticketId: string; messageId: string };
  /** An SLA target's warning or breach fired (once per target), or a ticket's targets changed. */
  'sla.warning': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.breached': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.updated': { ticketId: string };
  /** A breach's escalation changed the ticket (priority raised, moved to another team); recorded in the outbox with the change. */
  'sla.escalated': { ticketId: string; eventIds: string[] };
  /** Notifications were recorded for people (server/src/notifications); realtime pushes them to their owners. */
  'notification.created': { userId: string; notificationId: string };
  /** A message's delivery state changed (queued → sent, failed, undelivered). */
  'message.updated': { ticketId: string; messageId: string };
  'mailbox.changed': { mailboxId: string };
  /** A user's fields changed (e.g. availability or capacity), named as in UpdateUserRequest. */
  'user.updated': { userId: string; changed: string[] };
  /** A team's fields changed (`isPrivate`: realtime takes its tickets out of outsiders' live views), named as in UpdateTeamRequest. */
  'team.updated': { teamId: string; changed: string[] };
  /** A subscription event was recorded (webhook); journeys check their exit goals and triggers. */
  'subscription.recorded': { customerId: string; type: SubscriptionEventType };
  /** A survey answer was recorded, replaced or voided. */
  'satisfaction.recorded': { customerId: string; responseId: string };
  /** The report rollups of these tickets changed (in process after their commit: open report pages refetch). */
  'reports.updated': { ticketIds: string[] };
  /** An arriving ticket was placed in a cluster of similar tickets. */
  'ticket.clustered': { ticketId: string; clusterId: string };
  /** Every ticket of `fromTagId` now carries `intoTagId`, and `fromTagId` is gone. */
  'tag.merged': { fromTagId: string; intoTagId: string };
  /** A care initiative was created, edited or moved on the board. */
  'initiative.updated': { initiativeId: string };
  /** Tickets newly matched an initiative's definition. */
  'initiative.tickets_linked': { initiativeId: string; ticketIds: string[] };
  'initiative.comment_added': { initiativeId: string; commentId: string };
  /** Tag or care settings were saved. */
  'settings.updated': { scope: SettingsScope };
}

export type DomainEventName = keyof DomainEventMap;

/**
 * How each event reaches its listeners. `durable`: recorded in the outbox with the change; each listener's
 * delivery is tracked until it succeeded (retried with backoff, dead-lettered after too many failures) and a
 * process that dies before its listeners ran leaves them to another instance. `in-process`: told to this
 * process's listeners after the commit and lost on a crash; only for re-derivable state, so no listener
 * that changes stored state or mails a customer may take one.
 */
export const EVENT_DELIVERY: { readonly [K in DomainEventName]: 'durable' | 'in-process' } = {
  'ticket.created': 'durable',
  'ticket.routed': 'durable',
  'ticket.deleted': 'durable',
  'ticket.updated': 'durable',
  'message.created': 'durable',
  'sla.warning': 'durable',
  'sla.breached': 'durable',
  'sla.updated': 'durable',
  'sla.escalated': 'durable',
  'notification.created': 'durable',
  'message.updated': 'durable',
  // Every instance compares its mailbox workers with the table every few seconds anyway: this only hurries it.
  'mailbox.changed': 'in-process',
  // Only tells open report pages to refetch; the figures themselves are stored with the change.
  'reports.updated': 'in-process',
  'user.updated': 'durable',
  'team.updated': 'durable',
  'subscription.recorded': 'durable',
  'satisfaction.recorded': 'durable',
  'ticket.clustered': 'durable',
  'tag.merged': 'durable',
  'initiative.updated': 'durable',
  'initiative.tickets_linked': 'durable',
  'initiative.comment_added': 'durable',
  'settings.updated': 'durable',
};

/** One event with its name; `id` is its outbox id once recorded (absent for in-process events). */
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEventMap[K]; id?: string } }[DomainEventName];

/** The payloads of the events named `name`, in order (listeners pick their batch apart with it). */
export function payloadsOf<K extends DomainEventName>(events: readonly DomainEvent[], name: K): DomainEventMap[K][] {
  return eventsNamed(events, name).map((event) => event.payload as DomainEventMap[K]);
}

/** The events named `name`, with their ids, in order. */
export function eventsNamed<K extends DomainEventName>(events: readonly DomainEvent[], name: K): Extract<DomainEvent, { name: K }>[] {
  return events.filter((event): event is Extract<DomainEvent, { name: K }> => event.name === name);
}
