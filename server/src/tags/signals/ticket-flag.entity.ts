import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../../tickets/ticket.entity';
import { User } from '../../users/user.entity';

/** An agent's "this keeps happening" on a ticket: one per agent and ticket, counted in the signals. */
@Entity('ticket_flags')
@Index('ticket_flags_created_idx', ['createdAt'])
export class TicketFlag {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
