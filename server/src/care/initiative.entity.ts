import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { INITIATIVE_STATUSES, type InitiativeStatus } from '../../../contracts/care';
import { TicketCluster } from '../tags/signals/ticket-cluster.entity';
import { User } from '../users/user.entity';

/** A care initiative: a card on the board, with the definition of the tickets it is meant to make disappear. */
@Entity('care_initiatives')
@Index('care_initiatives_board_idx', ['status', 'position'])
export class Initiative {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'enum', enum: INITIATIVE_STATUSES, enumName: 'initiative_status', default: 'proposed' })
  status: InitiativeStatus;

  /** Order within its board column, 0 at the top. */
  @Column({ type: 'integer', default: 0 })
  position: number;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner: Relation<User> | null;

  @Column({ type: 'text', default: '' })
  hypothesis: string;

  /** By id, so a renamed tag keeps its initiatives; a merge rewrites them. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  tagIds: string[];

  @Column({ type: 'uuid', nullable: true })
  clusterId: string | null;

  @ManyToOne(() => TicketCluster, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'cluster_id' })
  cluster: Relation<TicketCluster> | null;

  @Column({ type: 'text', nullable: true })
  query: string | null;

  @Column({ type: 'text', default: '' })
  targetMetric: string;

  @Column({ type: 'text', nullable: true })
  signalKey: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy: Relation<User> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
