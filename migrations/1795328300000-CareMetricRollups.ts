import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care metric rollups (care-subscriber-fact.entity.ts): one row per subscriber and one per journey entrant,
 * recomputed for the customers a statement touches by triggers on subscription spells, tickets, ticket tags and
 * journey enrollments, in the writing transaction. The definitions of first cycle, 90-day churn, retention and
 * a journey's 90-day outcome live in care_facts_refresh, once.
 */
const ROLLUP_SQL = `
CREATE FUNCTION care_facts_refresh(p_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  -- Two transactions refreshing one customer take turns, so the later one reads what the earlier one committed
  -- (each statement below takes a new snapshot). Customers share 128 locks, taken in order: a bulk refresh holds
  -- at most 128 and two refreshes cannot deadlock on them.
  PERFORM pg_advisory_xact_lock(1795328300, bucket) FROM (SELECT DISTINCT abs(hashtext(id::text) % 128) AS bucket FROM unnest(p_ids) id ORDER BY 1) buckets;

  -- Joins against the ids (not "= ANY"): a bulk refresh of many customers stays a join, not a scan per id.
  DELETE FROM care_subscriber_facts f USING unnest(p_ids) AS i(id) WHERE f.customer_id = i.id;
  INSERT INTO care_subscriber_facts (customer_id, first_started_at, first_cycle_end, churned_90, retained_30, retained_90, retained_180, retained_365, first_cycle_tickets, first_cycle_tag_ids)
  SELECT f.customer_id, f.started_at, f.first_cycle_end,
         f.ended_at IS NOT NULL AND f.ended_at < f.started_at + interval '90 days',
         r.r30, r.r90, r.r180, r.r365, coalesce(x.tickets, 0), coalesce(x.tag_ids, '{}')
    FROM (
      SELECT DISTINCT ON (s.customer_id) s.customer_id, s.started_at, s.ended_at,
             LEAST(COALESCE(s.first_renewal_at, s.ended_at, s.started_at + interval '30 days'), s.started_at + interval '90 days') AS first_cycle_end
        FROM (SELECT DISTINCT unnest(p_ids) AS id) i JOIN customers c ON c.id = i.id JOIN subscription_spells s ON s.customer_id = i.id
       ORDER BY s.customer_id, s.started_at
    ) f
    CROSS JOIN LATERAL (
      SELECT bool_or(s.started_at <= f.started_at + interval '30 days' AND (s.ended_at IS NULL OR s.ended_at > f.started_at + interval '30 days')) AS r30,
             bool_or(s.started_at <= f.started_at + interval '90 days' AND (s.ended_at IS NULL OR s.ended_at > f.started_at + interval '90 days')) AS r90,
             bool_or(s.started_at <= f.started_at + interval '180 days' AND (s.ended_at IS NULL OR s.ended_at > f.started_at + interval '180 days')) AS r180,
             bool_or(s.started_at <= f.started_at + interval '365 days' AND (s.ended_at IS NULL OR s.ended_at > f.started_at + interval '365 days')) AS r365
        FROM subscription_spells s WHERE s.customer_id = f.customer_id
    ) r
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT t.id)::int AS tickets, array_agg(DISTINCT tt.tag_id) FILTER (WHERE tt.tag_id IS NOT NULL) AS tag_ids
        FROM tickets t LEFT JOIN ticket_tags tt ON tt.ticket_id = t.id
       WHERE t.customer_id = f.customer_id AND t.created_at >= f.started_at AND t.created_at < f.first_cycle_end
    ) x ON true;

  DELETE FROM care_journey_entrants e USING unnest(p_ids) AS i(id) WHERE e.customer_id = i.id;
  INSERT INTO care_journey_entrants (journey_id, customer_id, entered_at, held_out, churned_90, tickets_90)
  SELECT e.journey_id, e.customer_id, e.created_at, e.held_out,
         EXISTS (SELECT 1 FROM subscription_spells s WHERE s.customer_id = e.customer_id AND s.ended_at > e.created_at AND s.ended_at <= e.created_at + interval '90 days'),
         (SELECT count(*)::int FROM tickets t WHERE t.customer_id = e.customer_id AND t.created_at > e.created_at AND t.created_at <= e.created_at + interval '90 days')
    FROM (
      SELECT DISTINCT ON (je.journey_id, je.customer_id) je.journey_id, je.customer_id, je.created_at, je.held_out
        FROM (SELECT DISTINCT unnest(p_ids) AS id) i JOIN customers c ON c.id = i.id JOIN journey_enrollments je ON je.customer_id = i.id
       ORDER BY je.journey_id, je.customer_id, je.created_at
    ) e;
END
$fn$;

-- Spells: every customer whose spells changed.
CREATE FUNCTION care_facts_spells_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM care_facts_refresh(ARRAY(SELECT DISTINCT customer_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM care_facts_refresh(ARRAY(SELECT customer_id FROM new_rows UNION SELECT customer_id FROM old_rows));
  ELSE
    PERFORM care_facts_refresh(ARRAY(SELECT DISTINCT customer_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_facts_spells_inserted AFTER INSERT ON subscription_spells REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_spells_changed();
CREATE TRIGGER care_facts_spells_updated AFTER UPDATE ON subscription_spells REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_spells_changed();
CREATE TRIGGER care_facts_spells_deleted AFTER DELETE ON subscription_spells REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_spells_changed();

-- Tickets that arrive or leave: only customers for whom they fall in the first cycle or an entrant's 90 days.
CREATE FUNCTION care_facts_tickets_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM care_facts_refresh(ARRAY(
      SELECT n.customer_id FROM new_rows n JOIN care_subscriber_facts f ON f.customer_id = n.customer_id AND n.created_at >= f.first_started_at AND n.created_at < f.first_cycle_end
      UNION
      SELECT n.customer_id FROM new_rows n JOIN care_journey_entrants e ON e.customer_id = n.customer_id AND n.created_at > e.entered_at AND n.created_at <= e.entered_at + interval '90 days'));
  ELSE
    PERFORM care_facts_refresh(ARRAY(
      SELECT o.customer_id FROM old_rows o JOIN care_subscriber_facts f ON f.customer_id = o.customer_id AND o.created_at >= f.first_started_at AND o.created_at < f.first_cycle_end
      UNION
      SELECT o.customer_id FROM old_rows o JOIN care_journey_entrants e ON e.customer_id = o.customer_id AND o.created_at > e.entered_at AND o.created_at <= e.entered_at + interval '90 days'));
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_facts_tickets_inserted AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_tickets_changed();
CREATE TRIGGER care_facts_tickets_deleted AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_tickets_changed();
-- A ticket moved to another customer or another time (rare; per row, and only then).
CREATE FUNCTION care_facts_ticket_moved() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM care_facts_refresh(array_remove(ARRAY[OLD.customer_id, NEW.customer_id], NULL));
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_facts_ticket_moved AFTER UPDATE OF customer_id, created_at ON tickets FOR EACH ROW
  WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION care_facts_ticket_moved();

-- Tags on first-cycle tickets.
CREATE FUNCTION care_facts_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM care_facts_refresh(ARRAY(
      SELECT DISTINCT t.customer_id FROM (SELECT DISTINCT ticket_id FROM new_rows) n JOIN tickets t ON t.id = n.ticket_id
        JOIN care_subscriber_facts f ON f.customer_id = t.customer_id AND t.created_at >= f.first_started_at AND t.created_at < f.first_cycle_end));
  ELSE
    PERFORM care_facts_refresh(ARRAY(
      SELECT DISTINCT t.customer_id FROM (SELECT DISTINCT ticket_id FROM old_rows) o JOIN tickets t ON t.id = o.ticket_id
        JOIN care_subscriber_facts f ON f.customer_id = t.customer_id AND t.created_at >= f.first_started_at AND t.created_at < f.first_cycle_end));
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_facts_tags_inserted AFTER INSERT ON ticket_tags REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_tags_changed();
CREATE TRIGGER care_facts_tags_deleted AFTER DELETE ON ticket_tags REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_tags_changed();

-- New journey entrants.
CREATE FUNCTION care_facts_enrollments_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM care_facts_refresh(ARRAY(SELECT DISTINCT customer_id FROM new_rows));
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_facts_enrollments_inserted AFTER INSERT ON journey_enrollments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_facts_enrollments_inserted();

SELECT care_facts_refresh(ARRAY(SELECT DISTINCT customer_id FROM subscription_spells UNION SELECT DISTINCT customer_id FROM journey_enrollments));
`;

