import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-day rollups of the report figures (report-day-rollup.repository.ts names the metrics): for each day in the
 * workspace's time zone, each cell (everyone, a team or a tag; each for everyone and per agent) and each metric, one row with
 * a count and a sum per bucket (three parallel arrays, buckets ascending). Durations fall in fixed buckets
 * (report_duration_bucket), so a period's median and 90th percentile come from one row a day instead of every
 * reply of the period.
 *
 * Kept set-wise by statement triggers on the per-ticket rollups the reports listener writes (report_ticket_facts,
 * report_replies, report_status_changes), in the listener's batch transaction: each statement adds what its new
 * rows contribute and takes away what its old rows did. Changing the workspace's time zone recuts every day
 * (report_rollup_rebuild), which is also how the rows are first filled from existing data.
 */
const ROLLUP_SQL = `
-- A duration's bucket, named by its lower edge in seconds: to the minute under an hour, 5 minutes under 4 hours,
-- 30 minutes under a day, 2 hours under a week, 12 hours under 30 days, then whole days. The edges include the
-- Response times page's bars (1, 4, 8, 24 and 72 hours).
CREATE FUNCTION report_duration_bucket(seconds integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE
    WHEN seconds < 3600 THEN seconds / 60 * 60
    WHEN seconds < 14400 THEN seconds / 300 * 300
    WHEN seconds < 86400 THEN seconds / 1800 * 1800
    WHEN seconds < 604800 THEN seconds / 7200 * 7200
    WHEN seconds < 2592000 THEN seconds / 43200 * 43200
    ELSE seconds / 86400 * 86400
  END
$fn$;

CREATE FUNCTION report_rollup_zone() RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT COALESCE((SELECT time_zone FROM report_settings WHERE id = 1), 'UTC')
$fn$;

-- The cells a row counts in: slices everyone ('*'), its team ('team:<id>', 'team:' without one) and each of its
-- tags ('tag:<id>'); each for everyone ('*') and, by \`per_agent\`, for its agent too (1: in everyone's and the
-- team's slices; 2: in the tags' slices as well; '' when nobody).
CREATE FUNCTION report_cells(p_team uuid, p_tags uuid[], p_agent uuid, per_agent integer) RETURNS TABLE (slice text, agent text) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT s.slice, a.agent
    FROM unnest(ARRAY['*', 'team:' || COALESCE(p_team::text, '')] || ARRAY(SELECT 'tag:' || t FROM unnest(p_tags) t)) s(slice)
    CROSS JOIN (VALUES ('*'), (COALESCE(p_agent::text, ''))) a(agent)
   WHERE a.agent = '*' OR per_agent = 2 OR (per_agent = 1 AND s.slice NOT LIKE 'tag:%')
$fn$;

-- What one ticket's row contributes. Metrics (Metric in report-day-rollup.repository.ts): 1 created (bucket: hour
-- of day), 13 unsolved now (by day created), 4 solved (bucket: one-touch), 5 full resolution, 6 replies to
-- resolve, 7 first resolution. The agent is the assignee.
CREATE FUNCTION report_fact_cells(f report_ticket_facts, zone text)
  RETURNS TABLE (metric smallint, slice text, agent text, day date, bucket integer, value bigint) LANGUAGE sql STABLE AS $fn$
  SELECT m.metric, c.slice, c.agent, m.day, m.bucket, m.value
    FROM (VALUES
      (1::smallint, (f.created_at AT TIME ZONE zone)::date, extract(hour FROM f.created_at AT TIME ZONE zone)::int, 0::bigint, true, 1),
      (13::smallint, (f.created_at AT TIME ZONE zone)::date, 0, 0::bigint, f.status NOT IN ('solved', 'closed'), 1),
      (4::smallint, (f.last_solved_at AT TIME ZONE zone)::date, COALESCE(f.one_touch, false)::int, 0::bigint, f.last_solved_at IS NOT NULL AND NOT f.merged, 2),
      (5::smallint, (f.last_solved_at AT TIME ZONE zone)::date, report_duration_bucket(f.full_resolution_seconds), f.full_resolution_seconds::bigint,
        f.last_solved_at IS NOT NULL AND NOT f.merged AND f.full_resolution_seconds IS NOT NULL, 0),
      (6::smallint, (f.last_solved_at AT TIME ZONE zone)::date, f.public_replies, f.public_replies::bigint, f.last_solved_at IS NOT NULL AND NOT f.merged, 0),
      (7::smallint, (f.first_solved_at AT TIME ZONE zone)::date, report_duration_bucket(f.first_resolution_seconds), f.first_resolution_seconds::bigint,
        f.first_solved_at IS NOT NULL AND NOT f.merged AND f.first_resolution_seconds IS NOT NULL, 0)
    ) m(metric, day, bucket, value, included, per_agent)
    CROSS JOIN LATERAL report_cells(f.team_id, f.tag_ids, f.assignee_id, m.per_agent) c
   WHERE m.included
  UNION ALL
  -- The ticket's CSAT answers (14; bucket 1 when good) and surveys sent (15), in its cells; everyone's are the
  -- answers' and surveys' own (report_answer_cells, report_survey_cells).
  SELECT 14::smallint, c.slice, c.agent, (r.created_at AT TIME ZONE zone)::date, (r.score >= 4)::int, 0::bigint
    FROM satisfaction_responses r CROSS JOIN LATERAL report_cells(f.team_id, f.tag_ids, f.assignee_id, 2) c
   WHERE r.ticket_id = f.ticket_id AND r.kind = 'csat' AND r.voided_at IS NULL AND (c.slice, c.agent) <> ('*', '*')
  UNION ALL
  SELECT 15::smallint, c.slice, c.agent, (s.sent_at AT TIME ZONE zone)::date, 0, 0::bigint
    FROM surveys s CROSS JOIN LATERAL report_cells(f.team_id, f.tag_ids, f.assignee_id, 2) c
   WHERE s.ticket_id = f.ticket_id AND s.kind = 'csat' AND s.state = 'sent' AND s.sent_at IS NOT NULL AND (c.slice, c.agent) <> ('*', '*')
$fn$;

-- A CSAT answer (14), not voided: in everyone's cell, and in its ticket's cells while the ticket has its row
-- (a change of the ticket's cells moves its answers: report_fact_cells).
CREATE FUNCTION report_answer_cells(r satisfaction_responses, zone text)
  RETURNS TABLE (metric smallint, slice text, agent text, day date, bucket integer, value bigint) LANGUAGE sql STABLE AS $fn$
  SELECT 14::smallint, c.slice, c.agent, (r.created_at AT TIME ZONE zone)::date, (r.score >= 4)::int, 0::bigint
    FROM (SELECT '*' AS slice, '*' AS agent
          UNION ALL
          SELECT c.slice, c.agent FROM report_ticket_facts f CROSS JOIN LATERAL report_cells(f.team_id, f.tag_ids, f.assignee_id, 2) c
           WHERE f.ticket_id = r.ticket_id AND (c.slice, c.agent) <> ('*', '*')) c
   WHERE r.kind = 'csat' AND r.voided_at IS NULL
$fn$;

-- A CSAT survey sent (15), the same way.
CREATE FUNCTION report_survey_cells(s surveys, zone text)
  RETURNS TABLE (metric smallint, slice text, agent text, day date, bucket integer, value bigint) LANGUAGE sql STABLE AS $fn$
  SELECT 15::smallint, c.slice, c.agent, (s.sent_at AT TIME ZONE zone)::date, 0, 0::bigint
    FROM (SELECT '*' AS slice, '*' AS agent
          UNION ALL
          SELECT c.slice, c.agent FROM report_ticket_facts f CROSS JOIN LATERAL report_cells(f.team_id, f.tag_ids, f.assignee_id, 2) c
           WHERE f.ticket_id = s.ticket_id AND (c.slice, c.agent) <> ('*', '*')) c
   WHERE s.kind = 'csat' AND s.state = 'sent' AND s.sent_at IS NOT NULL
$fn$;

-- A reply: 12 replies sent, 8 / 9 first reply (calendar / business hours), 10 / 11 next reply. The agent is the author.
CREATE FUNCTION report_reply_cells(r report_replies, zone text)
  RETURNS TABLE (metric smallint, slice text, agent text, day date, bucket integer, value bigint) LANGUAGE sql STABLE AS $fn$
  SELECT m.metric, c.slice, c.agent, (r.replied_at AT TIME ZONE zone)::date, m.bucket, m.value
    FROM (VALUES
      (12::smallint, 0, 0::bigint, true, 2),
      (8::smallint, report_duration_bucket(r.wait_seconds), r.wait_seconds::bigint, r.first AND r.wait_seconds IS NOT NULL, 2),
      (9::smallint, report_duration_bucket(r.wait_business_seconds), r.wait_business_seconds::bigint, r.first AND r.wait_seconds IS NOT NULL AND r.wait_business_seconds IS NOT NULL, 0),
      (10::smallint, report_duration_bucket(r.wait_seconds), r.wait_seconds::bigint, NOT r.first AND r.wait_seconds IS NOT NULL, 0),
      (11::smallint, report_duration_bucket(r.wait_business_seconds), r.wait_business_seconds::bigint, NOT r.first AND r.wait_seconds IS NOT NULL AND r.wait_business_seconds IS NOT NULL, 0)
    ) m(metric, bucket, value, included, per_agent)
    CROSS JOIN LATERAL report_cells(r.team_id, r.tag_ids, r.agent_id, m.per_agent) c
   WHERE m.included
$fn$;

-- A solve (2; bucket 1 when the ticket was closed by a merge) or a reopen (3). The agent is the ticket's assignee.
CREATE FUNCTION report_change_cells(s report_status_changes, zone text)
  RETURNS TABLE (metric smallint, slice text, agent text, day date, bucket integer, value bigint) LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN s.kind = 'solved' THEN 2 ELSE 3 END::smallint, c.slice, c.agent, (s.at AT TIME ZONE zone)::date, CASE WHEN s.kind = 'solved' AND s.merged THEN 1 ELSE 0 END, 0::bigint
    FROM report_cells(s.team_id, s.tag_ids, s.assignee_id, 1) c
$fn$;

-- Two histograms added bucket by bucket (buckets sorted; a bucket that comes to nothing is dropped).
CREATE FUNCTION report_histogram_add(b1 integer[], n1 integer[], t1 bigint[], b2 integer[], n2 integer[], t2 bigint[], OUT buckets integer[], OUT ns integer[], OUT totals bigint[])
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT COALESCE(array_agg(b ORDER BY b), '{}'), COALESCE(array_agg(n ORDER BY b), '{}'), COALESCE(array_agg(t ORDER BY b), '{}')
    FROM (SELECT b, sum(n)::int AS n, sum(t)::bigint AS t FROM (SELECT * FROM unnest(b1, n1, t1) UNION ALL SELECT * FROM unnest(b2, n2, t2)) u(b, n, t)
           GROUP BY b HAVING sum(n) <> 0 OR sum(t) <> 0) s
$fn$;

-- percentile_cont(fraction) over one histogram's waits, each bucket's at their mean (as statsSql in
-- report-day-rollup.repository.ts computes it over many rows): for a day's series, one row a day.
CREATE FUNCTION report_histogram_percentile(ns integer[], totals bigint[], fraction float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  total_count bigint := 0;
  seen bigint := 0;
  pos float8;
  lo_value float8;
  hi_value float8;
BEGIN
  FOR i IN 1 .. COALESCE(array_length(ns, 1), 0) LOOP total_count := total_count + ns[i]; END LOOP;
  IF total_count <= 0 THEN RETURN NULL; END IF;
  pos := fraction * (total_count - 1);
  FOR i IN 1 .. array_length(ns, 1) LOOP
    IF ns[i] > 0 THEN
      IF lo_value IS NULL AND floor(pos) < seen + ns[i] THEN lo_value := totals[i]::float8 / ns[i]; END IF;
      IF ceil(pos) < seen + ns[i] THEN hi_value := totals[i]::float8 / ns[i]; EXIT; END IF;
      seen := seen + ns[i];
    END IF;
  END LOOP;
  RETURN lo_value + (pos - floor(pos)) * (hi_value - lo_value);
END
$fn$;

-- One trigger function for the three tables; its argument names the table's cells function. The new rows add,
-- the old rows take away, netted per bucket first (a re-save of unchanged figures writes nothing), in key order
-- (two batches lock shared rows in the same order: no deadlock).
CREATE FUNCTION report_rollup_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  zone text := report_rollup_zone();
  rows_sql text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    rows_sql := format('SELECT c.*, 1 AS sign FROM new_rows x, %I(x, $1) c', TG_ARGV[0]);
  ELSIF TG_OP = 'UPDATE' THEN
    rows_sql := format('SELECT c.*, 1 AS sign FROM new_rows x, %1$I(x, $1) c UNION ALL SELECT c.*, -1 FROM old_rows x, %1$I(x, $1) c', TG_ARGV[0]);
  ELSE
    rows_sql := format('SELECT c.*, -1 AS sign FROM old_rows x, %I(x, $1) c', TG_ARGV[0]);
  END IF;
  EXECUTE format(
    'INSERT INTO report_day_rollups AS r (metric, slice, agent, day, buckets, ns, totals)
     SELECT metric, slice, agent, day, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket), array_agg(total ORDER BY bucket)
       FROM (SELECT metric, slice, agent, day, bucket, sum(sign)::int AS n, sum(sign * value) AS total FROM (%s) d
              GROUP BY metric, slice, agent, day, bucket HAVING sum(sign) <> 0 OR sum(sign * value) <> 0) b
      GROUP BY metric, slice, agent, day ORDER BY metric, slice, agent, day
     ON CONFLICT (metric, slice, agent, day) DO UPDATE SET (buckets, ns, totals) = (SELECT * FROM report_histogram_add(r.buckets, r.ns, r.totals, EXCLUDED.buckets, EXCLUDED.ns, EXCLUDED.totals))',
    rows_sql) USING zone;
  RETURN NULL;
END
$fn$;

-- Every row anew from the per-ticket rollups (first fill; a new time zone cuts the days anew).
CREATE FUNCTION report_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  zone text := report_rollup_zone();
  source record;
BEGIN
  DELETE FROM report_day_rollups;
  -- Answers and surveys count here in everyone's cell only: their tickets' rows count them in the other cells.
  FOR source IN SELECT * FROM (VALUES ('report_ticket_facts', 'report_fact_cells', 'true'), ('report_replies', 'report_reply_cells', 'true'),
      ('report_status_changes', 'report_change_cells', 'true'), ('satisfaction_responses', 'report_answer_cells', 'c.slice = ''*'' AND c.agent = ''*'''),
      ('surveys', 'report_survey_cells', 'c.slice = ''*'' AND c.agent = ''*''')) s(tbl, cells, cond) LOOP
    EXECUTE format(
      'INSERT INTO report_day_rollups (metric, slice, agent, day, buckets, ns, totals)
       SELECT metric, slice, agent, day, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket), array_agg(total ORDER BY bucket)
         FROM (SELECT c.metric, c.slice, c.agent, c.day, c.bucket, count(*)::int AS n, sum(c.value) AS total FROM %I x, %I(x, $1) c WHERE %s GROUP BY 1, 2, 3, 4, 5) b
        GROUP BY 1, 2, 3, 4', source.tbl, source.cells, source.cond) USING zone;
  END LOOP;
END
$fn$;

CREATE FUNCTION report_rollup_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM report_rollup_rebuild();
  RETURN NULL;
END
$fn$;
CREATE TRIGGER report_rollup_zone_inserted AFTER INSERT ON report_settings FOR EACH ROW WHEN (NEW.time_zone <> 'UTC') EXECUTE FUNCTION report_rollup_zone_changed();
CREATE TRIGGER report_rollup_zone_updated AFTER UPDATE OF time_zone ON report_settings FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION report_rollup_zone_changed();
`;

