import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Tag } from '../tags/tag.entity';
import { Ticket } from './ticket.entity';

@Entity('ticket_tags')
@Index('ticket_tags_tag_idx', ['tagId', 'ticketId'])
export class TicketTag {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @PrimaryColumn({ type: 'uuid' })
  tagId: string;

  @ManyToOne(() => Ticket, (ticket) => ticket.ticketTags, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag: Relation<Tag>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
