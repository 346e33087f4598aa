import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Surveys (CSAT after a solve, NPS from journeys) and the settings they use; satisfaction answers now come
 * only from a survey, one per survey (a later answer replaces the earlier one), and leads can void one.
 */
export class Surveys1795324000000 implements MigrationInterface {
  name = 'Surveys1795324000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "report_settings" (
      "id" smallint NOT NULL,
      "workspace_name" text NOT NULL DEFAULT 'Careloop',
      "time_zone" text NOT NULL DEFAULT 'UTC',
      "surveys_enabled" boolean NOT NULL DEFAULT true,
      "survey_delay_hours" integer NOT NULL DEFAULT 24,
      "csat_scale" text NOT NULL DEFAULT 'good_bad',
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_cef917acac0f6f539796737ecbb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "surveys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "kind" text NOT NULL,
      "scale" text NOT NULL,
      "customer_id" uuid NOT NULL,
      "ticket_id" uuid,
      "mailbox_id" uuid,
      "source" text NOT NULL,
      "state" text NOT NULL DEFAULT 'scheduled',
      "state_reason" text,
      "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "sent_at" TIMESTAMP WITH TIME ZONE,
      "message_id" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_1b5e3d4aaeb2321ffa98498c971" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "surveys_ticket_kind_key" ON "surveys" ("ticket_id", "kind") WHERE ticket_id IS NOT NULL AND source = 'ticket_solved'`);
    await queryRunner.query(`CREATE INDEX "surveys_due_idx" ON "surveys" ("due_at") WHERE state = 'scheduled'`);
    await queryRunner.query(`CREATE INDEX "surveys_customer_idx" ON "surveys" ("customer_id", "created_at")`);
    await queryRunner.query(`ALTER TABLE "surveys" ADD CONSTRAINT "FK_87c008b600428f1f2750868a862" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "surveys" ADD CONSTRAINT "FK_debec5d67dbb803bb1014175b03" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "surveys" ADD CONSTRAINT "FK_3ea6557aee46e68a315b6131a10" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);

    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "survey_id" uuid`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "kind" text NOT NULL DEFAULT 'csat'`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "reason" text`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "voided_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD "void_reason" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "satisfaction_responses_survey_key" ON "satisfaction_responses" ("survey_id")`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD CONSTRAINT "FK_1aaaff14c7d9788997e688ad796" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" ADD CONSTRAINT "FK_6cf6e1c8f054acab4c56f663a68" FOREIGN KEY ("voided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" DROP CONSTRAINT "FK_6cf6e1c8f054acab4c56f663a68"`);
    await queryRunner.query(`ALTER TABLE "satisfaction_responses" DROP CONSTRAINT "FK_1aaaff14c7d9788997e688ad796"`);
    await queryRunner.query(`DROP INDEX "satisfaction_responses_survey_key"`);
    for (const column of ['void_reason', 'voided_by_id', 'voided_at', 'reason', 'kind', 'survey_id']) await queryRunner.query(`ALTER TABLE "satisfaction_responses" DROP COLUMN "${column}"`);
    await queryRunner.query(`DROP TABLE "surveys"`);
    await queryRunner.query(`DROP TABLE "report_settings"`);
  }
}
