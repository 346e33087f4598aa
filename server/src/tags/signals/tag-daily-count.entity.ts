import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Tag } from '../tag.entity';

/**
 * Tickets per tag and day of arrival (UTC), kept by a trigger on ticket_tags in the tagging transaction, so the
 * signals read a few thousand rollup rows instead of every ticket.
 */
@Entity('tag_daily_counts')
@Index('tag_daily_counts_day_idx', ['day'])
export class TagDailyCount {
  @PrimaryColumn({ type: 'uuid' })
  tagId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag: Relation<Tag>;

  @Column({ type: 'integer', default: 0 })
  tickets: number;

  /** Of those, tickets from subscribers in their first billing cycle when the tag was added. */
  @Column({ type: 'integer', default: 0 })
  firstCycleTickets: number;

  /** The day's latest few tickets, for examples. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  exampleTicketIds: string[];
}
