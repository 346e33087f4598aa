import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Customer } from '../../customers/customer.entity';
import { Journey } from '../../journeys/journey.entity';

/**
 * The care metrics' rollup per subscriber (defined once, in the `care_facts_refresh` function of migration
 * CareMetricRollups): their first start, first cycle, 90-day churn, retention on days 30/90/180/365 and the
 * tickets and tags of their first cycle. Triggers on spells, tickets, ticket tags and journey enrollments keep
 * it in the writing transaction, so the dashboard reads one row per subscriber instead of joining a million tickets.
 */
@Entity('care_subscriber_facts')
@Index('care_subscriber_facts_started_idx', ['firstStartedAt'])
export class CareSubscriberFact {
  @PrimaryColumn({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'timestamptz' })
  firstStartedAt: Date;

  /** The first renewal, the end of the first spell, or 30 days in, whichever first (90 days at most). */
  @Column({ type: 'timestamptz' })
  firstCycleEnd: Date;

  /** The first spell ended within 90 days of its start. */
  @Column({ type: 'boolean', name: 'churned_90' })
  churned90: boolean;

  /** A spell covers that day after the first start (a reactivation counts as retained). */
  @Column({ type: 'boolean', name: 'retained_30' })
  retained30: boolean;

  @Column({ type: 'boolean', name: 'retained_90' })
  retained90: boolean;

  @Column({ type: 'boolean', name: 'retained_180' })
  retained180: boolean;

  @Column({ type: 'boolean', name: 'retained_365' })
  retained365: boolean;

  @Column({ type: 'integer' })
  firstCycleTickets: number;

  /** Every tag on their first-cycle tickets. */
  @Column({ type: 'uuid', array: true })
  firstCycleTagIds: string[];
}

/**
 * A customer's first entry into a journey with what followed in the next 90 days (cancelled, tickets opened):
 * the journey-effect rollup, kept by the same triggers.
 */
@Entity('care_journey_entrants')
@Index('care_journey_entrants_customer_idx', ['customerId'])
export class CareJourneyEntrant {
  @PrimaryColumn({ type: 'uuid' })
  journeyId: string;

  @ManyToOne(() => Journey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'journey_id' })
  journey: Relation<Journey>;

  @PrimaryColumn({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'timestamptz' })
  enteredAt: Date;

  @Column({ type: 'boolean' })
  heldOut: boolean;

  /** A spell ended within 90 days after the entry. */
  @Column({ type: 'boolean', name: 'churned_90' })
  churned90: boolean;

  /** Tickets opened within 90 days after the entry. */
  @Column({ type: 'integer', name: 'tickets_90' })
  tickets90: number;
}

/**
 * Subscription spells per calendar month (UTC): how many started and ended in it, by cancellation kind. Kept by
 * adding and taking away per spell changed (so concurrent writers never lose a count); churn and active
 * subscribers per month add these up instead of scanning every spell.
 */
@Entity('care_spell_months')
export class CareSpellMonth {
  @PrimaryColumn({ type: 'timestamptz' })
  month: Date;

  @Column({ type: 'integer' })
  started: number;

  @Column({ type: 'integer' })
  ended: number;

  @Column({ type: 'integer' })
  voluntary: number;

  @Column({ type: 'integer' })
  involuntary: number;
}
