import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Journey } from './journey.entity';

/** A customer who asked for no more care emails; the journey whose email they used is kept for its figures. */
@Entity('unsubscribes')
export class Unsubscribe {
  @PrimaryColumn({ type: 'uuid' })
  customerId: string;

  @OneToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'uuid', nullable: true })
  journeyId: string | null;

  @ManyToOne(() => Journey, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'journey_id' })
  journey: Relation<Journey> | null;

  @Column({ type: 'uuid', nullable: true })
  touchId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
