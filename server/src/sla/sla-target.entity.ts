import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { SLA_TARGET_KINDS, type SlaTargetKind } from '../../../contracts/sla';
import { Ticket } from '../tickets/ticket.entity';
import { SlaPolicy } from './sla-policy.entity';

/**
 * One target of one ticket, with its clock state (see SlaClock). A ticket has at most one open target of each
 * kind; a next reply target is added for every customer message that waits for an answer.
 */
@Entity('sla_targets')
@Index('sla_targets_open_kind_key', ['ticketId', 'kind'], { unique: true, where: 'achieved_at IS NULL' })
@Index('sla_targets_ticket_idx', ['ticketId', 'createdAt'])
/** The scheduler's work lists: running targets not yet breached, and not yet warned. */
@Index('sla_targets_due_idx', ['dueAt'], { where: 'achieved_at IS NULL AND breached_at IS NULL AND due_at IS NOT NULL' })
@Index('sla_targets_warn_idx', ['warnAt'], { where: 'achieved_at IS NULL AND warned_at IS NULL AND breached_at IS NULL AND warn_at IS NOT NULL' })
@Index('sla_targets_policy_open_idx', ['policyId'], { where: 'achieved_at IS NULL' })
@Index('sla_targets_decided_idx', ['decidedAt'], { where: 'decided_at IS NOT NULL' })
export class SlaTarget {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'uuid', nullable: true })
  policyId: string | null;

  @ManyToOne(() => SlaPolicy, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'policy_id' })
  policy: Relation<SlaPolicy> | null;

  @Column({ type: 'enum', enum: SLA_TARGET_KINDS, enumName: 'sla_target_kind' })
  kind: SlaTargetKind;

  @Column({ type: 'double precision' })
  targetMinutes: number;

  /** Open minutes spent before running_since, or in total once paused or achieved. */
  @Column({ type: 'double precision', default: 0 })
  spentMinutes: number;

  @Column({ type: 'timestamptz', nullable: true })
  runningSince: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  achievedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  warnAt: Date | null;

  /** When the scheduler fired the warning; set once. */
  @Column({ type: 'timestamptz', nullable: true })
  warnedAt: Date | null;

  /** When the scheduler fired the breach; set once. */
  @Column({ type: 'timestamptz', nullable: true })
  breachedAt: Date | null;

  /**
   * When the outcome became known (achieved or breached, whichever first), for the achievement report. Cleared
   * when a reopened ticket's unbreached resolution target runs again: its outcome is open until the next solve.
   */
  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
