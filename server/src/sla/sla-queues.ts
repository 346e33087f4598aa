import type { TicketPriority } from '../../../contracts/domain';
import type { BusinessCalendar } from './clock';

/** The SLA engine's durable jobs. */
export const DUE_PASS_QUEUE = 'sla.due-pass';
export const REBASE_QUEUE = 'sla.rebase';
export const ESCALATE_QUEUE = 'sla.escalate';

export interface RebaseJob {
  /** Per policy id, the calendar its open targets ran on before the change. */
  previousCalendars: Record<string, BusinessCalendar>;
  changedAt: string;
}

/** Ticket changes a batch of breaches calls for; enqueued in the transaction that claimed the breaches. */
export interface EscalateJob {
  escalations: {
    ticketId: string;
    /** Raise only while the ticket still has the priority it breached with, so a retried job raises once. */
    raisePriority: { from: TicketPriority; to: TicketPriority } | null;
    reassignTeamId: string | null;
  }[];
}
