import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { JourneyStepType } from '../../../contracts/journeys';
import { JourneyEnrollment } from './journey-enrollment.entity';

export type StepOutcome = 'done' | 'skipped';

/** A step that ran for one enrollment. Unique per enrollment and step: the record that makes each step run once. */
@Entity('journey_step_runs')
@Index('journey_step_runs_enrollment_step_key', ['enrollmentId', 'stepId'], { unique: true })
@Index('journey_step_runs_journey_step_idx', ['journeyId', 'stepId'])
export class JourneyStepRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  enrollmentId: string;

  @ManyToOne(() => JourneyEnrollment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment: Relation<JourneyEnrollment>;

  /** Kept beside the enrollment for per-journey figures without a join. */
  @Column({ type: 'uuid' })
  journeyId: string;

  @Column({ type: 'text' })
  stepId: string;

  @Column({ type: 'text' })
  stepType: JourneyStepType;

  @Column({ type: 'text' })
  outcome: StepOutcome;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
