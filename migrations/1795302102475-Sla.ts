import { MigrationInterface, QueryRunner } from "typeorm";

/** SLA engine: business calendars, policies reshaped (calendar, pause statuses, warning, escalation), per-ticket targets, in-app notifications. */
export class Sla1795302102475 implements MigrationInterface {
    name = 'Sla1795302102475'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "business_calendars" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "time_zone" text NOT NULL,
                "weekly" jsonb NOT NULL,
                "holidays" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5824d9553787220e55e159fa16b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "business_calendars_name_key" ON "business_calendars" ("name")
        `);
        await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "notifications_user_created_idx" ON "notifications" ("user_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."sla_target_kind" AS ENUM('first_reply', 'next_reply', 'resolution')
        `);
        await queryRunner.query(`
            CREATE TABLE "sla_targets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "ticket_id" uuid NOT NULL,
                "policy_id" uuid,
                "kind" "public"."sla_target_kind" NOT NULL,
                "target_minutes" double precision NOT NULL,
                "spent_minutes" double precision NOT NULL DEFAULT '0',
                "running_since" TIMESTAMP WITH TIME ZONE,
                "paused_at" TIMESTAMP WITH TIME ZONE,
                "achieved_at" TIMESTAMP WITH TIME ZONE,
                "due_at" TIMESTAMP WITH TIME ZONE,
                "warn_at" TIMESTAMP WITH TIME ZONE,
                "warned_at" TIMESTAMP WITH TIME ZONE,
                "breached_at" TIMESTAMP WITH TIME ZONE,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_41fc50a6ca71daeb352ad54ec07" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_targets_decided_idx" ON "sla_targets" ("decided_at")
            WHERE decided_at IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_targets_policy_open_idx" ON "sla_targets" ("policy_id")
            WHERE achieved_at IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_targets_warn_idx" ON "sla_targets" ("warn_at")
            WHERE achieved_at IS NULL
                AND warned_at IS NULL
                AND breached_at IS NULL
                AND warn_at IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_targets_due_idx" ON "sla_targets" ("due_at")
            WHERE achieved_at IS NULL
                AND breached_at IS NULL
                AND due_at IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_targets_ticket_idx" ON "sla_targets" ("ticket_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "sla_targets_open_kind_key" ON "sla_targets" ("ticket_id", "kind")
            WHERE achieved_at IS NULL
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP COLUMN "business_hours"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD "calendar_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD "pause_statuses" text array NOT NULL DEFAULT '{pending,on_hold}'
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD "warning" jsonb
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD "escalation" jsonb NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            CREATE INDEX "sla_policies_position_idx" ON "sla_policies" ("position")
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD CONSTRAINT "FK_19ba046d6f085de85f97be9b2ce" FOREIGN KEY ("calendar_id") REFERENCES "business_calendars"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_targets"
            ADD CONSTRAINT "FK_4e6a49573da16a938a148ff1dca" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_targets"
            ADD CONSTRAINT "FK_00a02e6aa24c31a138e1b3cde23" FOREIGN KEY ("policy_id") REFERENCES "sla_policies"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "sla_targets" DROP CONSTRAINT "FK_00a02e6aa24c31a138e1b3cde23"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_targets" DROP CONSTRAINT "FK_4e6a49573da16a938a148ff1dca"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP CONSTRAINT "FK_19ba046d6f085de85f97be9b2ce"
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_policies_position_idx"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP COLUMN "escalation"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP COLUMN "warning"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP COLUMN "pause_statuses"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies" DROP COLUMN "calendar_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "sla_policies"
            ADD "business_hours" boolean NOT NULL DEFAULT true
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_open_kind_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_ticket_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_due_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_warn_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_policy_open_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sla_targets_decided_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "sla_targets"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."sla_target_kind"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."notifications_user_created_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "notifications"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."business_calendars_name_key"
        `);
        await queryRunner.query(`
            DROP TABLE "business_calendars"
        `);
    }

}
