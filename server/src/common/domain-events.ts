import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { SubscriptionEventType } from '../../../contracts/customers';
import type { SlaTargetKind } from '../../../contracts/sla';

/**
 * Domain events inside one process. Services emit them after their transaction commits; listeners in
 * routing, sla, tags, care and realtime react. Nothing here crosses instances: realtime fan-out goes
 * through the Socket.IO adapter, durable follow-up work through the job queue.
 */
export interface DomainEventMap {
  'ticket.created': { ticketId: string };
  'ticket.deleted': { ticketId: string };
  'ticket.updated': { ticketId: string; eventIds: string[]; changed: string[] };
  'message.created': { ticketId: string; messageId: string };
  /** An SLA target's warning or breach fired (once per target), or a ticket's targets changed. */
  'sla.warning': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.breached': { ticketId: string; targetId: string; kind: SlaTargetKind; dueAt: string };
  'sla.updated': { ticketId: string };
  'notification.created': { userId: string; notificationId: string };
  /** A message's delivery state changed (queued → sent, failed, undelivered). */
  'message.updated': { ticketId: string; messageId: string };
  'mailbox.changed': { mailboxId: string };
  /** A user's fields changed (e.g. availability or capacity), named as in UpdateUserRequest. */
  'user.updated': { userId: string; changed: string[] };
  /** A subscription event was recorded (webhook); journeys check their exit goals and triggers. */
  'subscription.recorded': { customerId: string; type: SubscriptionEventType };
  'satisfaction.recorded': { customerId: string; responseId: string };
  /** An arriving ticket was placed in a cluster of similar tickets. */
  'ticket.clustered': { ticketId: string; clusterId: string };
  /** Every ticket of `fromTagId` now carries `intoTagId`, and `fromTagId` is gone. */
  'tag.merged': { fromTagId: string; intoTagId: string };
  /** A care initiative was created, edited or moved on the board. */
  'initiative.updated': { initiativeId: string };
  /** Tickets newly matched an initiative's definition. */
  'initiative.tickets_linked': { initiativeId: string; ticketIds: string[] };
  'initiative.comment_added': { initiativeId: string; commentId: string };
}

@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }
}
