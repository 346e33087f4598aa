import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { TicketCluster } from './ticket-cluster.entity';

/** Untagged tickets per cluster and day of arrival: the clusters' side of the signals rollup. */
@Entity('cluster_daily_counts')
@Index('cluster_daily_counts_day_idx', ['day'])
export class ClusterDailyCount {
  @PrimaryColumn({ type: 'uuid' })
  clusterId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @ManyToOne(() => TicketCluster, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id' })
  cluster: Relation<TicketCluster>;

  @Column({ type: 'integer', default: 0 })
  untaggedTickets: number;

  @Column({ type: 'integer', default: 0 })
  firstCycleTickets: number;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  exampleTicketIds: string[];
}
