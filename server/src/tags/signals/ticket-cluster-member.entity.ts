import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from '../../tickets/ticket.entity';
import { TicketCluster } from './ticket-cluster.entity';

/** A ticket's cluster; `tagged` is kept by the ticket_tags trigger, since cluster signals count untagged tickets. */
@Entity('ticket_cluster_members')
@Index('ticket_cluster_members_cluster_idx', ['clusterId', 'day'])
export class TicketClusterMember {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => TicketCluster, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id' })
  cluster: Relation<TicketCluster>;

  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'boolean' })
  firstCycle: boolean;

  @Column({ type: 'boolean' })
  tagged: boolean;
}
