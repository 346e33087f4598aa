import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { ReportRowFilters } from './report-row-filters';

/** A solve or a reopen from the timeline, for daily volume and the backlog. */
@Entity('report_status_changes')
// Covers daily counts (INCLUDE kind, ticket): migration ReportCoveringIndexes.
@Index('report_status_changes_at_idx', { synchronize: false })
@Index('report_status_changes_ticket_idx', ['ticketId'])
@Index('report_status_changes_team_at_idx', { synchronize: false })
export class ReportStatusChange {
  /** The timeline event's id. */
  @PrimaryColumn({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'text' })
  kind: 'solved' | 'reopened';

  @Column({ type: 'timestamptz' })
  at: Date;

  /** The ticket was closed by a merge (its solves count against the backlog, not as solved). */
  @Column({ type: 'boolean', default: false })
  merged: boolean;

  /** The ticket's filter fields, for filtered volume. */
  @Column(() => ReportRowFilters, { prefix: false })
  filters: ReportRowFilters;
}
