import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CancellationKind } from '../../../contracts/customers';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../contracts/domain';

@Entity('customers')
@Index('customers_email_key', ['email'], { unique: true })
@Index('customers_external_id_key', ['externalId'], { unique: true, where: 'external_id IS NOT NULL' })
/** The journey scanners look subscribers up by the dates their triggers count from; the subscribers table pages by them (id breaks ties). */
@Index('customers_subscription_started_idx', ['subscriptionStartedAt', 'id'])
@Index('customers_next_renewal_idx', ['nextRenewalAt', 'id'])
@Index('customers_cancelled_idx', ['cancelledAt'])
/** The subscribers table's other sort keys (keyset paging); name sorts by lower(COALESCE(name, email)), an expression index. */
@Index('customers_status_sort_idx', ['subscriptionStatus', 'id'])
@Index('customers_plan_sort_idx', ['plan', 'id'])
@Index('customers_cycle_sort_idx', ['currentCycle', 'id'])
@Index('customers_lifetime_value_sort_idx', ['lifetimeValue', 'id'])
@Index('customers_name_sort_idx', { synchronize: false })
/** Search by part of the name or email (trigram GIN over `email name`). */
@Index('customers_search_trgm_idx', { synchronize: false })
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'enum', enum: SUBSCRIPTION_STATUSES, enumName: 'subscription_status', default: 'none' })
  subscriptionStatus: SubscriptionStatus;

  @Column({ type: 'timestamptz', nullable: true })
  subscriptionStartedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  currentCycle: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextRenewalAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'text', nullable: true })
  cancellationKind: CancellationKind | null;

  @Column({ type: 'text', nullable: true })
  cancellationReason: string | null;

  /**
   * When the newest subscription event applied to the state above happened: an older event arriving later
   * adds what it charged but cannot overwrite a newer state.
   */
  @Column({ type: 'timestamptz', nullable: true })
  subscriptionStateAt: Date | null;

  @Column({ type: 'text', nullable: true })
  plan: string | null;

  /** Cycles skipped in a row; a renewal resets it. */
  @Column({ type: 'integer', default: 0 })
  skippedCycles: number;

  @Column({ type: 'numeric', precision: 12, scale: 2, default: 0, transformer: { to: (value: number | undefined) => value, from: (value: string | null) => (value === null ? 0 : Number(value)) } })
  lifetimeValue: number;

  /** ISO 4217 code the lifetime value is in; null when the shop or the import never said. */
  @Column({ type: 'text', nullable: true })
  currency: string | null;

  /** IANA zone for quiet hours and local send times. */
  @Column({ type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
