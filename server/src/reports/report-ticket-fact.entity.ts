import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';

/**
 * One row per ticket with the figures the reports read, kept by the reports listener from the ticket's
 * messages and timeline (see README "Service reports" for each metric's definition). Reports read this
 * rollup and `report_replies`, never every message.
 */
@Entity('report_ticket_facts')
@Index('report_ticket_facts_created_idx', ['createdAt'])
// Covering indexes (INCLUDE, which the decorators cannot say): migration ReportCoveringIndexes.
@Index('report_ticket_facts_first_solved_idx', { synchronize: false })
@Index('report_ticket_facts_last_solved_idx', { synchronize: false })
@Index('report_ticket_facts_merged_idx', { synchronize: false })
@Index('report_ticket_facts_waiting_idx', ['firstInboundAt'], { where: 'first_reply_at IS NULL AND first_inbound_at IS NOT NULL AND last_solved_at IS NULL' })
@Index('report_ticket_facts_team_created_idx', ['teamId', 'createdAt'])
@Index('report_ticket_facts_unsolved_idx', { synchronize: false })
@Index('report_ticket_facts_tags_idx', { synchronize: false })
export class ReportTicketFact {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @OneToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** The first message from the customer: where first reply time starts. */
  @Column({ type: 'timestamptz', nullable: true })
  firstInboundAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @Column({ type: 'text' })
  priority: string;

  @Column({ type: 'text' })
  status: string;

  /** The customer's plan and whether they were in their first billing cycle, as when the ticket arrived. */
  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Column({ type: 'boolean', default: false })
  firstCycle: boolean;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  tagIds: string[];

  @Column({ type: 'timestamptz', nullable: true })
  firstReplyAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  firstReplyBy: string | null;

  @Column({ type: 'integer', nullable: true })
  firstReplySeconds: number | null;

  /** In business hours of the ticket's SLA calendar at the time of the reply (kept when the calendar changes). */
  @Column({ type: 'integer', nullable: true })
  firstReplyBusinessSeconds: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstSolvedAt: Date | null;

  /** The latest solve while the ticket is solved; null while it is open again. */
  @Column({ type: 'timestamptz', nullable: true })
  lastSolvedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  firstResolutionSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  fullResolutionSeconds: number | null;

  /** Public replies by people (automatic emails and notes do not count). */
  @Column({ type: 'integer', default: 0 })
  publicReplies: number;

  @Column({ type: 'integer', default: 0 })
  reopens: number;

  /** Solved after exactly one public reply and never reopened; null while unsolved. */
  @Column({ type: 'boolean', nullable: true })
  oneTouch: boolean | null;

  /** Closed by a merge into another ticket: counts in volume, not in resolution figures. */
  @Column({ type: 'boolean', default: false })
  merged: boolean;

  /** The latest CSAT answer that is not voided (1–5). */
  @Column({ type: 'smallint', nullable: true })
  csatScore: number | null;
}
