import { Column } from 'typeorm';

/**
 * The ticket's filter fields, copied onto each reply and status change by the rollup write that keeps the
 * ticket's row: filtered reply and volume figures read one table (see README "Service reports").
 */
export class ReportRowFilters {
  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @Column({ type: 'text', nullable: true })
  priority: string | null;

  @Column({ type: 'text', nullable: true })
  plan: string | null;

  @Column({ type: 'boolean', default: false })
  firstCycle: boolean;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  tagIds: string[];
}
