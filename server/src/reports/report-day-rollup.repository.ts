import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Params, type AgentRow, type ReportFilters, type ReportRange, type StatRow } from './reports.repository';

/**
 * The metrics of `report_day_rollups` (migration ReportDayRollups keeps them from the per-ticket rollups; the
 * definitions are report-metrics.ts's). Counts are bucket 0 unless said; durations are bucketed by
 * report_duration_bucket and keep each bucket's count and sum.
 */
enum Metric {
  /** Bucket: the hour of day it was created. */
  Created = 1,
  /** Solves; bucket 1 when the ticket was closed by a merge. */
  Closed = 2,
  Reopened = 3,
  /** By the last solve, merged tickets left out; bucket 1 when one-touch. */
  Solved = 4,
  FullResolution = 5,
  /** Bucket: the number of public replies. */
  RepliesToResolve = 6,
  FirstResolution = 7,
  FirstReply = 8,
  FirstReplyBusiness = 9,
  NextReply = 10,
  NextReplyBusiness = 11,
  Replies = 12,
  /** Unsolved now, by the day they were created. */
  Unsolved = 13,
  /** CSAT answers not voided, by the day answered; bucket 1 when good. */
  CsatAnswers = 14,
  /** CSAT surveys sent. */
  SurveysSent = 15,
}

/** The rollup rows with one row per bucket: `metric`, `slice`, `agent`, `day`, `bucket`, `n` (count) and `total` (sum). */
const ROLLUP_BUCKETS = 'report_day_rollups r CROSS JOIN LATERAL unnest(r.buckets, r.ns, r.totals) AS u(bucket, n, total)';

/**
 * How far each metric is kept per agent (report_cells in the migrations): in everyone's and the team slices (1),
 * in the tag and team-and-tag slices too (2: the Agents page's figures); the other durations for everyone only (0).
 */
const PER_AGENT: Record<Metric, 0 | 1 | 2> = {
  [Metric.Created]: 1,
  [Metric.Closed]: 1,
  [Metric.Reopened]: 1,
  [Metric.Unsolved]: 1,
  [Metric.Solved]: 2,
  [Metric.Replies]: 2,
  [Metric.FirstReply]: 2,
  [Metric.CsatAnswers]: 2,
  [Metric.SurveysSent]: 2,
  [Metric.FullResolution]: 0,
  [Metric.RepliesToResolve]: 0,
  [Metric.FirstResolution]: 0,
  [Metric.FirstReplyBusiness]: 0,
  [Metric.NextReply]: 0,
  [Metric.NextReplyBusiness]: 0,
};

/** A rollup cell: a slice (everyone '*', 'team:<id>', 'tag:<id>' or 'team:<id>/tag:<id>') and an agent or everyone ('*'). */
interface Cell {
  slice: string;
  agent: string;
}

/**
 * The cell answering `filters` for `metrics`, or null when the filters have none (mailbox, priority, plan,
 * cycle, or an agent on a metric not kept per agent in that slice): those figures are read from the per-ticket rows.
 */
function cellFor(filters: ReportFilters, metrics: Metric[]): Cell | null {
  const { teamId, tagId, agentId, ...others } = filters;
  if (Object.values(others).some((value) => value !== undefined)) return null;
  if (agentId && metrics.some((metric) => PER_AGENT[metric] < (tagId ? 2 : 1))) return null;
  const slice = teamId && tagId ? `team:${teamId}/tag:${tagId}` : tagId ? `tag:${tagId}` : teamId ? `team:${teamId}` : '*';
  return { slice, agent: agentId ?? '*' };
}

/** The period's days in the rollups' zone (the workspace's): from its first day to the day after its last. */
function days(p: Params, range: ReportRange): { start: string; end: string } {
  const zone = p.add(range.timeZone);
  return { start: `(${p.add(range.start)}::timestamptz AT TIME ZONE ${zone})::date`, end: `(${p.add(range.end)}::timestamptz AT TIME ZONE ${zone})::date` };
}

