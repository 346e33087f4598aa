import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { AssignStrategy } from '../../../contracts/automation';
import { Ticket } from '../tickets/ticket.entity';
import { Team } from '../users/team.entity';

/** A ticket waiting in its team's queue for an agent to become available or free capacity; oldest first. */
@Entity('routing_queue')
@Index('routing_queue_team_idx', ['teamId', 'queuedAt'])
export class QueuedTicket {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @OneToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  @Column({ type: 'text' })
  strategy: AssignStrategy;

  @Column({ type: 'timestamptz' })
  queuedAt: Date;
}
