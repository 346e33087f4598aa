import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RuleAction, RuleCondition, RuleTrigger, TimeCondition } from '../../../contracts/automation';

/** One routing rule; rules run in `position` order, and one with stopProcessing ends the run when it fires. */
@Entity('routing_rules')
@Index('routing_rules_position_idx', ['position'])
export class RoutingRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'text', array: true, default: () => "'{ticket_created}'" })
  triggers: RuleTrigger[];

  /** Set for time-based rules, which only the scheduler evaluates. */
  @Column({ type: 'jsonb', nullable: true })
  timeCondition: TimeCondition | null;

  @Column({ type: 'text', default: 'all' })
  match: 'all' | 'any';

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions: RuleCondition[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  actions: RuleAction[];

  @Column({ type: 'boolean', default: false })
  stopProcessing: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
