import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The workspace's care settings: one row (id 1), defaults until a care owner saves them. */
@Entity('care_settings')
export class CareSettings {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'integer', default: 3 })
  weeklyEmailCap: number;

  @Column({ type: 'smallint', nullable: true })
  quietHoursStart: number | null;

  @Column({ type: 'smallint', nullable: true })
  quietHoursEnd: number | null;

  @Column({ type: 'text', default: 'UTC' })
  defaultTimeZone: string;

  @Column({ type: 'text', nullable: true })
  manageSubscriptionUrl: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