const cellSql = (p: Params, cell: Cell) => `slice = ${p.add(cell.slice)} AND agent = ${p.add(cell.agent)}`;

/**
 * A period's rollup rows matching `where`, one row per bucket (`metric`, `slice`, `agent`, `bucket`, `n`, `total`):
 * its whole months from report_month_rollups, the days before the first whole month and after the last from
 * report_day_rollups. A year is about twelve month rows and the edge days per cell instead of 365 day rows.
 */
function periodRows(p: Params, range: ReportRange, where: string): string {
  const { start, end } = days(p, range);
  // The first month that starts inside the period, and the month the period's end falls in (none whole when after it).
  const firstMonth = `(date_trunc('month', ${start} - 1) + interval '1 month')::date`;
  const endMonth = `date_trunc('month', ${end})::date`;
  const unnested = (table: string) => `SELECT metric, slice, agent, bucket, n, total FROM ${table} r CROSS JOIN LATERAL unnest(r.buckets, r.ns, r.totals) AS u(bucket, n, total)`;
  return `(${unnested('report_day_rollups')} WHERE ${where} AND day >= ${start} AND day < ${end} AND (day < ${firstMonth} OR day >= ${endMonth})
           UNION ALL ${unnested('report_month_rollups')} WHERE ${where} AND month >= ${firstMonth} AND month < ${endMonth})`;
}

/**
 * Count, median and 90th percentile per `group` of a duration metric's buckets, `percentile_cont` as over the
 * rows with each bucket's values at their mean: exact when a bucket holds one value, otherwise off by less than
 * the bucket's width (README "Service reports").
 */
function statsSql(buckets: string, group: string): string {
  const at = (fraction: number, round: 'floor' | 'ceil') => `min(v) FILTER (WHERE ${round}(${fraction} * (count - 1)) >= before AND ${round}(${fraction} * (count - 1)) < before + n)`;
  const percentile = (fraction: number) => `${at(fraction, 'floor')} + (${fraction} * (max(count) - 1) - floor(${fraction} * (max(count) - 1))) * (${at(fraction, 'ceil')} - ${at(fraction, 'floor')})`;
  return `SELECT g AS ${group}, max(count)::int AS count, ${percentile(0.5)} AS median, ${percentile(0.9)} AS p90
    FROM (SELECT g, n, total::float8 / n AS v, sum(n) OVER (PARTITION BY g ORDER BY bucket) - n AS before, sum(n) OVER (PARTITION BY g) AS count FROM (${buckets}) b) c
   GROUP BY g`;
}

/**
 * The report figures read from the per-day rollups: a few hundred rows per day whatever the number of tickets.
 * Each method answers null when its filters have no rollup cell; the caller then reads the per-ticket rows
 * (ReportsRepository), which give the same figures.
 */
