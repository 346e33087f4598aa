import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Ticket } from '../tickets/ticket.entity';
import { RoutingRule } from './routing-rule.entity';

/**
 * A time-based rule that fired on a ticket. The window is when the timed state began (unassigned since,
 * customer waiting since, pending since), so a rule fires once per stretch of that state, however many
 * scheduler passes or instances see it.
 */
@Entity('routing_rule_firings')
@Index('routing_rule_firings_key', ['ruleId', 'ticketId', 'windowStart'], { unique: true })
@Index('routing_rule_firings_ticket_idx', ['ticketId'])
export class RuleFiring {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ruleId: string;

  @ManyToOne(() => RoutingRule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id' })
  rule: Relation<RoutingRule>;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'timestamptz' })
  windowStart: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  firedAt: Date;
}
