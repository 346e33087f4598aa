import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SurveyScale } from '../../../contracts/surveys';

/** The workspace's report and survey settings: one row (id 1), defaults until a lead or admin saves them. */
@Entity('report_settings')
export class ReportSettings {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** Shown to customers on the survey page and in its email. */
  @Column({ type: 'text', default: 'Careloop' })
  workspaceName: string;

  /** Report periods (days, weeks, the heatmap's hours) are cut in this zone. */
  @Column({ type: 'text', default: 'UTC' })
  timeZone: string;

  @Column({ type: 'boolean', default: true })
  surveysEnabled: boolean;

  /** Hours after a solve before the CSAT survey goes out. */
  @Column({ type: 'integer', default: 24 })
  surveyDelayHours: number;

  @Column({ type: 'text', default: 'good_bad' })
  csatScale: Exclude<SurveyScale, 'nps'>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
