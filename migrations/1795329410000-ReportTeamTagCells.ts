import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report rollup cells for a team and a tag together ('team:<id>/tag:<id>'): a lead asking about one team's tickets
 * with one tag read every ticket row of the period (about a second for a year at a million tickets); now it is a
 * rollup cell like a team or a tag alone. Agents are kept in these slices as in the tags' (per_agent 2). The
 * rollups are cut anew.
 */
const CELLS_WITH_TEAM_TAGS = `
CREATE OR REPLACE FUNCTION report_cells(p_team uuid, p_tags uuid[], p_agent uuid, per_agent integer) RETURNS TABLE (slice text, agent text) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT s.slice, a.agent
    FROM unnest(ARRAY['*', 'team:' || COALESCE(p_team::text, '')] || ARRAY(SELECT 'tag:' || t FROM unnest(p_tags) t)
                || ARRAY(SELECT 'team:' || COALESCE(p_team::text, '') || '/tag:' || t FROM unnest(p_tags) t)) s(slice)
    CROSS JOIN (VALUES ('*'), (COALESCE(p_agent::text, ''))) a(agent)
   WHERE a.agent = '*' OR per_agent = 2 OR (per_agent = 1 AND s.slice NOT LIKE '%tag:%')
$fn$`;

const CELLS_WITHOUT = `
CREATE OR REPLACE FUNCTION report_cells(p_team uuid, p_tags uuid[], p_agent uuid, per_agent integer) RETURNS TABLE (slice text, agent text) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT s.slice, a.agent
    FROM unnest(ARRAY['*', 'team:' || COALESCE(p_team::text, '')] || ARRAY(SELECT 'tag:' || t FROM unnest(p_tags) t)) s(slice)
    CROSS JOIN (VALUES ('*'), (COALESCE(p_agent::text, ''))) a(agent)
   WHERE a.agent = '*' OR per_agent = 2 OR (per_agent = 1 AND s.slice NOT LIKE 'tag:%')
$fn$`;

export class ReportTeamTagCells1795329410000 implements MigrationInterface {
  name = 'ReportTeamTagCells1795329410000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CELLS_WITH_TEAM_TAGS);
    await queryRunner.query(`SELECT report_rollup_rebuild()`);
    await queryRunner.query(`ANALYZE report_day_rollups`);
    await queryRunner.query(`ANALYZE report_month_rollups`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CELLS_WITHOUT);
    await queryRunner.query(`SELECT report_rollup_rebuild()`);
  }
}
