import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Tags to care: tag settings, stored suggestion models, per-ticket suggestions and keyword rules, the signal rollups
 * (tag and cluster counts per day, kept by triggers in the tagging transaction), ticket clusters, "this keeps
 * happening" flags, and care initiatives with their tickets and comments.
 */
const ROLLUP_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "ticket_clusters_exemplar_trgm_idx" ON "ticket_clusters" USING gin ("exemplar" gin_trgm_ops);
INSERT INTO "tag_settings" ("id") VALUES (1);

-- One tag added to (delta 1) or removed from (delta -1) one ticket: that tag's day of the ticket's arrival.
CREATE FUNCTION tag_rollup_change(p_tag_id uuid, p_ticket_id uuid, p_delta integer) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_day date;
  v_customer_id uuid;
  v_first_cycle integer;
BEGIN
  SELECT (t.created_at AT TIME ZONE 'UTC')::date, t.customer_id,
         CASE WHEN c.subscription_status = 'active' AND c.current_cycle = 1 THEN 1 ELSE 0 END
    INTO v_day, v_customer_id, v_first_cycle
    FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
   WHERE t.id = p_ticket_id;
  IF NOT FOUND THEN RETURN; END IF;
  IF p_delta > 0 THEN
    INSERT INTO tag_daily_counts AS d (tag_id, day, tickets, first_cycle_tickets, example_ticket_ids)
    VALUES (p_tag_id, v_day, 1, v_first_cycle, ARRAY[p_ticket_id])
    ON CONFLICT (tag_id, day) DO UPDATE
      SET tickets = d.tickets + 1,
          first_cycle_tickets = d.first_cycle_tickets + EXCLUDED.first_cycle_tickets,
          example_ticket_ids = (EXCLUDED.example_ticket_ids || d.example_ticket_ids)[1:3];
    IF v_customer_id IS NOT NULL THEN
      INSERT INTO tag_daily_customers AS c (tag_id, day, customer_id, tickets) VALUES (p_tag_id, v_day, v_customer_id, 1)
      ON CONFLICT (tag_id, day, customer_id) DO UPDATE SET tickets = c.tickets + 1;
    END IF;
  ELSE
    -- The customer may have left the first cycle since the tag was added: never count below zero.
    UPDATE tag_daily_counts
       SET tickets = greatest(tickets - 1, 0),
           first_cycle_tickets = greatest(first_cycle_tickets - v_first_cycle, 0),
           example_ticket_ids = array_remove(example_ticket_ids, p_ticket_id)
     WHERE tag_id = p_tag_id AND day = v_day;
    IF v_customer_id IS NOT NULL THEN
      DELETE FROM tag_daily_customers WHERE tag_id = p_tag_id AND day = v_day AND customer_id = v_customer_id AND tickets <= 1;
      UPDATE tag_daily_customers SET tickets = tickets - 1 WHERE tag_id = p_tag_id AND day = v_day AND customer_id = v_customer_id;
    END IF;
  END IF;
END
$fn$;

-- Cluster signals count untagged tickets: a member leaves its cluster's count when tagged, and comes back untagged.
CREATE FUNCTION ticket_cluster_set_tagged(p_ticket_id uuid, p_tagged boolean) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_cluster_id uuid;
  v_day date;
  v_first_cycle integer;
BEGIN
  UPDATE ticket_cluster_members SET tagged = p_tagged WHERE ticket_id = p_ticket_id AND tagged <> p_tagged
  RETURNING cluster_id, day, first_cycle::integer INTO v_cluster_id, v_day, v_first_cycle;
  IF NOT FOUND THEN RETURN; END IF;
  IF p_tagged THEN
    UPDATE cluster_daily_counts
       SET untagged_tickets = greatest(untagged_tickets - 1, 0),
           first_cycle_tickets = greatest(first_cycle_tickets - v_first_cycle, 0),
           example_ticket_ids = array_remove(example_ticket_ids, p_ticket_id)
     WHERE cluster_id = v_cluster_id AND day = v_day;
  ELSE
    INSERT INTO cluster_daily_counts AS d (cluster_id, day, untagged_tickets, first_cycle_tickets, example_ticket_ids)
    VALUES (v_cluster_id, v_day, 1, v_first_cycle, ARRAY[p_ticket_id])
    ON CONFLICT (cluster_id, day) DO UPDATE
      SET untagged_tickets = d.untagged_tickets + 1,
          first_cycle_tickets = d.first_cycle_tickets + EXCLUDED.first_cycle_tickets,
          example_ticket_ids = (EXCLUDED.example_ticket_ids || d.example_ticket_ids)[1:3];
  END IF;
