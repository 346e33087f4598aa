import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The workspace's tag settings: one row (id 1), created by the migration with the defaults. */
@Entity('tag_settings')
@Check('tag_settings_single_row', '"id" = 1')
export class TagSettings {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id: number;

  @Column({ type: 'boolean', default: false })
  requireTagToSolve: boolean;

  @Column({ type: 'double precision', default: 1.5 })
  risingMinRatio: number;

  @Column({ type: 'double precision', default: 0.001 })
  risingMaxPValue: number;

  @Column({ type: 'integer', default: 5 })
  recurringWeeklyMin: number;

  @Column({ type: 'integer', default: 4 })
  recurringWeeks: number;

  @Column({ type: 'integer', default: 200 })
  retrainAfterTaggings: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