export class CareMetricRollups1795328300000 implements MigrationInterface {
  name = 'CareMetricRollups1795328300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "care_subscriber_facts" (
        "customer_id" uuid NOT NULL,
        "first_started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "first_cycle_end" TIMESTAMP WITH TIME ZONE NOT NULL,
        "churned_90" boolean NOT NULL,
        "retained_30" boolean NOT NULL,
        "retained_90" boolean NOT NULL,
        "retained_180" boolean NOT NULL,
        "retained_365" boolean NOT NULL,
        "first_cycle_tickets" integer NOT NULL,
        "first_cycle_tag_ids" uuid array NOT NULL,
        CONSTRAINT "PK_9af77e9874f90fb8a570d417f99" PRIMARY KEY ("customer_id")
      )`);
    await queryRunner.query(`CREATE INDEX "care_subscriber_facts_started_idx" ON "care_subscriber_facts" ("first_started_at")`);
    await queryRunner.query(`
      CREATE TABLE "care_journey_entrants" (
        "journey_id" uuid NOT NULL,
        "customer_id" uuid NOT NULL,
        "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "held_out" boolean NOT NULL,
        "churned_90" boolean NOT NULL,
        "tickets_90" integer NOT NULL,
        CONSTRAINT "PK_7a7e978845ff736c38ac106d9cd" PRIMARY KEY ("journey_id", "customer_id")
      )`);
    await queryRunner.query(`CREATE INDEX "care_journey_entrants_customer_idx" ON "care_journey_entrants" ("customer_id")`);
    await queryRunner.query(
      `ALTER TABLE "care_subscriber_facts" ADD CONSTRAINT "FK_9af77e9874f90fb8a570d417f99" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "care_journey_entrants" ADD CONSTRAINT "FK_ce84692a9c8f4ed17d271d0f99f" FOREIGN KEY ("journey_id") REFERENCES "journeys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "care_journey_entrants" ADD CONSTRAINT "FK_f12967417528a45918d2e74c749" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(ROLLUP_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER care_facts_enrollments_inserted ON journey_enrollments;
      DROP TRIGGER care_facts_tags_deleted ON ticket_tags;
      DROP TRIGGER care_facts_tags_inserted ON ticket_tags;
      DROP TRIGGER care_facts_ticket_moved ON tickets;
      DROP TRIGGER care_facts_tickets_deleted ON tickets;
      DROP TRIGGER care_facts_tickets_inserted ON tickets;
      DROP TRIGGER care_facts_spells_deleted ON subscription_spells;
      DROP TRIGGER care_facts_spells_updated ON subscription_spells;
      DROP TRIGGER care_facts_spells_inserted ON subscription_spells;
      DROP FUNCTION care_facts_enrollments_inserted();
      DROP FUNCTION care_facts_tags_changed();
      DROP FUNCTION care_facts_ticket_moved();
      DROP FUNCTION care_facts_tickets_changed();
      DROP FUNCTION care_facts_spells_changed();
      DROP FUNCTION care_facts_refresh(uuid[]);
      DROP TABLE "care_journey_entrants";
      DROP TABLE "care_subscriber_facts";
    `);
  }
}