@Injectable()
export class ReportDayRollupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A duration metric's buckets in the period, summed over its months and days. */
  private buckets(p: Params, range: ReportRange, metric: Metric, cell: Cell): string {
    return `SELECT 0 AS g, bucket, sum(n) AS n, sum(total) AS total FROM ${periodRows(p, range, `metric = ${metric} AND ${cellSql(p, cell)}`)} b GROUP BY 1, 2 HAVING sum(n) > 0`;
  }

  private async stats(range: ReportRange, metric: Metric, cell: Cell): Promise<StatRow> {
    const p = new Params();
    const [row] = await this.dataSource.query<StatRow[]>(statsSql(this.buckets(p, range, metric, cell), 'g'), p.values);
    return row ? { median: row.median, p90: row.p90, count: row.count } : { median: null, p90: null, count: 0 };
  }

  async volume(range: ReportRange, filters: ReportFilters): Promise<{ day: string; created: number; solved: number; reopened: number; backlog: number }[] | null> {
    const cell = cellFor(filters, [Metric.Created, Metric.Closed, Metric.Reopened, Metric.Unsolved]);
    if (!cell) return null;
    const p = new Params();
    const { start, end } = days(p, range);
    return this.dataSource.query(
      `WITH r AS (
         SELECT metric, day, bucket, n FROM ${ROLLUP_BUCKETS}
          WHERE metric IN (${Metric.Created}, ${Metric.Closed}, ${Metric.Reopened}, ${Metric.Unsolved}) AND ${cellSql(p, cell)} AND (metric = ${Metric.Unsolved} OR day >= ${start})
       ), per_day AS (
         SELECT day, sum(n) FILTER (WHERE metric = ${Metric.Created}) AS created, sum(n) FILTER (WHERE metric = ${Metric.Closed}) AS closed,
                sum(n) FILTER (WHERE metric = ${Metric.Closed} AND bucket = 1) AS merged, sum(n) FILTER (WHERE metric = ${Metric.Reopened}) AS reopened
           FROM r WHERE metric <> ${Metric.Unsolved} AND day < ${end} GROUP BY day
       ), base AS (
         -- Unsolved at the start = unsolved now, less what was created since, plus what was closed since, less what was reopened since.
         SELECT COALESCE(sum(n) FILTER (WHERE metric = ${Metric.Unsolved}), 0) - COALESCE(sum(n) FILTER (WHERE metric = ${Metric.Created}), 0)
              + COALESCE(sum(n) FILTER (WHERE metric = ${Metric.Closed}), 0) - COALESCE(sum(n) FILTER (WHERE metric = ${Metric.Reopened}), 0) AS n FROM r
       )
       SELECT to_char(d, 'YYYY-MM-DD') AS day, COALESCE(p.created, 0)::int AS created, (COALESCE(p.closed, 0) - COALESCE(p.merged, 0))::int AS solved,
              COALESCE(p.reopened, 0)::int AS reopened, (base.n + sum(COALESCE(p.created, 0) - COALESCE(p.closed, 0) + COALESCE(p.reopened, 0)) OVER (ORDER BY d))::int AS backlog
         FROM generate_series(${start}, ${end} - 1, interval '1 day') d LEFT JOIN per_day p ON p.day = d::date CROSS JOIN base ORDER BY d`,
      p.values,
    );
  }

  async heatmap(range: ReportRange, filters: ReportFilters): Promise<{ weekday: number; hour: number; count: number }[] | null> {
    const cell = cellFor(filters, [Metric.Created]);
    if (!cell) return null;
    const p = new Params();
    const { start, end } = days(p, range);
    return this.dataSource.query(
      `SELECT extract(isodow FROM day)::int AS weekday, bucket AS hour, sum(n)::int AS count FROM ${ROLLUP_BUCKETS}
        WHERE metric = ${Metric.Created} AND ${cellSql(p, cell)} AND day >= ${start} AND day < ${end} GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`,
      p.values,
    );
  }

  async replyStats(range: ReportRange, filters: ReportFilters, first: boolean): Promise<{ calendar: StatRow; business: StatRow } | null> {
    const [calendarMetric, businessMetric] = first ? [Metric.FirstReply, Metric.FirstReplyBusiness] : [Metric.NextReply, Metric.NextReplyBusiness];
    const cell = cellFor(filters, [calendarMetric, businessMetric]);
    if (!cell) return null;
    const [calendar, business] = await Promise.all([this.stats(range, calendarMetric, cell), this.stats(range, businessMetric, cell)]);
    // The count is of waits answered (as the per-reply query counts them), the same for both clocks.
    return { calendar, business: { ...business, count: calendar.count } };
  }

  async firstReplyDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; firstReplyMedian: number | null; firstReplyBusinessMedian: number | null; replies: number }[] | null> {
    const cell = cellFor(filters, [Metric.FirstReply, Metric.FirstReplyBusiness]);
    if (!cell) return null;
    const p = new Params();
    const { start, end } = days(p, range);
    // A day of a cell is one row: its median straight from the row's buckets.
    return this.dataSource.query(
      `SELECT to_char(c.day, 'YYYY-MM-DD') AS day, report_histogram_percentile(c.ns, c.totals, 0.5) AS "firstReplyMedian",
              report_histogram_percentile(b.ns, b.totals, 0.5) AS "firstReplyBusinessMedian", c.replies
         FROM (SELECT day, slice, agent, ns, totals, (SELECT sum(x) FROM unnest(ns) x)::int AS replies FROM report_day_rollups
                WHERE metric = ${Metric.FirstReply} AND ${cellSql(p, cell)} AND day >= ${start} AND day < ${end}) c
         LEFT JOIN report_day_rollups b ON b.metric = ${Metric.FirstReplyBusiness} AND b.slice = c.slice AND b.agent = c.agent AND b.day = c.day
        WHERE c.replies > 0 ORDER BY c.day`,
      p.values,
    );
  }

  async firstReplyDistribution(range: ReportRange, filters: ReportFilters, bounds: number[]): Promise<{ bucket: number; count: number }[] | null> {
    const cell = cellFor(filters, [Metric.FirstReply]);
    if (!cell) return null;
    const p = new Params();
    // Each rollup bucket is named by its lower edge, and the bounds are edges: it falls in one bar whole.
    return this.dataSource.query(
      `SELECT width_bucket(bucket, ${p.add(bounds)}::int[]) AS bucket, sum(n)::int AS count FROM ${periodRows(p, range, `metric = ${Metric.FirstReply} AND ${cellSql(p, cell)}`)} b
        GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1`,
      p.values,
    );
  }

  async resolution(range: ReportRange, filters: ReportFilters): Promise<{ first: StatRow; full: StatRow; replies: StatRow; solved: number; oneTouch: number } | null> {
    const cell = cellFor(filters, [Metric.Solved, Metric.FullResolution, Metric.RepliesToResolve, Metric.FirstResolution]);
    if (!cell) return null;
    const p = new Params();
    const [[solved], first, full, replies] = await Promise.all([
      this.dataSource.query<{ solved: number; oneTouch: number }[]>(
        `SELECT COALESCE(sum(n), 0)::int AS solved, COALESCE(sum(n) FILTER (WHERE bucket = 1), 0)::int AS "oneTouch"
           FROM ${periodRows(p, range, `metric = ${Metric.Solved} AND ${cellSql(p, cell)}`)} b`,
        p.values,
      ),
      this.stats(range, Metric.FirstResolution, cell),
      this.stats(range, Metric.FullResolution, cell),
      this.stats(range, Metric.RepliesToResolve, cell),
    ]);
    return { first, full, replies, solved: solved.solved, oneTouch: solved.oneTouch };
  }

  async resolutionDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; solved: number; fullResolutionMedian: number | null; oneTouch: number }[] | null> {
    const cell = cellFor(filters, [Metric.Solved, Metric.FullResolution]);
    if (!cell) return null;
    const p = new Params();
    const { start, end } = days(p, range);
    return this.dataSource.query(
      `SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.solved, report_histogram_percentile(f.ns, f.totals, 0.5) AS "fullResolutionMedian", s.one_touch AS "oneTouch"
         FROM (SELECT day, slice, agent, sum(n)::int AS solved, COALESCE(sum(n) FILTER (WHERE bucket = 1), 0)::int AS one_touch FROM ${ROLLUP_BUCKETS}
                WHERE metric = ${Metric.Solved} AND ${cellSql(p, cell)} AND day >= ${start} AND day < ${end} GROUP BY day, slice, agent HAVING sum(n) > 0) s
         LEFT JOIN report_day_rollups f ON f.metric = ${Metric.FullResolution} AND f.slice = s.slice AND f.agent = s.agent AND f.day = s.day ORDER BY s.day`,
      p.values,
    );
  }

  /** CSAT answers (not voided) given and surveys sent in the period; with filters only those about a ticket count. */
  async csat(range: ReportRange, filters: ReportFilters): Promise<{ answers: number; good: number; sent: number } | null> {
    const cell = cellFor(filters, [Metric.CsatAnswers, Metric.SurveysSent]);
    if (!cell) return null;
    const p = new Params();
    const [row] = await this.dataSource.query<{ answers: number; good: number; sent: number }[]>(
      `SELECT COALESCE(sum(n) FILTER (WHERE metric = ${Metric.CsatAnswers}), 0)::int AS answers, COALESCE(sum(n) FILTER (WHERE metric = ${Metric.CsatAnswers} AND bucket = 1), 0)::int AS good,
              COALESCE(sum(n) FILTER (WHERE metric = ${Metric.SurveysSent}), 0)::int AS sent
         FROM ${periodRows(p, range, `metric IN (${Metric.CsatAnswers}, ${Metric.SurveysSent}) AND ${cellSql(p, cell)}`)} b`,
      p.values,
    );
    return row;
  }

  async csatDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; answers: number; good: number }[] | null> {
    const cell = cellFor(filters, [Metric.CsatAnswers]);
    if (!cell) return null;
    const p = new Params();
    const { start, end } = days(p, range);
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(n)::int AS answers, COALESCE(sum(n) FILTER (WHERE bucket = 1), 0)::int AS good FROM ${ROLLUP_BUCKETS}
        WHERE metric = ${Metric.CsatAnswers} AND ${cellSql(p, cell)} AND day >= ${start} AND day < ${end} GROUP BY day HAVING sum(n) > 0 ORDER BY day`,
      p.values,
    );
  }

  /** Per agent, from the rollups' agent cells. */
  async agents(range: ReportRange, filters: ReportFilters): Promise<AgentRow[] | null> {
    const cell = cellFor(filters, [Metric.Solved, Metric.Replies, Metric.FirstReply]);
    if (!cell) return null;
    const p = new Params();
    const agentCells = `slice = ${p.add(cell.slice)} AND ${cell.agent === '*' ? `agent <> '*'` : `agent = ${p.add(cell.agent)}`}`;
    const medians = statsSql(`SELECT agent AS g, bucket, sum(n) AS n, sum(total) AS total FROM ${periodRows(p, range, `metric = ${Metric.FirstReply} AND ${agentCells}`)} b GROUP BY 1, 2 HAVING sum(n) > 0`, 'agent');
    return this.dataSource.query(
      `WITH counts AS (
         SELECT agent, sum(n) FILTER (WHERE metric = ${Metric.Solved})::int AS solved, sum(n) FILTER (WHERE metric = ${Metric.Solved} AND bucket = 1)::int AS one_touch,
                sum(n) FILTER (WHERE metric = ${Metric.Replies})::int AS replies
           FROM ${periodRows(p, range, `metric IN (${Metric.Solved}, ${Metric.Replies}) AND ${agentCells}`)} b GROUP BY agent
       ), medians AS (${medians}
       ), csat AS (
         SELECT agent, sum(n)::int AS answers, sum(n) FILTER (WHERE bucket = 1)::int AS good FROM ${periodRows(p, range, `metric = ${Metric.CsatAnswers} AND ${agentCells}`)} b
          GROUP BY agent HAVING sum(n) > 0
       ), agents AS (SELECT agent FROM counts WHERE solved > 0 OR replies > 0 UNION SELECT agent FROM csat)
       SELECT NULLIF(a.agent, '')::uuid AS "agentId", u.name, COALESCE(s.solved, 0) AS solved, COALESCE(s.one_touch, 0) AS "oneTouch", COALESCE(s.replies, 0) AS replies,
              m.median AS "firstReplyMedian", COALESCE(c.answers, 0) AS "csatAnswers", COALESCE(c.good, 0) AS "csatGood"
         FROM agents a LEFT JOIN users u ON u.id = NULLIF(a.agent, '')::uuid LEFT JOIN counts s ON s.agent = a.agent LEFT JOIN medians m ON m.agent = a.agent
         LEFT JOIN csat c ON c.agent = a.agent
        ORDER BY u.name NULLS LAST`,
      p.values,
    );
  }
}
