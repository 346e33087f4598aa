import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { Customer } from './customer.entity';

/** A customer's satisfaction answer (1–5), optionally about one ticket. */
@Entity('satisfaction_responses')
@Index('satisfaction_responses_customer_idx', ['customerId', 'createdAt'])
@Index('satisfaction_responses_created_idx', ['createdAt'])
export class SatisfactionResponse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @Column({ type: 'smallint' })
  score: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
