import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replies and status changes carry their ticket's filter fields (team, assignee, mailbox, priority, plan,
 * first cycle, tags; and for changes, merged), kept by the same rollup write as the ticket's row: a filtered
 * figure reads one table instead of joining a period's rows to a million tickets (bench/reports.ts).
 */
export class ReportRowFilters1795328210000 implements MigrationInterface {
  name = 'ReportRowFilters1795328210000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['report_replies', 'report_status_changes']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "team_id" uuid, ADD "assignee_id" uuid, ADD "mailbox_id" uuid, ADD "priority" text, ADD "plan" text,
           ADD "first_cycle" boolean NOT NULL DEFAULT false, ADD "tag_ids" uuid array NOT NULL DEFAULT '{}'`,
      );
      await queryRunner.query(
        `UPDATE "${table}" x SET team_id = f.team_id, assignee_id = f.assignee_id, mailbox_id = f.mailbox_id, priority = f.priority, plan = f.plan,
           first_cycle = f.first_cycle, tag_ids = f.tag_ids FROM report_ticket_facts f WHERE f.ticket_id = x.ticket_id`,
      );
    }
    await queryRunner.query(`ALTER TABLE "report_status_changes" ADD "merged" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE "report_status_changes" c SET merged = f.merged FROM report_ticket_facts f WHERE f.ticket_id = c.ticket_id AND f.merged`);
    await queryRunner.query(`CREATE INDEX "report_replies_team_replied_idx" ON "report_replies" ("team_id", "replied_at") INCLUDE ("first", "wait_seconds", "wait_business_seconds", "agent_id")`);
    await queryRunner.query(`CREATE INDEX "report_status_changes_team_at_idx" ON "report_status_changes" ("team_id", "at") INCLUDE ("kind")`);
    // The open tickets now (the backlog's starting point) counted from the index alone, filtered or not.
    await queryRunner.query(`DROP INDEX "report_ticket_facts_unsolved_idx"`);
    await queryRunner.query(
      `CREATE INDEX "report_ticket_facts_unsolved_idx" ON "report_ticket_facts" ("created_at") INCLUDE ("team_id", "assignee_id", "mailbox_id", "priority", "plan", "first_cycle", "tag_ids")
       WHERE status NOT IN ('solved', 'closed')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "report_ticket_facts_unsolved_idx"`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_unsolved_idx" ON "report_ticket_facts" ("created_at") WHERE status NOT IN ('solved', 'closed')`);
    await queryRunner.query(`DROP INDEX "report_status_changes_team_at_idx"`);
    await queryRunner.query(`DROP INDEX "report_replies_team_replied_idx"`);
    await queryRunner.query(`ALTER TABLE "report_status_changes" DROP COLUMN "merged"`);
    for (const table of ['report_replies', 'report_status_changes']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" DROP COLUMN "tag_ids", DROP COLUMN "first_cycle", DROP COLUMN "plan", DROP COLUMN "priority", DROP COLUMN "mailbox_id", DROP COLUMN "assignee_id", DROP COLUMN "team_id"`,
      );
    }
  }
}
