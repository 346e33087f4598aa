import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { Initiative } from './initiative.entity';

/** A ticket that matches an initiative's definition: linked on promotion and as matching tickets arrive. */
@Entity('care_initiative_tickets')
@Index('care_initiative_tickets_ticket_idx', ['ticketId'])
export class InitiativeTicket {
  @PrimaryColumn({ type: 'uuid' })
  initiativeId: string;

  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Initiative, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'initiative_id' })
  initiative: Relation<Initiative>;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'timestamptz' })
  linkedAt: Date;
}