END
$fn$;

-- Every path that tags tickets (agents, macros, rules, merges, ingestion) goes through ticket_tags.
CREATE FUNCTION ticket_tags_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM tag_rollup_change(NEW.tag_id, NEW.ticket_id, 1);
    PERFORM ticket_cluster_set_tagged(NEW.ticket_id, true);
    RETURN NEW;
  END IF;
  PERFORM tag_rollup_change(OLD.tag_id, OLD.ticket_id, -1);
  IF NOT EXISTS (SELECT 1 FROM ticket_tags WHERE ticket_id = OLD.ticket_id) THEN
    PERFORM ticket_cluster_set_tagged(OLD.ticket_id, false);
  END IF;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER ticket_tags_rollup AFTER INSERT OR DELETE ON ticket_tags FOR EACH ROW EXECUTE FUNCTION ticket_tags_rollup();

-- A deleted ticket leaves the rollups while its row (and so its day) is still readable: a cascade would come too late.
CREATE FUNCTION tickets_leave_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM ticket_cluster_set_tagged(OLD.id, true);
  DELETE FROM ticket_cluster_members WHERE ticket_id = OLD.id;
  DELETE FROM ticket_tags WHERE ticket_id = OLD.id;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER tickets_leave_rollups BEFORE DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_leave_rollups();
