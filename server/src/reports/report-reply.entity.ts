import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { ReportRowFilters } from './report-row-filters';

/**
 * A public reply by a person and, when it answered a waiting customer, how long the customer waited: in
 * calendar time and in business hours of the ticket's SLA calendar, the latter fixed when first recorded.
 */
@Entity('report_replies')
// Covers the reply figures (INCLUDE): migration ReportCoveringIndexes.
@Index('report_replies_replied_idx', { synchronize: false })
@Index('report_replies_ticket_idx', ['ticketId'])
@Index('report_replies_team_replied_idx', { synchronize: false })
export class ReportReply {
  /** The reply's message id. */
  @PrimaryColumn({ type: 'uuid' })
  messageId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'uuid', nullable: true })
  agentId: string | null;

  @Column({ type: 'timestamptz' })
  repliedAt: Date;

  /** The customer message that started the wait; null for a reply nobody was waiting for (a follow-up). */
  @Column({ type: 'timestamptz', nullable: true })
  waitingSince: Date | null;

  @Column({ type: 'integer', nullable: true })
  waitSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  waitBusinessSeconds: number | null;

  /** The ticket's first reply (first reply time); the others are next replies. */
  @Column({ type: 'boolean' })
  first: boolean;

  /** The ticket's team, assignee, mailbox, priority, plan, cycle and tags, for filtered figures. */
  @Column(() => ReportRowFilters, { prefix: false })
  filters: ReportRowFilters;
}
