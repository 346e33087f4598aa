import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { BadRatingReason, SurveyKind } from '../../../contracts/surveys';
import { Survey } from '../reports/surveys/survey.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';
import { Customer } from './customer.entity';

/**
 * A customer's answer to a survey, optionally about one ticket: CSAT on 1–5 (Good = 5, Bad = 1) or NPS on
 * 0–10. One per survey: a later answer replaces the earlier one (and moves `createdAt` to when it was given).
 */
@Entity('satisfaction_responses')
@Index('satisfaction_responses_customer_idx', ['customerId', 'createdAt'])
@Index('satisfaction_responses_created_idx', ['createdAt'])
@Index('satisfaction_responses_survey_key', ['surveyId'], { unique: true })
// The report day rollups' triggers find a ticket's counted CSAT answer through it (migration 1795329100000).
@Index('satisfaction_responses_ticket_csat_idx', ['ticketId'], { where: "kind = 'csat' AND voided_at IS NULL" })
export class SatisfactionResponse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  surveyId: string | null;

  @ManyToOne(() => Survey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'survey_id' })
  survey: Relation<Survey> | null;

  @Column({ type: 'text', default: 'csat' })
  kind: SurveyKind;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer: Relation<Customer>;

  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @ManyToOne(() => Ticket, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket> | null;

  @Column({ type: 'smallint' })
  score: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** The reason picked for a bad CSAT rating. */
  @Column({ type: 'text', nullable: true })
  reason: BadRatingReason | null;

  /** When the answer was given (the latest one, once replaced). */
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** A voided answer stays on record but counts nowhere and triggers nothing. */
  @Column({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  voidedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'voided_by_id' })
  voidedBy: Relation<User> | null;

  @Column({ type: 'text', nullable: true })
  voidReason: string | null;
}
