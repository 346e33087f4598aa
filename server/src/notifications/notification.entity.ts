import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { NotificationKind } from '../../../contracts/notifications';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';

/** What a notification says, recorded when it is raised so it reads the same later. */
export interface NotificationData {
  ticketNumber?: number;
  ticketSubject?: string | null;
  actorName?: string | null;
  excerpt?: string | null;
}

/** One in-app notification for one person. */
@Entity('notifications')
@Index('notifications_user_created_idx', ['userId', 'createdAt'])
@Index('notifications_user_dedupe_key', ['userId', 'dedupeKey'], { unique: true })
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket> | null;

  /** What raised it (a timeline event, a message, an SLA target): a redelivered event finds it taken and adds nothing. */
  @Column({ type: 'text' })
  dedupeKey: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: NotificationData;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** Set once the email copy went out (mentions and assignments while the person is away). */
  @Column({ type: 'timestamptz', nullable: true })
  emailedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
