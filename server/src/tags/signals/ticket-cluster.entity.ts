import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A group of tickets with similar text, grown one arriving ticket at a time: a ticket joins the cluster whose
 * exemplar (its first ticket's normalised text) is most trigram-similar, or starts a new one.
 */
@Entity('ticket_clusters')
/** GIN trigram index over the exemplar for the nearest-cluster lookup; created in the migration. */
@Index('ticket_clusters_exemplar_trgm_idx', { synchronize: false })
export class TicketCluster {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  exemplar: string;

  /** The first ticket's subject, as the signal shows it. */
  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'integer', default: 0 })
  ticketCount: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
