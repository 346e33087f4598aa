import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';

/** A solve or a reopen from the timeline, for daily volume and the backlog. */
@Entity('report_status_changes')
// Covers daily counts (INCLUDE kind, ticket): migration ReportCoveringIndexes.
@Index('report_status_changes_at_idx', { synchronize: false })
@Index('report_status_changes_ticket_idx', ['ticketId'])
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
}
