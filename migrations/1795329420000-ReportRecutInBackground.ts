import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new workspace time zone recuts the report rollups in a background job instead of inside the settings request
 * (minutes at a million tickets). report_rollup_state records the zone the rollups are cut in: the triggers
 * keep cutting new figures in it until the job has rebuilt every row in the new one and recorded that, in one
 * transaction (readers see the old rows until then). The settings row is not held meanwhile.
 */
export class ReportRecutInBackground1795329420000 implements MigrationInterface {
  name = 'ReportRecutInBackground1795329420000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE report_rollup_state (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), time_zone text NOT NULL)`);
    await queryRunner.query(`INSERT INTO report_rollup_state (time_zone) SELECT COALESCE((SELECT time_zone FROM report_settings WHERE id = 1), 'UTC')`);
    await queryRunner.query(`DROP TRIGGER report_rollup_zone_inserted ON report_settings`);
    await queryRunner.query(`DROP TRIGGER report_rollup_zone_updated ON report_settings`);
    await queryRunner.query(`DROP FUNCTION report_rollup_zone_changed()`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_rollup_zone() RETURNS text LANGUAGE sql STABLE AS $fn$ SELECT COALESCE((SELECT time_zone FROM report_rollup_state WHERE id = 1), 'UTC') $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_rollup_zone() RETURNS text LANGUAGE sql STABLE AS $fn$ SELECT COALESCE((SELECT time_zone FROM report_settings WHERE id = 1), 'UTC') $fn$`);
    await queryRunner.query(`CREATE FUNCTION report_rollup_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN PERFORM report_rollup_rebuild(); RETURN NULL; END $fn$`);
    await queryRunner.query(
      `CREATE TRIGGER report_rollup_zone_inserted AFTER INSERT ON report_settings FOR EACH ROW WHEN (NEW.time_zone <> 'UTC') EXECUTE FUNCTION report_rollup_zone_changed()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER report_rollup_zone_updated AFTER UPDATE OF time_zone ON report_settings FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION report_rollup_zone_changed()`,
    );
    await queryRunner.query(`SELECT report_rollup_rebuild()`);
    await queryRunner.query(`DROP TABLE report_rollup_state`);
  }
}
