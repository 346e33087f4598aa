import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795301248449 implements MigrationInterface {
    name = 'Initial1795301248449'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "teams" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "is_private" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7e5523774a38b08a6236d322403" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "teams_name_key" ON "teams" ("name")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."user_role" AS ENUM('agent', 'lead', 'care_owner', 'admin')
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."user_availability" AS ENUM('available', 'away', 'offline')
        `);
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "name" text NOT NULL,
                "password_hash" text NOT NULL,
                "role" "public"."user_role" NOT NULL DEFAULT 'agent',
                "availability" "public"."user_availability" NOT NULL DEFAULT 'offline',
                "capacity" integer NOT NULL DEFAULT '20',
                "is_active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")
        `);
        await queryRunner.query(`
            CREATE TABLE "sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" text NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."subscription_status" AS ENUM('none', 'active', 'paused', 'cancelled')
        `);
        await queryRunner.query(`
            CREATE TABLE "customers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "name" text,
                "external_id" text,
                "subscription_status" "public"."subscription_status" NOT NULL DEFAULT 'none',
                "subscription_started_at" TIMESTAMP WITH TIME ZONE,
                "current_cycle" integer,
                "next_renewal_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "plan" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_133ec679a801fab5e070f73d3ea" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "customers_external_id_key" ON "customers" ("external_id")
            WHERE external_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "customers_email_key" ON "customers" ("email")
        `);
        await queryRunner.query(`
            CREATE TABLE "macros" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "body" text NOT NULL DEFAULT '',
                "actions" jsonb NOT NULL DEFAULT '[]',
                "owner_id" uuid,
                "team_id" uuid,
                "usage_count" integer NOT NULL DEFAULT '0',
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cc6dbe6db03bd5465a8ace61be5" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "mailboxes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "address" text NOT NULL,
                "is_active" boolean NOT NULL DEFAULT true,
                "imap_host" text,
                "imap_port" integer NOT NULL DEFAULT '993',
                "imap_tls" boolean NOT NULL DEFAULT true,
                "imap_user" text,
                "imap_password_sealed" text,
                "imap_folder" text NOT NULL DEFAULT 'INBOX',
                "smtp_host" text,
                "smtp_port" integer NOT NULL DEFAULT '587',
                "smtp_tls" boolean NOT NULL DEFAULT false,
                "smtp_user" text,
                "smtp_password_sealed" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1471bf7ef6d7f1279fbbdf89a1d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "mailboxes_address_key" ON "mailboxes" ("address")
        `);
        await queryRunner.query(`
            CREATE TABLE "sla_policies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "position" integer NOT NULL DEFAULT '0',
                "is_active" boolean NOT NULL DEFAULT true,
                "conditions" jsonb NOT NULL DEFAULT '{}',
                "targets" jsonb NOT NULL DEFAULT '{}',
                "business_hours" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_41b6803cef982534243a67b6302" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "tags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "description" text,
                "color" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e7dc17249a1148a1970748eda99" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "tags_name_key" ON "tags" ("name")
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_tags" (
                "ticket_id" uuid NOT NULL,
                "tag_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_61ad5ce131d1032cd26448d073e" PRIMARY KEY ("ticket_id", "tag_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ticket_tags_tag_idx" ON "ticket_tags" ("tag_id", "ticket_id")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_status" AS ENUM(
                'new',
                'open',
                'pending',
                'on_hold',
                'solved',
                'closed'
            )
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."ticket_priority" AS ENUM('low', 'normal', 'high', 'urgent')
        `);
        await queryRunner.query(`
            CREATE TABLE "tickets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "number" SERIAL NOT NULL,
                "subject" text NOT NULL,
                "status" "public"."ticket_status" NOT NULL DEFAULT 'new',
                "priority" "public"."ticket_priority" NOT NULL DEFAULT 'normal',
                "assignee_id" uuid,
                "team_id" uuid,
                "mailbox_id" uuid,
                "customer_id" uuid,
                "snippet" text,
                "message_count" integer NOT NULL DEFAULT '0',
                "search_vector" tsvector,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "first_reply_at" TIMESTAMP WITH TIME ZONE,
                "solved_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_343bc942ae261cf7a1377f48fd0" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_mailbox_idx" ON "tickets" ("mailbox_id", "last_activity_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_customer_idx" ON "tickets" ("customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_team_status_activity_idx" ON "tickets" ("team_id", "status", "last_activity_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_assignee_status_activity_idx" ON "tickets" (
                "assignee_id",
                "status",
                "last_activity_at",
                "id"
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_status_activity_idx" ON "tickets" ("status", "last_activity_at", "id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "tickets_number_key" ON "tickets" ("number")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound', 'note')
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."delivery_state" AS ENUM(
                'queued',
                'sending',
                'sent',
                'failed',
                'undelivered'
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "messages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "ticket_id" uuid NOT NULL,
                "direction" "public"."message_direction" NOT NULL,
                "author_id" uuid,
                "mailbox_id" uuid,
                "from_address" text,
                "from_name" text,
                "to_addresses" text array NOT NULL DEFAULT '{}',
                "cc_addresses" text array NOT NULL DEFAULT '{}',
                "subject" text,
                "body_text" text,
                "body_html" text,
                "message_id" text,
                "in_reply_to" text,
                "references" text array NOT NULL DEFAULT '{}',
                "raw_source" bytea,
                "delivery_state" "public"."delivery_state",
                "delivery_error" text,
                "flags" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "messages_message_id_idx" ON "messages" ("message_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "messages_ticket_created_idx" ON "messages" ("ticket_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "attachments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "message_id" uuid NOT NULL,
                "filename" text NOT NULL,
                "content_type" text NOT NULL,
                "size" integer NOT NULL,
                "content_id" text,
                "inline" boolean NOT NULL DEFAULT false,
                "content" bytea NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "attachments_message_idx" ON "attachments" ("message_id")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."actor_type" AS ENUM('user', 'system', 'rule')
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "ticket_id" uuid NOT NULL,
                "type" text NOT NULL,
                "actor_type" "public"."actor_type" NOT NULL DEFAULT 'system',
                "actor_id" uuid,
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d61d07653b492eca67f9bad8ec2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ticket_events_ticket_created_idx" ON "ticket_events" ("ticket_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "team_members" (
                "user_id" uuid NOT NULL,
                "team_id" uuid NOT NULL,
                CONSTRAINT "PK_1d3c06a8217a8785e2af0ec4ab8" PRIMARY KEY ("user_id", "team_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_c2bf4967c8c2a6b845dadfbf3d" ON "team_members" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_fdad7d5768277e60c40e01cdce" ON "team_members" ("team_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "sessions"
            ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "macros"
            ADD CONSTRAINT "FK_a92de9aa43515af8ac4fcc37422" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "macros"
            ADD CONSTRAINT "FK_34334c68fd21956c3639200623e" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tags"
            ADD CONSTRAINT "FK_e834a1960b1abc5822d5055b82e" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tags"
            ADD CONSTRAINT "FK_f5cb86966f6eb9f24f011992d38" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_dff6e2b44c9b5e177114588772f" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_ec5071f9de4677c9e8da947e144" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_638b30e9f65d7c58ba920046160" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets"
            ADD CONSTRAINT "FK_42e4343476d9c4a46fb565a5c46" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_aa8e62e23565f59d22160b35f18" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_05535bc695e9f7ee104616459d3" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_ba93901e8118b25e339a9d7c295" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "attachments"
            ADD CONSTRAINT "FK_623e10eec51ada466c5038979e3" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events"
            ADD CONSTRAINT "FK_9cf43c4478294faa98129c47c21" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events"
            ADD CONSTRAINT "FK_f13e732854401f6f00cdd045f23" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "team_members"
            ADD CONSTRAINT "FK_c2bf4967c8c2a6b845dadfbf3d4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
        await queryRunner.query(`
            ALTER TABLE "team_members"
            ADD CONSTRAINT "FK_fdad7d5768277e60c40e01cdcea" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        // Full-text search: one weighted vector per ticket, from its subject (A) and every message (B),
        // kept current by triggers so search never scans message bodies at query time.
        await queryRunner.query(`
            CREATE FUNCTION tickets_subject_search() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    NEW.search_vector := setweight(to_tsvector('english', coalesce(NEW.subject, '')), 'A');
                ELSIF NEW.subject IS DISTINCT FROM OLD.subject THEN
                    NEW.search_vector := setweight(to_tsvector('english', coalesce(NEW.subject, '')), 'A')
                        || coalesce(NEW.search_vector, ''::tsvector);
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
        `);
        await queryRunner.query(`
            CREATE TRIGGER tickets_subject_search BEFORE INSERT OR UPDATE OF subject ON tickets
            FOR EACH ROW EXECUTE FUNCTION tickets_subject_search()
        `);
        await queryRunner.query(`
            CREATE FUNCTION messages_search() RETURNS trigger AS $$
            BEGIN
                UPDATE tickets SET search_vector = coalesce(search_vector, ''::tsvector) || setweight(
                    to_tsvector('english', left(coalesce(NEW.from_address, '') || ' ' || coalesce(NEW.from_name, '') || ' '
                        || coalesce(NEW.body_text, ''), 20000)), 'B')
                WHERE id = NEW.ticket_id;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
        `);
        await queryRunner.query(`
            CREATE TRIGGER messages_search AFTER INSERT ON messages
            FOR EACH ROW EXECUTE FUNCTION messages_search()
        `);
        await queryRunner.query(`CREATE INDEX "tickets_search_idx" ON "tickets" USING GIN ("search_vector")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "tickets_search_idx"`);
        await queryRunner.query(`DROP TRIGGER messages_search ON messages`);
        await queryRunner.query(`DROP FUNCTION messages_search()`);
        await queryRunner.query(`DROP TRIGGER tickets_subject_search ON tickets`);
        await queryRunner.query(`DROP FUNCTION tickets_subject_search()`);
        await queryRunner.query(`
            ALTER TABLE "team_members" DROP CONSTRAINT "FK_fdad7d5768277e60c40e01cdcea"
        `);
        await queryRunner.query(`
            ALTER TABLE "team_members" DROP CONSTRAINT "FK_c2bf4967c8c2a6b845dadfbf3d4"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events" DROP CONSTRAINT "FK_f13e732854401f6f00cdd045f23"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_events" DROP CONSTRAINT "FK_9cf43c4478294faa98129c47c21"
        `);
        await queryRunner.query(`
            ALTER TABLE "attachments" DROP CONSTRAINT "FK_623e10eec51ada466c5038979e3"
        `);
        await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_ba93901e8118b25e339a9d7c295"
        `);
        await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_05535bc695e9f7ee104616459d3"
        `);
        await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_aa8e62e23565f59d22160b35f18"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_42e4343476d9c4a46fb565a5c46"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_638b30e9f65d7c58ba920046160"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_ec5071f9de4677c9e8da947e144"
        `);
        await queryRunner.query(`
            ALTER TABLE "tickets" DROP CONSTRAINT "FK_dff6e2b44c9b5e177114588772f"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tags" DROP CONSTRAINT "FK_f5cb86966f6eb9f24f011992d38"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tags" DROP CONSTRAINT "FK_e834a1960b1abc5822d5055b82e"
        `);
        await queryRunner.query(`
            ALTER TABLE "macros" DROP CONSTRAINT "FK_34334c68fd21956c3639200623e"
        `);
        await queryRunner.query(`
            ALTER TABLE "macros" DROP CONSTRAINT "FK_a92de9aa43515af8ac4fcc37422"
        `);
        await queryRunner.query(`
            ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_fdad7d5768277e60c40e01cdce"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_c2bf4967c8c2a6b845dadfbf3d"
        `);
        await queryRunner.query(`
            DROP TABLE "team_members"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ticket_events_ticket_created_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_events"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."actor_type"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."attachments_message_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "attachments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."messages_ticket_created_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."messages_message_id_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "messages"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."delivery_state"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."message_direction"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_number_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_status_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_assignee_status_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_team_status_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_customer_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_mailbox_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "tickets"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_priority"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."ticket_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ticket_tags_tag_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_tags"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tags_name_key"
        `);
        await queryRunner.query(`
            DROP TABLE "tags"
        `);
        await queryRunner.query(`
            DROP TABLE "sla_policies"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."mailboxes_address_key"
        `);
        await queryRunner.query(`
            DROP TABLE "mailboxes"
        `);
        await queryRunner.query(`
            DROP TABLE "macros"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."customers_email_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."customers_external_id_key"
        `);
        await queryRunner.query(`
            DROP TABLE "customers"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."subscription_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sessions_token_hash_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."sessions_user_id_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "sessions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."users_email_key"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."user_availability"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."user_role"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."teams_name_key"
        `);
        await queryRunner.query(`
            DROP TABLE "teams"
        `);
    }

}