const SOURCES: [table: string, cells: string][] = [
  ['report_ticket_facts', 'report_fact_cells'],
  ['report_replies', 'report_reply_cells'],
  ['report_status_changes', 'report_change_cells'],
  ['satisfaction_responses', 'report_answer_cells'],
  ['surveys', 'report_survey_cells'],
];

export class ReportDayRollups1795329100000 implements MigrationInterface {
  name = 'ReportDayRollups1795329100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "report_day_rollups" (
        "metric" smallint NOT NULL,
        "slice" text NOT NULL,
        "agent" text NOT NULL,
        "day" date NOT NULL,
        "buckets" integer array NOT NULL,
        "ns" integer array NOT NULL,
        "totals" bigint array NOT NULL,
        CONSTRAINT "report_day_rollups_pkey" PRIMARY KEY ("metric", "slice", "agent", "day")
      )`);
    // A ticket's CSAT answers and sent surveys, read with its row.
    await queryRunner.query(`CREATE INDEX "satisfaction_responses_ticket_csat_idx" ON "satisfaction_responses" ("ticket_id") WHERE kind = 'csat' AND voided_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "surveys_ticket_sent_idx" ON "surveys" ("ticket_id") WHERE kind = 'csat' AND state = 'sent'`);
    await queryRunner.query(ROLLUP_SQL);
    for (const [table, cells] of SOURCES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_rollup_inserted AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_changed('${cells}')`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_rollup_updated AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_changed('${cells}')`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_rollup_deleted AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_changed('${cells}')`,
      );
    }
    await queryRunner.query(`SELECT report_rollup_rebuild()`);
    await queryRunner.query(`ANALYZE report_day_rollups`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of SOURCES) {
      for (const event of ['inserted', 'updated', 'deleted']) await queryRunner.query(`DROP TRIGGER ${table}_rollup_${event} ON ${table}`);
    }
    await queryRunner.query(`DROP TRIGGER report_rollup_zone_updated ON report_settings`);
    await queryRunner.query(`DROP TRIGGER report_rollup_zone_inserted ON report_settings`);
    await queryRunner.query(`DROP FUNCTION report_rollup_zone_changed(), report_rollup_rebuild(), report_rollup_changed()`);
    await queryRunner.query(`DROP FUNCTION report_histogram_add(integer[], integer[], bigint[], integer[], integer[], bigint[])`);
    await queryRunner.query(`DROP FUNCTION report_histogram_percentile(integer[], bigint[], float8)`);
    await queryRunner.query(`DROP FUNCTION report_change_cells(report_status_changes, text), report_reply_cells(report_replies, text), report_fact_cells(report_ticket_facts, text)`);
    await queryRunner.query(`DROP FUNCTION report_cells(uuid, uuid[], uuid, integer)`);
    await queryRunner.query(`DROP FUNCTION report_rollup_zone(), report_duration_bucket(integer)`);
    await queryRunner.query(`DROP FUNCTION report_survey_cells(surveys, text), report_answer_cells(satisfaction_responses, text)`);
    await queryRunner.query(`DROP TABLE "report_day_rollups"`);
    await queryRunner.query(`DROP INDEX "surveys_ticket_sent_idx"`);
    await queryRunner.query(`DROP INDEX "satisfaction_responses_ticket_csat_idx"`);
  }
}
