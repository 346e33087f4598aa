import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { SubscriptionEventType } from '../../../contracts/customers';
import { Customer } from './customer.entity';

/**
 * Every subscription event received, keyed by the sender's event id: the webhook's idempotency, the
 * customer's subscription timeline, and the durable record journey exit goals are checked against.
 */
@Entity('subscription_events')
@Index('subscription_events_event_id_key', ['eventId'], { unique: true })
@Index('subscription_events_customer_idx', ['customerId', 'receivedAt'])
/** Replaying a customer's events in the order they happened. */
@Index('subscription_events_customer_occurred_idx', ['customerId', 'occurredAt'])
@Index('subscription_events_type_received_idx', ['type', 'receivedAt'])
export class SubscriptionEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  eventId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'text' })
  type: SubscriptionEventType;

  /** When the platform says it happened. */
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** When Careloop learned of it (the injected clock); goals count from here. */
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;
}
