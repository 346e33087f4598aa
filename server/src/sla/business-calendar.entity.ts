import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WeeklySchedule } from '../../../contracts/sla';

/** A team's opening hours: SLA targets counted in business hours run only while it is open. */
@Entity('business_calendars')
@Index('business_calendars_name_key', ['name'], { unique: true })
export class BusinessCalendarEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** IANA zone the weekly schedule and holidays are read in. */
  @Column({ type: 'text' })
  timeZone: string;

  /** Open intervals per ISO weekday: { "1": [{ "start": "09:00", "end": "17:00" }], … "7": [] } */
  @Column({ type: 'jsonb' })
  weekly: WeeklySchedule;

  /** Closed days, 'YYYY-MM-DD' in the calendar's zone. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  holidays: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