`;

const DROP_ROLLUP_SQL = `
DROP TRIGGER tickets_leave_rollups ON tickets;
DROP FUNCTION tickets_leave_rollups();
DROP TRIGGER ticket_tags_rollup ON ticket_tags;
DROP FUNCTION ticket_tags_rollup();
DROP FUNCTION ticket_cluster_set_tagged(uuid, boolean);
DROP FUNCTION tag_rollup_change(uuid, uuid, integer);
DROP INDEX "ticket_clusters_exemplar_trgm_idx";
`;

export class TagsToCare1795303918597 implements MigrationInterface {
    name = 'TagsToCare1795303918597'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "ticket_clusters" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "exemplar" text NOT NULL,
                "label" text NOT NULL,
                "ticket_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a6a4dc44f1651eb6ed5d63fd77" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."initiative_status" AS ENUM(
                'proposed',
                'in_progress',
                'shipped',
                'measuring',
                'done'
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "care_initiatives" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" text NOT NULL,
                "status" "public"."initiative_status" NOT NULL DEFAULT 'proposed',
                "position" integer NOT NULL DEFAULT '0',
                "owner_id" uuid,
                "hypothesis" text NOT NULL DEFAULT '',
                "tag_ids" uuid array NOT NULL DEFAULT '{}',
                "cluster_id" uuid,
                "query" text,
                "target_metric" text NOT NULL DEFAULT '',
                "signal_key" text,
                "shipped_at" TIMESTAMP WITH TIME ZONE,
                "created_by_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bb0346c49927b8ccf859eb69cc6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "care_initiatives_board_idx" ON "care_initiatives" ("status", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "care_initiative_comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "initiative_id" uuid NOT NULL,
                "author_id" uuid,
                "body" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d94298df84a6778c2c01e52fac" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "care_initiative_comments_initiative_idx" ON "care_initiative_comments" ("initiative_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "care_initiative_tickets" (
                "initiative_id" uuid NOT NULL,
                "ticket_id" uuid NOT NULL,
                "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_481ee0d8c44d01f76ba441cf634" PRIMARY KEY ("initiative_id", "ticket_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "care_initiative_tickets_ticket_idx" ON "care_initiative_tickets" ("ticket_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "cluster_daily_counts" (
                "cluster_id" uuid NOT NULL,
                "day" date NOT NULL,
                "untagged_tickets" integer NOT NULL DEFAULT '0',
                "first_cycle_tickets" integer NOT NULL DEFAULT '0',
                "example_ticket_ids" uuid array NOT NULL DEFAULT '{}',
                CONSTRAINT "PK_732c97cd7ccb41ecbe406026288" PRIMARY KEY ("cluster_id", "day")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "cluster_daily_counts_day_idx" ON "cluster_daily_counts" ("day")
        `);
        await queryRunner.query(`
            CREATE TABLE "tag_daily_counts" (
                "tag_id" uuid NOT NULL,
                "day" date NOT NULL,
                "tickets" integer NOT NULL DEFAULT '0',
                "first_cycle_tickets" integer NOT NULL DEFAULT '0',
                "example_ticket_ids" uuid array NOT NULL DEFAULT '{}',
                CONSTRAINT "PK_2cb2f0f8773963754bde45ed493" PRIMARY KEY ("tag_id", "day")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "tag_daily_counts_day_idx" ON "tag_daily_counts" ("day")
        `);
        await queryRunner.query(`
            CREATE TABLE "tag_daily_customers" (
                "tag_id" uuid NOT NULL,
                "day" date NOT NULL,
                "customer_id" uuid NOT NULL,
                "tickets" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_3c710ab933a5c1c878c67f1a61d" PRIMARY KEY ("tag_id", "day", "customer_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_cluster_members" (
                "ticket_id" uuid NOT NULL,
                "cluster_id" uuid NOT NULL,
                "day" date NOT NULL,
                "first_cycle" boolean NOT NULL,
                "tagged" boolean NOT NULL,
                CONSTRAINT "PK_abce1ed86f8b5642068278f0893" PRIMARY KEY ("ticket_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ticket_cluster_members_cluster_idx" ON "ticket_cluster_members" ("cluster_id", "day")
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_flags" (
                "ticket_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "note" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1c93e94ed9d70b015492e72f48c" PRIMARY KEY ("ticket_id", "user_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ticket_flags_created_idx" ON "ticket_flags" ("created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "tag_keyword_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "tag_id" uuid NOT NULL,
                "keywords" text array NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_647b9fc06bcc8ad6d527636ba06" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "tag_keyword_rules_tag_idx" ON "tag_keyword_rules" ("tag_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "tag_models" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "model" jsonb NOT NULL,
                "examples" integer NOT NULL,
                "trained_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_e0f1414b8a6ccbb6c3f1c23d91f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "tag_models_trained_idx" ON "tag_models" ("trained_at")
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."tag_suggestion_source" AS ENUM('model', 'rule')
        `);
        await queryRunner.query(`
            CREATE TYPE "public"."tag_suggestion_state" AS ENUM('pending', 'accepted', 'rejected')
        `);
        await queryRunner.query(`
            CREATE TABLE "ticket_tag_suggestions" (
                "ticket_id" uuid NOT NULL,
                "tag_id" uuid NOT NULL,
                "confidence" real NOT NULL,
                "source" "public"."tag_suggestion_source" NOT NULL,
                "state" "public"."tag_suggestion_state" NOT NULL DEFAULT 'pending',
                "decided_by_id" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1cc2e820007a038da13b433bc56" PRIMARY KEY ("ticket_id", "tag_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ticket_tag_suggestions_rejected_idx" ON "ticket_tag_suggestions" ("ticket_id")
            WHERE state = 'rejected'
        `);
        await queryRunner.query(`
            CREATE TABLE "tag_settings" (
                "id" smallint NOT NULL DEFAULT '1',
                "require_tag_to_solve" boolean NOT NULL DEFAULT false,
                "rising_min_ratio" double precision NOT NULL DEFAULT '1.5',
                "rising_max_p_value" double precision NOT NULL DEFAULT '0.001',
                "recurring_weekly_min" integer NOT NULL DEFAULT '5',
                "recurring_weeks" integer NOT NULL DEFAULT '4',
                "retrain_after_taggings" integer NOT NULL DEFAULT '200',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "tag_settings_single_row" CHECK ("id" = 1),
                CONSTRAINT "PK_1d7b113524b34b97dc10b8b142c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives"
            ADD CONSTRAINT "FK_bc6873f5d1b086803a7a20a3eca" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives"
            ADD CONSTRAINT "FK_ec7664b1de1f548d4f8a4836780" FOREIGN KEY ("cluster_id") REFERENCES "ticket_clusters"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives"
            ADD CONSTRAINT "FK_33f4abed882be8d1483c286fe8d" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_comments"
            ADD CONSTRAINT "FK_543919908cc71d5698b4105fb46" FOREIGN KEY ("initiative_id") REFERENCES "care_initiatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_comments"
            ADD CONSTRAINT "FK_731e363a4b382bd54adc51d17e9" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_tickets"
            ADD CONSTRAINT "FK_5a0ee8d2bdc62ed65b018a7c51e" FOREIGN KEY ("initiative_id") REFERENCES "care_initiatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_tickets"
            ADD CONSTRAINT "FK_29fc864dc74875cceb22b3751db" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "cluster_daily_counts"
            ADD CONSTRAINT "FK_53e8a0d77b168883cfc9ec1e2ff" FOREIGN KEY ("cluster_id") REFERENCES "ticket_clusters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_daily_counts"
            ADD CONSTRAINT "FK_532f9dd85870ec0f4304842297e" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_daily_customers"
            ADD CONSTRAINT "FK_dda16bedf2039c60939992b72b9" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_cluster_members"
            ADD CONSTRAINT "FK_abce1ed86f8b5642068278f0893" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_cluster_members"
            ADD CONSTRAINT "FK_c78f7882a67bb43d1e4ea77dd90" FOREIGN KEY ("cluster_id") REFERENCES "ticket_clusters"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_flags"
            ADD CONSTRAINT "FK_d95ab4742a3fe55e6c4e4c56385" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_flags"
            ADD CONSTRAINT "FK_0ca89b26faca1c972d40d11de5d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_keyword_rules"
            ADD CONSTRAINT "FK_e7fa49e349f3eb022f6f97e4418" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions"
            ADD CONSTRAINT "FK_e4320586c497eb3aea4052d56bb" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions"
            ADD CONSTRAINT "FK_45af7a2f0dce8d4f397c4b0435c" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions"
            ADD CONSTRAINT "FK_7b600f5a534610bb1ce83082e41" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(ROLLUP_SQL);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(DROP_ROLLUP_SQL);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions" DROP CONSTRAINT "FK_7b600f5a534610bb1ce83082e41"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions" DROP CONSTRAINT "FK_45af7a2f0dce8d4f397c4b0435c"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_tag_suggestions" DROP CONSTRAINT "FK_e4320586c497eb3aea4052d56bb"
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_keyword_rules" DROP CONSTRAINT "FK_e7fa49e349f3eb022f6f97e4418"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_flags" DROP CONSTRAINT "FK_0ca89b26faca1c972d40d11de5d"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_flags" DROP CONSTRAINT "FK_d95ab4742a3fe55e6c4e4c56385"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_cluster_members" DROP CONSTRAINT "FK_c78f7882a67bb43d1e4ea77dd90"
        `);
        await queryRunner.query(`
            ALTER TABLE "ticket_cluster_members" DROP CONSTRAINT "FK_abce1ed86f8b5642068278f0893"
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_daily_customers" DROP CONSTRAINT "FK_dda16bedf2039c60939992b72b9"
        `);
        await queryRunner.query(`
            ALTER TABLE "tag_daily_counts" DROP CONSTRAINT "FK_532f9dd85870ec0f4304842297e"
        `);
        await queryRunner.query(`
            ALTER TABLE "cluster_daily_counts" DROP CONSTRAINT "FK_53e8a0d77b168883cfc9ec1e2ff"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_tickets" DROP CONSTRAINT "FK_29fc864dc74875cceb22b3751db"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_tickets" DROP CONSTRAINT "FK_5a0ee8d2bdc62ed65b018a7c51e"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_comments" DROP CONSTRAINT "FK_731e363a4b382bd54adc51d17e9"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiative_comments" DROP CONSTRAINT "FK_543919908cc71d5698b4105fb46"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives" DROP CONSTRAINT "FK_33f4abed882be8d1483c286fe8d"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives" DROP CONSTRAINT "FK_ec7664b1de1f548d4f8a4836780"
        `);
        await queryRunner.query(`
            ALTER TABLE "care_initiatives" DROP CONSTRAINT "FK_bc6873f5d1b086803a7a20a3eca"
        `);
        await queryRunner.query(`
            DROP TABLE "tag_settings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ticket_tag_suggestions_rejected_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_tag_suggestions"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."tag_suggestion_state"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."tag_suggestion_source"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tag_models_trained_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "tag_models"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tag_keyword_rules_tag_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "tag_keyword_rules"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ticket_flags_created_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_flags"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ticket_cluster_members_cluster_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_cluster_members"
        `);
        await queryRunner.query(`
            DROP TABLE "tag_daily_customers"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tag_daily_counts_day_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "tag_daily_counts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."cluster_daily_counts_day_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "cluster_daily_counts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_initiative_tickets_ticket_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "care_initiative_tickets"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_initiative_comments_initiative_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "care_initiative_comments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."care_initiatives_board_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "care_initiatives"
        `);
        await queryRunner.query(`
            DROP TYPE "public"."initiative_status"
        `);
        await queryRunner.query(`
            DROP TABLE "ticket_clusters"
        `);
    }

}
