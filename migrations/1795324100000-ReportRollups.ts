import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups the service reports read (kept by the reports listener): one row of figures per ticket, one row per
 * public reply (with the customer's calendar and business-hours wait when it answered one, fixed when recorded), and the
 * solves and reopens for daily volume and the backlog.
 */
export class ReportRollups1795324100000 implements MigrationInterface {
  name = 'ReportRollups1795324100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_replies" ("message_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "agent_id" uuid, "replied_at" TIMESTAMP WITH TIME ZONE NOT NULL, "waiting_since" TIMESTAMP WITH TIME ZONE, "wait_seconds" integer, "wait_business_seconds" integer, "first" boolean NOT NULL, CONSTRAINT "PK_a4515dc72acedd3ccfd24587f9f" PRIMARY KEY ("message_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "report_replies_ticket_idx" ON "report_replies" ("ticket_id") `);
    await queryRunner.query(`CREATE INDEX "report_replies_replied_idx" ON "report_replies" ("replied_at") `);
    await queryRunner.query(
      `CREATE TABLE "report_status_changes" ("event_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "kind" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_81a1ca1439cd7ad6824b370dc08" PRIMARY KEY ("event_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "report_status_changes_ticket_idx" ON "report_status_changes" ("ticket_id") `);
    await queryRunner.query(`CREATE INDEX "report_status_changes_at_idx" ON "report_status_changes" ("at") `);
    await queryRunner.query(
      `CREATE TABLE "report_ticket_facts" ("ticket_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_inbound_at" TIMESTAMP WITH TIME ZONE, "team_id" uuid, "assignee_id" uuid, "mailbox_id" uuid, "priority" text NOT NULL, "status" text NOT NULL, "plan" text, "first_cycle" boolean NOT NULL DEFAULT false, "tag_ids" uuid array NOT NULL DEFAULT '{}', "first_reply_at" TIMESTAMP WITH TIME ZONE, "first_reply_by" uuid, "first_reply_seconds" integer, "first_reply_business_seconds" integer, "first_solved_at" TIMESTAMP WITH TIME ZONE, "last_solved_at" TIMESTAMP WITH TIME ZONE, "first_resolution_seconds" integer, "full_resolution_seconds" integer, "public_replies" integer NOT NULL DEFAULT '0', "reopens" integer NOT NULL DEFAULT '0', "one_touch" boolean, "merged" boolean NOT NULL DEFAULT false, "csat_score" smallint, CONSTRAINT "PK_d0d665a6c06ae4df56680bae334" PRIMARY KEY ("ticket_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_team_created_idx" ON "report_ticket_facts" ("team_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_waiting_idx" ON "report_ticket_facts" ("first_inbound_at") WHERE first_reply_at IS NULL AND first_inbound_at IS NOT NULL AND last_solved_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_last_solved_idx" ON "report_ticket_facts" ("last_solved_at") WHERE last_solved_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_first_solved_idx" ON "report_ticket_facts" ("first_solved_at") WHERE first_solved_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_created_idx" ON "report_ticket_facts" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_unsolved_idx" ON "report_ticket_facts" ("created_at") WHERE status NOT IN ('solved', 'closed')`);
    // The tag filter: GIN over the array (not expressible in the entity, hence synchronize: false there).
    await queryRunner.query(`CREATE INDEX "report_ticket_facts_tags_idx" ON "report_ticket_facts" USING gin ("tag_ids")`);
    await queryRunner.query(
      `ALTER TABLE "report_replies" ADD CONSTRAINT "FK_8c0d185d02ddc32f92e9a149441" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_status_changes" ADD CONSTRAINT "FK_c5ebb5cc5ea79f859ba3ac5559d" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_ticket_facts" ADD CONSTRAINT "FK_d0d665a6c06ae4df56680bae334" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_ticket_facts"`);
    await queryRunner.query(`DROP TABLE "report_status_changes"`);
    await queryRunner.query(`DROP TABLE "report_replies"`);
  }
}
