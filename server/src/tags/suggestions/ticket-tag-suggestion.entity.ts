import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { SUGGESTION_SOURCES, SUGGESTION_STATES, type SuggestionSource, type SuggestionState } from '../../../../contracts/care';
import { Ticket } from '../../tickets/ticket.entity';
import { User } from '../../users/user.entity';
import { Tag } from '../tag.entity';

/** A tag suggested for a ticket when it arrived, and what an agent made of it (rejections teach the next model). */
@Entity('ticket_tag_suggestions')
@Index('ticket_tag_suggestions_rejected_idx', ['ticketId'], { where: "state = 'rejected'" })
export class TicketTagSuggestion {
  @PrimaryColumn({ type: 'uuid' })
  ticketId: string;

  @PrimaryColumn({ type: 'uuid' })
  tagId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag: Relation<Tag>;

  @Column({ type: 'real' })
  confidence: number;

  @Column({ type: 'enum', enum: SUGGESTION_SOURCES, enumName: 'tag_suggestion_source' })
  source: SuggestionSource;

  @Column({ type: 'enum', enum: SUGGESTION_STATES, enumName: 'tag_suggestion_state', default: 'pending' })
  state: SuggestionState;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by_id' })
  decidedBy: Relation<User> | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
