import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Tag } from '../tag.entity';

/** Which customers had a ticket with the tag on a day (with how many), so distinct customers per window stay exact. */
@Entity('tag_daily_customers')
export class TagDailyCustomer {
  @PrimaryColumn({ type: 'uuid' })
  tagId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag: Relation<Tag>;

  @Column({ type: 'integer', default: 0 })
  tickets: number;
}
