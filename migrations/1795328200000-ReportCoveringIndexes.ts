import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report queries answered from indexes alone (index-only scans) at 1M tickets: the period's rows carry the
 * columns the aggregates read, so a 30- or 365-day figure does not visit a heap page per ticket
 * (bench/reports.ts). Merged tickets get a small index of their own: daily solves subtract theirs without
 * joining every change to its ticket.
 */
export class ReportCoveringIndexes1795328200000 implements MigrationInterface {
  name = 'ReportCoveringIndexes1795328200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "report_status_changes_at_idx"`);
    await queryRunner.query(`CREATE INDEX "report_status_changes_at_idx" ON "report_status_changes" ("at") INCLUDE ("kind", "ticket_id")`);
    await queryRunner.query(`DROP INDEX "report_replies_replied_idx"`);
    await queryRunner.query(
      `CREATE INDEX "report_replies_replied_idx" ON "report_replies" ("replied_at") INCLUDE ("first", "wait_seconds", "wait_business_seconds", "agent_id", "ticket_id")`,
    );
    await queryRunner.query(`DROP INDEX "report_ticket_facts_last_solved_idx"`);
    await queryRunner.query(
      `CREATE INDEX "report_ticket_facts_last_solved_idx" ON "report_ticket_facts" ("last_solved_at") INCLUDE ("full_resolution_seconds", "public_replies", "one_touch", "merged", "assignee_id") WHERE last_solved_at IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "report_ticket_facts_first_solved_idx"`);
    await queryRunner.query(
      `CREATE INDEX "report_ticket_facts_first_solved_idx" ON "report_ticket_facts" ("first_solved_at") INCLUDE ("first_resolution_seconds", "merged") WHERE first_solved_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_merged_idx" ON "report_ticket_facts" ("ticket_id") WHERE merged`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "report_ticket_facts_merged_idx"`);
    await queryRunner.query(`DROP INDEX "report_ticket_facts_first_solved_idx"`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_first_solved_idx" ON "report_ticket_facts" ("first_solved_at") WHERE first_solved_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "report_ticket_facts_last_solved_idx"`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_last_solved_idx" ON "report_ticket_facts" ("last_solved_at") WHERE last_solved_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "report_replies_replied_idx"`);
    await queryRunner.query(`CREATE INDEX "report_replies_replied_idx" ON "report_replies" ("replied_at") `);
    await queryRunner.query(`DROP INDEX "report_status_changes_at_idx"`);
    await queryRunner.query(`CREATE INDEX "report_status_changes_at_idx" ON "report_status_changes" ("at") `);
  }
}
