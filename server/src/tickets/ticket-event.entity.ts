import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../users/user.entity';
import { Ticket } from './ticket.entity';

export const ACTOR_TYPES = ['user', 'system', 'rule'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** The ticket timeline: an append-only audit of who changed what, when. */
@Entity('ticket_events')
@Index('ticket_events_ticket_created_idx', ['ticketId', 'createdAt'])
export class TicketEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  /** e.g. ticket.created, status.changed, assignee.changed, tags.changed, note.added */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'enum', enum: ACTOR_TYPES, enumName: 'actor_type', default: 'system' })
  actorType: ActorType;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id' })
  actor: Relation<User> | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Insertion order: the events of one change share their timestamp, and must read in the order they happened. */
  @Column({ type: 'bigint', select: false, insert: false, update: false })
  @Generated('increment')
  seq: string;
}
