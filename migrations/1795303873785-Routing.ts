import { MigrationInterface, QueryRunner } from "typeorm";

export class Routing1795303873785 implements MigrationInterface {
    name = 'Routing1795303873785'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "routing_queue" (
                "ticket_id" uuid NOT NULL,
                "team_id" uuid NOT NULL,
                "strategy" text NOT NULL,
                "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_3ec6479d44256534a62cee6eabc" PRIMARY KEY ("ticket_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "routing_queue_team_idx" ON "routing_queue" ("team_id", "queued_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "routing_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "position" integer NOT NULL,
                "is_active" boolean NOT NULL DEFAULT true,
                "triggers" text array NOT NULL DEFAULT '{ticket_created}',
                "time_condition" jsonb,
                "match" text NOT NULL DEFAULT 'all',
                "conditions" jsonb NOT NULL DEFAULT '[]',
                "actions" jsonb NOT NULL DEFAULT '[]',
                "stop_processing" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b744c5cc71053ea4d3fc8a860c2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "routing_rules_position_idx" ON "routing_rules" ("position")
        `);
        await queryRunner.query(`
            CREATE TABLE "routing_rule_firings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "rule_id" uuid NOT NULL,
                "ticket_id" uuid NOT NULL,
                "window_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "fired_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_50d179dec7815cb3e098e2854c4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "routing_rule_firings_ticket_idx" ON "routing_rule_firings" ("ticket_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "routing_rule_firings_key" ON "routing_rule_firings" ("rule_id", "ticket_id", "window_start")
        `);
        await queryRunner.query(`
            CREATE TABLE "team_routing_state" (
                "team_id" uuid NOT NULL,
                "last_assignee_id" uuid,
                CONSTRAINT "PK_33cac6f66f65d2bc6ab54080993" PRIMARY KEY ("team_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_queue"
            ADD CONSTRAINT "FK_3ec6479d44256534a62cee6eabc" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_queue"
            ADD CONSTRAINT "FK_c89fafe43c131385ae44e80872f" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_rule_firings"
            ADD CONSTRAINT "FK_fda8789d34a7768e1eccb48310d" FOREIGN KEY ("rule_id") REFERENCES "routing_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_rule_firings"
            ADD CONSTRAINT "FK_c2835d6fca69c43cfcb5a938f99" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "team_routing_state"
            ADD CONSTRAINT "FK_33cac6f66f65d2bc6ab54080993" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "team_routing_state" DROP CONSTRAINT "FK_33cac6f66f65d2bc6ab54080993"
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_rule_firings" DROP CONSTRAINT "FK_c2835d6fca69c43cfcb5a938f99"
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_rule_firings" DROP CONSTRAINT "FK_fda8789d34a7768e1eccb48310d"
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_queue" DROP CONSTRAINT "FK_c89fafe43c131385ae44e80872f"
        `);
        await queryRunner.query(`
            ALTER TABLE "routing_queue" DROP CONSTRAINT "FK_3ec6479d44256534a62cee6eabc"
        `);
        await queryRunner.query(`
            DROP TABLE "team_routing_state"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."routing_rule_firings_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."routing_rule_firings_ticket_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "routing_rule_firings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."routing_rules_position_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "routing_rules"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."routing_queue_team_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "routing_queue"
        `);
    }

}
