import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Ticket } from '../tickets/ticket.entity';
import { Journey } from './journey.entity';

/** `held_out`: entered, but kept from every step to measure the journey against (see the journey's holdout). */
type EnrollmentState = 'active' | 'completed' | 'exited' | 'failed' | 'held_out';

/**
 * One customer's way through one journey, for one occurrence of its trigger (a ticket, a subscription
 * day, a renewal date …). The unique key makes entering idempotent; `due_at` is when the next step runs.
 */
@Entity('journey_enrollments')
@Index('journey_enrollments_occurrence_key', ['journeyId', 'customerId', 'occurrenceKey'], { unique: true })
@Index('journey_enrollments_due_idx', ['dueAt'], { where: "state = 'active'" })
@Index('journey_enrollments_customer_idx', ['customerId', 'createdAt'])
@Index('journey_enrollments_journey_state_idx', ['journeyId', 'state'])
export class JourneyEnrollment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  journeyId: string;

  @ManyToOne(() => Journey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'journey_id' })
  journey: Relation<Journey>;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'text' })
  occurrenceKey: string;

  /** The ticket that started it, for ticket triggers: emails thread into it, tags land on it. */
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket> | null;

  @Column({ type: 'text', default: 'active' })
  state: EnrollmentState;

  @Column({ type: 'boolean', default: false })
  heldOut: boolean;

  /** The step to run next; null once finished. */
  @Column({ type: 'text', nullable: true })
  nextStepId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** The exit goal reached, `unsubscribed`, or why it failed. */
  @Column({ type: 'text', nullable: true })
  exitReason: string | null;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
