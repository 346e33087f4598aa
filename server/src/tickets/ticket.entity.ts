import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../../contracts/domain';
import { Customer } from '../customers/customer.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { Team } from '../users/team.entity';
import { User } from '../users/user.entity';
import { TicketTag } from './ticket-tag.entity';

@Entity('tickets')
@Index('tickets_number_key', ['number'], { unique: true })
@Index('tickets_status_activity_idx', ['status', 'lastActivityAt', 'id'])
@Index('tickets_assignee_status_activity_idx', ['assigneeId', 'status', 'lastActivityAt', 'id'])
@Index('tickets_team_status_activity_idx', ['teamId', 'status', 'lastActivityAt', 'id'])
@Index('tickets_customer_idx', ['customerId', 'createdAt'])
@Index('tickets_mailbox_idx', ['mailboxId', 'lastActivityAt'])
// Partial indexes shaped like the inbox's default views (open work = new or open), so each view reads
// its first page in index order instead of sorting every matching ticket.
@Index('tickets_open_activity_idx', ['lastActivityAt', 'id'], { where: "status IN ('new', 'open')" })
@Index('tickets_unassigned_open_activity_idx', ['lastActivityAt', 'id'], { where: "assignee_id IS NULL AND status IN ('new', 'open')" })
@Index('tickets_team_open_activity_idx', ['teamId', 'lastActivityAt', 'id'], { where: "status IN ('new', 'open')" })
@Index('tickets_assignee_active_activity_idx', ['assigneeId', 'lastActivityAt', 'id'], { where: "status IN ('new', 'open', 'pending', 'on_hold')" })
// Recency over all tickets: lets a search for a common word walk tickets newest first and stop at
// a page, instead of collecting and sorting every match (rare words still use the GIN index).
@Index('tickets_activity_idx', ['lastActivityAt', 'id'])
/** GIN index over the search vector; created in the migration. */
@Index('tickets_search_idx', { synchronize: false })
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The human number shown as #1234 and carried in email subjects. */
  @Column({ type: 'integer' })
  @Generated('increment')
  number: number;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'enum', enum: TICKET_STATUSES, enumName: 'ticket_status', default: 'new' })
  status: TicketStatus;

  @Column({ type: 'enum', enum: TICKET_PRIORITIES, enumName: 'ticket_priority', default: 'normal' })
  priority: TicketPriority;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team> | null;

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @ManyToOne(() => Mailbox, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox> | null;

  @Column({ type: 'uuid', nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer> | null;

  /** First lines of the latest customer-visible message, for the inbox list. */
  @Column({ type: 'text', nullable: true })
  snippet: string | null;

  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @OneToMany(() => TicketTag, (ticketTag) => ticketTag.ticket)
  ticketTags: Relation<TicketTag[]>;

  /** The subject's words (kept by a trigger) and every message's (folded in by search-index.repository.ts). */
  @Column({ type: 'tsvector', select: false, insert: false, update: false, nullable: true })
  searchVector: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  firstReplyAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  solvedAt: Date | null;

  /** Opened and announced (`ticket.created`), but routing has not placed it yet: no live push about it until then. */
  @Column({ type: 'boolean', default: false })
  awaitingRouting: boolean;
}
