import { MigrationInterface, QueryRunner } from "typeorm";

/** Care journeys: subscription events, satisfaction answers, the webhook secret, journeys with enrollments, step runs, care emails, unsubscribes and settings; subscriber fields on customers. */
export class Journeys1795304615823 implements MigrationInterface {
    name = 'Journeys1795304615823'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "satisfaction_responses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "customer_id" uuid NOT NULL,
                "ticket_id" uuid,
                "score" smallint NOT NULL,
                "comment" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_016430a2ae6d74f94aca1e61e00" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "satisfaction_responses_created_idx" ON "satisfaction_responses" ("created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "satisfaction_responses_customer_idx" ON "satisfaction_responses" ("customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "subscription_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" text NOT NULL,
                "customer_id" uuid NOT NULL,
                "type" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                CONSTRAINT "PK_7eb5647aa3071cffad0124bceee" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "subscription_events_type_received_idx" ON "subscription_events" ("type", "received_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "subscription_events_customer_idx" ON "subscription_events" ("customer_id", "received_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "subscription_events_event_id_key" ON "subscription_events" ("event_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_secrets" (
                "name" text NOT NULL,
                "sealed_secret" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_778be3963ed8a2e3f37f5b536ec" PRIMARY KEY ("name")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "care_settings" (
                "id" smallint NOT NULL,
                "weekly_email_cap" integer NOT NULL DEFAULT '3',
                "quiet_hours_start" smallint,
                "quiet_hours_end" smallint,
                "default_time_zone" text NOT NULL DEFAULT 'UTC',
                "public_url" text NOT NULL,
                "manage_subscription_url" text,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_af3625727026c96911e059ac2b6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "journeys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "preset_key" text,
                "status" text NOT NULL DEFAULT 'draft',
                "trigger" jsonb NOT NULL,
                "steps" jsonb NOT NULL,
                "exit_goals" text array NOT NULL DEFAULT '{}',
                "mailbox_id" uuid,
                "from_name" text,
                "send_while_ticket_open" boolean NOT NULL DEFAULT false,
                "owner_id" uuid,
                "activated_at" TIMESTAMP WITH TIME ZONE,
                "scanned_until" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_94b31b067846c92b6811046c81e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "journeys_preset_key" ON "journeys" ("preset_key")
            WHERE preset_key IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "journey_enrollments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "journey_id" uuid NOT NULL,
                "customer_id" uuid NOT NULL,
                "occurrence_key" text NOT NULL,
                "ticket_id" uuid,
                "state" text NOT NULL DEFAULT 'active',
                "next_step_id" text,
                "due_at" TIMESTAMP WITH TIME ZONE,
                "exit_reason" text,
                "failures" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_73dea7837bc896cf986344b17ae" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "journey_enrollments_journey_state_idx" ON "journey_enrollments" ("journey_id", "state")
        `);
        await queryRunner.query(`
            CREATE INDEX "journey_enrollments_customer_idx" ON "journey_enrollments" ("customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "journey_enrollments_due_idx" ON "journey_enrollments" ("due_at")
            WHERE state = 'active'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "journey_enrollments_occurrence_key" ON "journey_enrollments" ("journey_id", "customer_id", "occurrence_key")
        `);
        await queryRunner.query(`
            CREATE TABLE "care_touches" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "journey_id" uuid,
                "enrollment_id" uuid,
                "step_id" text,
                "customer_id" uuid NOT NULL,
                "mailbox_id" uuid,
                "ticket_id" uuid,
                "from_name" text,
                "to_address" text NOT NULL,
                "subject" text NOT NULL,
                "body" text NOT NULL,
                "message_id" text NOT NULL,
                "in_reply_to" text,
                "references" text array NOT NULL DEFAULT '{}',
                "state" text NOT NULL DEFAULT 'queued',
                "error" text,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "replied_at" TIMESTAMP WITH TIME ZONE,
                "reply_ticket_id" uuid,
                CONSTRAINT "PK_8fe08b72e0edef111f3b14eb595" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "care_touches_journey_idx" ON "care_touches" ("journey_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "care_touches_queued_idx" ON "care_touches" ("next_attempt_at")
            WHERE state = 'queued'
        `);
        await queryRunner.query(`
            CREATE INDEX "care_touches_customer_idx" ON "care_touches" ("customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "care_touches_message_id_idx" ON "care_touches" ("message_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "care_touches_enrollment_step_key" ON "care_touches" ("enrollment_id", "step_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "journey_step_runs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enrollment_id" uuid NOT NULL,
                "journey_id" uuid NOT NULL,
                "step_id" text NOT NULL,
                "step_type" text NOT NULL,
                "outcome" text NOT NULL,
                "detail" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_9b52d1cf310b598e08229f78336" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "journey_step_runs_journey_step_idx" ON "journey_step_runs" ("journey_id", "step_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "journey_step_runs_enrollment_step_key" ON "journey_step_runs" ("enrollment_id", "step_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "unsubscribes" (
                "customer_id" uuid NOT NULL,
                "journey_id" uuid,
                "touch_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_939ddd35079ca0c2c5d45887b85" PRIMARY KEY ("customer_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "customers"
            ADD "skipped_cycles" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "customers"
            ADD "lifetime_value" numeric(12, 2) NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "customers"
            ADD "time_zone" text
        `);
        await queryRunner.query(`
            ALTER TABLE "customers"
            ADD "tags" text array NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            CREATE INDEX "customers_cancelled_idx" ON "customers" ("cancelled_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "customers_next_renewal_idx" ON "customers" ("next_renewal_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "customers_subscription_started_idx" ON "customers" ("subscription_started_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "satisfaction_responses"
            ADD CONSTRAINT "FK_780e6c0ecc39f58f89f110c59db" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "satisfaction_responses"
            ADD CONSTRAINT "FK_2577af65d3599294c5ec30235ff" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "subscription_events"
            ADD CONSTRAINT "FK_5099cafeabd3ee3ff17ece321a9" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journeys"
            ADD CONSTRAINT "FK_b3e2629a97f305bbbbd37a41ce8" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journeys"
            ADD CONSTRAINT "FK_43528873d16af508d26eccd9449" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments"
            ADD CONSTRAINT "FK_6abe60e4ddf806d015774e8efad" FOREIGN KEY ("journey_id") REFERENCES "journeys"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments"
            ADD CONSTRAINT "FK_5ee13042fafdfb1ecf0503d51e0" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments"
            ADD CONSTRAINT "FK_0dcc5daac745c25ab85c4456636" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches"
            ADD CONSTRAINT "FK_0ca51a8f27ab969588d8502e108" FOREIGN KEY ("journey_id") REFERENCES "journeys"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches"
            ADD CONSTRAINT "FK_b53acd742bc1174e9de25286905" FOREIGN KEY ("enrollment_id") REFERENCES "journey_enrollments"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches"
            ADD CONSTRAINT "FK_e21dbf72bf686c5886bf90e4fe2" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches"
            ADD CONSTRAINT "FK_e13b72a3d3c8edddc6437b10a48" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches"
            ADD CONSTRAINT "FK_4d256861b60660a73d486de0afe" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_step_runs"
            ADD CONSTRAINT "FK_4b08edb4fe91520cf658e8c160b" FOREIGN KEY ("enrollment_id") REFERENCES "journey_enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "unsubscribes"
            ADD CONSTRAINT "FK_939ddd35079ca0c2c5d45887b85" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "unsubscribes"
            ADD CONSTRAINT "FK_91aaca6905d15a3cd9b78d56ee6" FOREIGN KEY ("journey_id") REFERENCES "journeys"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "unsubscribes" DROP CONSTRAINT "FK_91aaca6905d15a3cd9b78d56ee6"
        `);
        await queryRunner.query(`
            ALTER TABLE "unsubscribes" DROP CONSTRAINT "FK_939ddd35079ca0c2c5d45887b85"
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_step_runs" DROP CONSTRAINT "FK_4b08edb4fe91520cf658e8c160b"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches" DROP CONSTRAINT "FK_4d256861b60660a73d486de0afe"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches" DROP CONSTRAINT "FK_e13b72a3d3c8edddc6437b10a48"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches" DROP CONSTRAINT "FK_e21dbf72bf686c5886bf90e4fe2"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches" DROP CONSTRAINT "FK_b53acd742bc1174e9de25286905"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_touches" DROP CONSTRAINT "FK_0ca51a8f27ab969588d8502e108"
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments" DROP CONSTRAINT "FK_0dcc5daac745c25ab85c4456636"
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments" DROP CONSTRAINT "FK_5ee13042fafdfb1ecf0503d51e0"
        `);
        await queryRunner.query(`
            ALTER TABLE "journey_enrollments" DROP CONSTRAINT "FK_6abe60e4ddf806d015774e8efad"
        `);
        await queryRunner.query(`
            ALTER TABLE "journeys" DROP CONSTRAINT "FK_43528873d16af508d26eccd9449"
        `);
        await queryRunner.query(`
            ALTER TABLE "journeys" DROP CONSTRAINT "FK_b3e2629a97f305bbbbd37a41ce8"
        `);
        await queryRunner.query(`
            ALTER TABLE "subscription_events" DROP CONSTRAINT "FK_5099cafeabd3ee3ff17ece321a9"
        `);
        await queryRunner.query(`
            ALTER TABLE "satisfaction_responses" DROP CONSTRAINT "FK_2577af65d3599294c5ec30235ff"
        `);
        await queryRunner.query(`
            ALTER TABLE "satisfaction_responses" DROP CONSTRAINT "FK_780e6c0ecc39f58f89f110c59db"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."customers_subscription_started_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."customers_next_renewal_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."customers_cancelled_idx"
        `);
        await queryRunner.query(`
            ALTER TABLE "customers" DROP COLUMN "tags"
        `);
        await queryRunner.query(`
            ALTER TABLE "customers" DROP COLUMN "time_zone"
        `);
        await queryRunner.query(`
            ALTER TABLE "customers" DROP COLUMN "lifetime_value"
        `);
        await queryRunner.query(`
            ALTER TABLE "customers" DROP COLUMN "skipped_cycles"
        `);
        await queryRunner.query(`
            DROP TABLE "unsubscribes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_step_runs_enrollment_step_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_step_runs_journey_step_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "journey_step_runs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_touches_enrollment_step_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_touches_message_id_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_touches_customer_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_touches_queued_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_touches_journey_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "care_touches"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_enrollments_occurrence_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_enrollments_due_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_enrollments_customer_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journey_enrollments_journey_state_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "journey_enrollments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."journeys_preset_key"
        `);
        await queryRunner.query(`
            DROP TABLE "journeys"
        `);
        await queryRunner.query(`
            DROP TABLE "care_settings"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_secrets"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."subscription_events_event_id_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."subscription_events_customer_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."subscription_events_type_received_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "subscription_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."satisfaction_responses_customer_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."satisfaction_responses_created_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "satisfaction_responses"
        `);
    }

}
