import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spells started and ended per calendar month (care-subscriber-fact.entity.ts, CareSpellMonth), kept by
 * statement triggers on subscription_spells that add the new rows and take away the old ones.
 */
const ROLLUP_SQL = `
CREATE FUNCTION care_spell_months_add(p_rows jsonb, p_sign integer) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO care_spell_months AS m (month, started, ended, voluntary, involuntary)
  SELECT month, sum(started)::int, sum(ended)::int, sum(voluntary)::int, sum(involuntary)::int FROM (
    SELECT date_trunc('month', (r->>'started_at')::timestamptz, 'UTC') AS month, p_sign AS started, 0 AS ended, 0 AS voluntary, 0 AS involuntary
      FROM jsonb_array_elements(p_rows) r
    UNION ALL
    SELECT date_trunc('month', (r->>'ended_at')::timestamptz, 'UTC'), 0, p_sign,
           CASE WHEN r->>'cancellation_kind' = 'voluntary' THEN p_sign ELSE 0 END, CASE WHEN r->>'cancellation_kind' = 'involuntary' THEN p_sign ELSE 0 END
      FROM jsonb_array_elements(p_rows) r WHERE r->>'ended_at' IS NOT NULL
  ) d GROUP BY month ORDER BY month
  ON CONFLICT (month) DO UPDATE SET started = m.started + EXCLUDED.started, ended = m.ended + EXCLUDED.ended,
    voluntary = m.voluntary + EXCLUDED.voluntary, involuntary = m.involuntary + EXCLUDED.involuntary
$fn$;

CREATE FUNCTION care_spell_months_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM care_spell_months_add((SELECT coalesce(jsonb_agg(to_jsonb(o)), '[]') FROM old_rows o), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM care_spell_months_add((SELECT coalesce(jsonb_agg(to_jsonb(n)), '[]') FROM new_rows n), 1);
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER care_spell_months_inserted AFTER INSERT ON subscription_spells REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_spell_months_changed();
CREATE TRIGGER care_spell_months_updated AFTER UPDATE ON subscription_spells REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_spell_months_changed();
CREATE TRIGGER care_spell_months_deleted AFTER DELETE ON subscription_spells REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_spell_months_changed();

SELECT care_spell_months_add((SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]') FROM subscription_spells s), 1);
`;

export class CareSpellMonths1795328310000 implements MigrationInterface {
  name = 'CareSpellMonths1795328310000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "care_spell_months" (
        "month" TIMESTAMP WITH TIME ZONE NOT NULL,
        "started" integer NOT NULL,
        "ended" integer NOT NULL,
        "voluntary" integer NOT NULL,
        "involuntary" integer NOT NULL,
        CONSTRAINT "PK_73c6aec5e6111d22f79c830fabe" PRIMARY KEY ("month")
      )`);
    await queryRunner.query(ROLLUP_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER care_spell_months_deleted ON subscription_spells;
      DROP TRIGGER care_spell_months_updated ON subscription_spells;
      DROP TRIGGER care_spell_months_inserted ON subscription_spells;
      DROP FUNCTION care_spell_months_changed();
      DROP FUNCTION care_spell_months_add(jsonb, integer);
      DROP TABLE "care_spell_months";
    `);
  }
}
