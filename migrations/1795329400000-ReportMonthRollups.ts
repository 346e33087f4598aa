import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-month rollups beside the per-day ones (migration ReportDayRollups): the same rows, summed over each month of
 * the workspace's time zone. A year's aggregate figures then read some twelve month rows and the days at its edges
 * per cell, instead of 365 day rows (report-day-rollup.repository.ts, periodRows).
 *
 * Kept from the day rows themselves by a statement trigger on report_day_rollups, whatever changed them (the
 * per-ticket rollups' triggers, a time-zone rebuild): each statement's new rows add, its old rows take away,
 * netted per bucket, in key order.
 */
export class ReportMonthRollups1795329400000 implements MigrationInterface {
  name = 'ReportMonthRollups1795329400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "report_month_rollups" (
        "metric" smallint NOT NULL,
        "slice" text NOT NULL,
        "agent" text NOT NULL,
        "month" date NOT NULL,
        "buckets" integer array NOT NULL,
        "ns" integer array NOT NULL,
        "totals" bigint array NOT NULL,
        CONSTRAINT "report_month_rollups_pkey" PRIMARY KEY ("metric", "slice", "agent", "month")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION report_month_rollup_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        rows_sql text;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          rows_sql := 'SELECT x.*, 1 AS sign FROM new_rows x';
        ELSIF TG_OP = 'UPDATE' THEN
          rows_sql := 'SELECT x.*, 1 AS sign FROM new_rows x UNION ALL SELECT x.*, -1 FROM old_rows x';
        ELSE
          rows_sql := 'SELECT x.*, -1 AS sign FROM old_rows x';
        END IF;
        EXECUTE format(
          'INSERT INTO report_month_rollups AS r (metric, slice, agent, month, buckets, ns, totals)
           SELECT metric, slice, agent, month, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket), array_agg(total ORDER BY bucket)
             FROM (SELECT d.metric, d.slice, d.agent, date_trunc(''month'', d.day)::date AS month, u.bucket, sum(d.sign * u.n)::int AS n, sum(d.sign * u.total) AS total
                     FROM (%s) d CROSS JOIN LATERAL unnest(d.buckets, d.ns, d.totals) AS u(bucket, n, total)
                    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.sign * u.n) <> 0 OR sum(d.sign * u.total) <> 0) b
            GROUP BY metric, slice, agent, month ORDER BY metric, slice, agent, month
           ON CONFLICT (metric, slice, agent, month) DO UPDATE SET (buckets, ns, totals) = (SELECT * FROM report_histogram_add(r.buckets, r.ns, r.totals, EXCLUDED.buckets, EXCLUDED.ns, EXCLUDED.totals))',
          rows_sql);
        RETURN NULL;
      END
      $fn$`);
    await queryRunner.query(
      `CREATE TRIGGER report_day_rollups_inserted AFTER INSERT ON report_day_rollups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_month_rollup_changed()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER report_day_rollups_updated AFTER UPDATE ON report_day_rollups REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_month_rollup_changed()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER report_day_rollups_deleted AFTER DELETE ON report_day_rollups REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_month_rollup_changed()`,
    );
    // The months of what the day rows hold now.
    await queryRunner.query(`
      INSERT INTO report_month_rollups (metric, slice, agent, month, buckets, ns, totals)
      SELECT metric, slice, agent, month, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket), array_agg(total ORDER BY bucket)
        FROM (SELECT r.metric, r.slice, r.agent, date_trunc('month', r.day)::date AS month, u.bucket, sum(u.n)::int AS n, sum(u.total) AS total
                FROM report_day_rollups r CROSS JOIN LATERAL unnest(r.buckets, r.ns, r.totals) AS u(bucket, n, total)
               GROUP BY 1, 2, 3, 4, 5 HAVING sum(u.n) <> 0 OR sum(u.total) <> 0) b
       GROUP BY 1, 2, 3, 4`);
    await queryRunner.query(`ANALYZE report_month_rollups`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['inserted', 'updated', 'deleted']) await queryRunner.query(`DROP TRIGGER report_day_rollups_${event} ON report_day_rollups`);
    await queryRunner.query(`DROP FUNCTION report_month_rollup_changed()`);
    await queryRunner.query(`DROP TABLE "report_month_rollups"`);
  }
}
