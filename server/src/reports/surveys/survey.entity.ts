import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { SurveyKind, SurveyScale, SurveyState } from '../../../../contracts/surveys';
import { Customer } from '../../customers/customer.entity';
import { Mailbox } from '../../mail/mailbox.entity';
import { Ticket } from '../../tickets/ticket.entity';

/** Where a survey came from: the CSAT after a ticket's solve, or a care journey's step (NPS). */
export type SurveySource = 'ticket_solved' | 'journey';

/**
 * One invitation to answer a survey: scheduled with a due time (injected clock), sent by the survey pass,
 * or cancelled/suppressed with the reason. The CSAT of a ticket exists once (unique per ticket and kind).
 */
@Entity('surveys')
@Index('surveys_ticket_kind_key', ['ticketId', 'kind'], { unique: true, where: "ticket_id IS NOT NULL AND source = 'ticket_solved'" })
@Index('surveys_due_idx', ['dueAt'], { where: "state = 'scheduled'" })
@Index('surveys_customer_idx', ['customerId', 'createdAt'])
// The report day rollups' triggers count a ticket's sent CSAT survey through it (migration 1795329100000).
@Index('surveys_ticket_sent_idx', ['ticketId'], { where: "kind = 'csat' AND state = 'sent'" })
export class Survey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: SurveyKind;

  @Column({ type: 'text' })
  scale: SurveyScale;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket> | null;

  /** Sent from this mailbox; null takes the ticket's. */
  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @ManyToOne(() => Mailbox, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox> | null;

  @Column({ type: 'text' })
  source: SurveySource;

  @Column({ type: 'text', default: 'scheduled' })
  state: SurveyState;

  /** Why it was cancelled, suppressed or failed, in words. */
  @Column({ type: 'text', nullable: true })
  stateReason: string | null;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Our Message-ID of the survey email, without angle brackets. */
  @Column({ type: 'text', nullable: true })
  messageId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
