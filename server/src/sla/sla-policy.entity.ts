import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { SlaConditions, SlaEscalation, SlaPauseStatus, SlaTargetsByPriority, SlaWarning } from '../../../contracts/sla';
import { BusinessCalendarEntity } from './business-calendar.entity';

/** An SLA policy: the first active one (by position) whose conditions match a ticket applies. */
@Entity('sla_policies')
@Index('sla_policies_position_idx', ['position'])
export class SlaPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'integer', default: 0 })
  position: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /** Every given condition must match; an empty object matches every ticket. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  conditions: SlaConditions;

  /** Minutes per priority and kind; a missing kind has no target. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  targets: SlaTargetsByPriority;

  /** Null counts calendar hours (always open). */
  @Column({ type: 'uuid', nullable: true })
  calendarId: string | null;

  @ManyToOne(() => BusinessCalendarEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'calendar_id' })
  calendar: Relation<BusinessCalendarEntity> | null;

  /** Ticket statuses in which the clocks stop. */
  @Column({ type: 'text', array: true, default: () => "'{pending,on_hold}'" })
  pauseStatuses: SlaPauseStatus[];

  @Column({ type: 'jsonb', nullable: true })
  warning: SlaWarning | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  escalation: SlaEscalation;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
