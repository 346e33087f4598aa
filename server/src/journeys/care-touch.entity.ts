import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { Ticket } from '../tickets/ticket.entity';
import { JourneyEnrollment } from './journey-enrollment.entity';
import { Journey } from './journey.entity';

type CareTouchState = 'queued' | 'sent' | 'failed' | 'suppressed';

/**
 * A care email: written by a journey step (in the step's transaction) and sent by the care send job,
 * which holds its row lock while talking SMTP so no two workers ever send it.
 */
@Entity('care_touches')
@Index('care_touches_enrollment_step_key', ['enrollmentId', 'stepId'], { unique: true })
@Index('care_touches_message_id_idx', ['messageId'])
@Index('care_touches_customer_idx', ['customerId', 'createdAt'])
@Index('care_touches_queued_idx', ['nextAttemptAt'], { where: "state = 'queued'" })
@Index('care_touches_journey_idx', ['journeyId'])
export class CareTouch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  journeyId: string | null;

  @ManyToOne(() => Journey, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'journey_id' })
  journey: Relation<Journey> | null;

  @Column({ type: 'uuid', nullable: true })
  enrollmentId: string | null;

  @ManyToOne(() => JourneyEnrollment, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment: Relation<JourneyEnrollment> | null;

  @Column({ type: 'text', nullable: true })
  stepId: string | null;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @ManyToOne(() => Mailbox, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox> | null;

  /** The ticket it threads into (ticket-triggered journeys). */
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket> | null;

  @Column({ type: 'text', nullable: true })
  fromName: string | null;

  @Column({ type: 'text' })
  toAddress: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  /** Our RFC 5322 Message-ID, without angle brackets: how a reply is recognised. */
  @Column({ type: 'text' })
  messageId: string;

  @Column({ type: 'text', nullable: true })
  inReplyTo: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  references: string[];

  @Column({ type: 'text', default: 'queued' })
  state: CareTouchState;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Retry pacing for the SMTP server, in real time (like the job queue's), not the injected clock. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** Injected clock: the frequency cap counts from here. */
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  repliedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  replyTicketId: string | null;
}
