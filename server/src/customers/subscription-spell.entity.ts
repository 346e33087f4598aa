import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { CancellationKind } from '../../../contracts/customers';
import { Customer } from './customer.entity';

/**
 * One stretch of a customer being a subscriber, from a start (created, reactivated) to a cancellation; derived
 * from the customer's subscription events in the order they happened and rebuilt whenever one arrives, so the
 * care metrics read a few rows per customer instead of replaying every event.
 */
@Entity('subscription_spells')
@Index('subscription_spells_started_idx', ['startedAt'])
@Index('subscription_spells_ended_idx', ['endedAt'])
export class SubscriptionSpell {
  @PrimaryColumn({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @PrimaryColumn({ type: 'timestamptz' })
  startedAt: Date;

  /** The cancellation that ended it; null while it lasts. */
  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  cancellationKind: CancellationKind | null;

  @Column({ type: 'text', nullable: true })
  cancellationReason: string | null;

  /** The first renewal inside it: the first cycle ends here. */
  @Column({ type: 'timestamptz', nullable: true })
  firstRenewalAt: Date | null;
}
