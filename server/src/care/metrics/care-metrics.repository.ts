import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CancellationKind } from '../../../../contracts/customers';

export interface ChurnMonthRow {
  month: Date;
  active_at_start: number;
  started: number;
  cancelled: number;
  voluntary: number;
  involuntary: number;
}

export interface CohortRow {
  month: Date;
  size: number;
  /** Per RETENTION_DAYS, in order. */
  eligible: number[];
  retained: number[];
}

export interface Cycle1Row {
  /** Null for those who opened no ticket in their first cycle; '' for all openers; else one tag of their first-cycle tickets. */
  tag: string | null;
  customers: number;
  churned: number;
}

export interface JourneyEffectRow {
  journey_id: string;
  journey_name: string;
  holdout_percent: number;
  held_out: boolean;
  customers: number;
  churned: number;
  tickets: number;
}

export interface DrillDownRow {
  customer_id: string;
  email: string;
  name: string | null;
  subscription_status: string;
  started_at: Date | null;
  cancelled_at: Date | null;
  cancellation_kind: CancellationKind | null;
  ticket_id: string | null;
  ticket_number: number | null;
  ticket_subject: string | null;
  total: number;
}

/**
 * The definitions the care metrics share, over subscription spells (see subscription-spell.entity.ts and the
 * README's "Care metrics"): a subscriber's first start, their first cycle, and churn within 90 days of it.
 */
const FIRST_SPELLS = `SELECT DISTINCT ON (customer_id) customer_id, started_at, ended_at,
    LEAST(COALESCE(first_renewal_at, ended_at, started_at + interval '30 days'), started_at + interval '90 days') AS first_cycle_end
  FROM subscription_spells ORDER BY customer_id, started_at`;
const CHURNED_90 = `(f.ended_at IS NOT NULL AND f.ended_at < f.started_at + interval '90 days')`;
/** Subscribers whose first start is in [$1, $2) and who are 90 days past it at $3. */
const CYCLE1_POPULATION = `SELECT f.*, ${CHURNED_90} AS churned FROM (${FIRST_SPELLS}) f
  WHERE f.started_at >= $1 AND f.started_at < $2 AND f.started_at + interval '90 days' <= $3`;
/** Journey entrants (first time per customer and journey) at least 90 days ago at $1. */
const JOURNEY_ENTRANTS = `SELECT DISTINCT ON (journey_id, customer_id) journey_id, customer_id, held_out, created_at
  FROM journey_enrollments WHERE created_at + interval '90 days' <= $1 ORDER BY journey_id, customer_id, created_at`;

/** The only code that builds the care metrics' queries. */
@Injectable()
export class CareMetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One read. PostgreSQL's JIT compiler is off for it: these aggregations over a few hundred thousand rows run in
   * tens of milliseconds, and compiling them first (which their cost estimates trigger) took a second or more.
   */
  private read<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL jit = off');
      return manager.query<T[]>(sql, parameters);
    });
  }

  /**
   * Per month in [from, to): subscribers active at its start (spells started before it, minus spells ended before
   * it), starts and cancellations in it by kind. One pass over the spells, however many months.
   */
  churnMonths(from: Date, to: Date): Promise<ChurnMonthRow[]> {
    return this.read<ChurnMonthRow>(
      `WITH months AS (SELECT generate_series($1::timestamptz, $2::timestamptz - interval '1 month', interval '1 month') AS month),
       starts AS (SELECT date_trunc('month', started_at, 'UTC') AS month, count(*)::int AS n FROM subscription_spells GROUP BY 1),
       ends AS (
         SELECT date_trunc('month', ended_at, 'UTC') AS month, count(*)::int AS n,
                count(*) FILTER (WHERE cancellation_kind = 'voluntary')::int AS voluntary,
                count(*) FILTER (WHERE cancellation_kind = 'involuntary')::int AS involuntary
           FROM subscription_spells WHERE ended_at IS NOT NULL GROUP BY 1
       )
       SELECT m.month,
              ((SELECT coalesce(sum(n), 0) FROM starts s WHERE s.month < m.month) - (SELECT coalesce(sum(n), 0) FROM ends e WHERE e.month < m.month))::int AS active_at_start,
              coalesce(s.n, 0) AS started, coalesce(e.n, 0) AS cancelled, coalesce(e.voluntary, 0) AS voluntary, coalesce(e.involuntary, 0) AS involuntary
         FROM months m LEFT JOIN starts s ON s.month = m.month LEFT JOIN ends e ON e.month = m.month
        ORDER BY m.month`,
      [from, to],
    );
  }

  async activeAt(at: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM subscription_spells WHERE started_at <= $1 AND (ended_at IS NULL OR ended_at > $1)', [at]);
    return row.n;
  }

  /**
   * Subscribers by the month of their first start in [from, to); per retention day, those whose day had come at
   * `now` and, of them, those with a spell covering that day (a later reactivation counts as retained).
   */
  cohorts(from: Date, to: Date, now: Date, days: readonly number[]): Promise<CohortRow[]> {
    const at = (day: number) => `first_start + interval '${Math.trunc(day)} days'`;
    const covers = (day: number) => `bool_or(started_at <= ${at(day)} AND (ended_at IS NULL OR ended_at > ${at(day)})) AS retained_${Math.trunc(day)}`;
    const eligible = days.map((day) => `count(*) FILTER (WHERE ${at(day)} <= $3)`);
    const retained = days.map((day) => `count(*) FILTER (WHERE ${at(day)} <= $3 AND retained_${Math.trunc(day)})`);
    return this.read<CohortRow>(
      `WITH spells AS (
         SELECT customer_id, started_at, ended_at, min(started_at) OVER (PARTITION BY customer_id) AS first_start FROM subscription_spells
       ), per_customer AS (
         SELECT customer_id, first_start, ${days.map(covers).join(', ')}
           FROM spells WHERE first_start >= $1 AND first_start < $2 GROUP BY customer_id, first_start
       )
       SELECT date_trunc('month', first_start, 'UTC') AS month, count(*)::int AS size,
              ARRAY[${eligible.join(', ')}]::int[] AS eligible, ARRAY[${retained.join(', ')}]::int[] AS retained
         FROM per_customer GROUP BY 1 ORDER BY 1`,
      [from, to, now],
    );
  }

  /**
   * The cycle-1 question: 90-day churn of subscribers who opened a ticket in their first cycle, of those who did
   * not, and of openers by each tag on their first-cycle tickets.
   */
  cycle1(from: Date, to: Date, now: Date): Promise<Cycle1Row[]> {
    return this.read<Cycle1Row>(
      `WITH population AS (${CYCLE1_POPULATION}),
       first_cycle_tickets AS (
         SELECT p.customer_id, p.churned, t.id AS ticket_id FROM population p
           JOIN tickets t ON t.customer_id = p.customer_id AND t.created_at >= p.started_at AND t.created_at < p.first_cycle_end
       ), openers AS (SELECT DISTINCT customer_id, churned FROM first_cycle_tickets),
       tagged AS (
         SELECT DISTINCT f.customer_id, f.churned, tg.name FROM first_cycle_tickets f JOIN ticket_tags tt ON tt.ticket_id = f.ticket_id JOIN tags tg ON tg.id = tt.tag_id
       )
       SELECT NULL AS tag, count(*)::int AS customers, count(*) FILTER (WHERE churned)::int AS churned
         FROM population p WHERE NOT EXISTS (SELECT 1 FROM openers o WHERE o.customer_id = p.customer_id)
       UNION ALL SELECT '' AS tag, count(*)::int, count(*) FILTER (WHERE churned)::int FROM openers
       UNION ALL SELECT name, count(*)::int, count(*) FILTER (WHERE churned)::int FROM tagged GROUP BY name`,
      [from, to, now],
    );
  }

  /** Per journey with entrants 90 days back: reached and held-out customers, those who cancelled within 90 days, their tickets in those days. */
  journeyEffects(now: Date): Promise<JourneyEffectRow[]> {
    return this.read<JourneyEffectRow>(
      `WITH entrants AS (${JOURNEY_ENTRANTS})
       SELECT j.id AS journey_id, j.name AS journey_name, j.holdout_percent, e.held_out, count(*)::int AS customers,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM subscription_spells s WHERE s.customer_id = e.customer_id AND s.ended_at > e.created_at AND s.ended_at <= e.created_at + interval '90 days'
              ))::int AS churned,
              coalesce(sum((SELECT count(*) FROM tickets t WHERE t.customer_id = e.customer_id AND t.created_at > e.created_at AND t.created_at <= e.created_at + interval '90 days')), 0)::int AS tickets
         FROM entrants e JOIN journeys j ON j.id = e.journey_id
        GROUP BY j.id, j.name, j.holdout_percent, e.held_out
        ORDER BY j.name, e.held_out`,
      [now],
    );
  }

  /** Shipped initiatives: the ones that can have prevented tickets. */
  shippedInitiatives(): Promise<{ id: string; title: string; shipped_at: Date }[]> {
    return this.dataSource.query('SELECT id, title, shipped_at FROM care_initiatives WHERE shipped_at IS NOT NULL ORDER BY shipped_at');
  }

  /** The customers (or tickets) behind one figure, newest first; `total` on every row. */
  drillDown(source: string, parameters: unknown[], hiddenTeamIds: string[], limit: number): Promise<DrillDownRow[]> {
    const hidden = `$${parameters.length + 1}`;
    return this.read<DrillDownRow>(
      `SELECT c.id AS customer_id, c.email, c.name, c.subscription_status, c.subscription_started_at AS started_at, c.cancelled_at, c.cancellation_kind,
              x.ticket_id, t.number AS ticket_number, t.subject AS ticket_subject, count(*) OVER ()::int AS total
         FROM (${source}) x JOIN customers c ON c.id = x.customer_id LEFT JOIN tickets t ON t.id = x.ticket_id
        WHERE t.team_id IS NULL OR NOT t.team_id = ANY(${hidden}::uuid[])
        ORDER BY x.at DESC NULLS LAST, c.email LIMIT ${limit}`,
      [...parameters, hiddenTeamIds],
    );
  }
}

/** The rows (customer_id, ticket_id, at) behind each drillable figure; parameters per figure as the service passes them. */
export const DRILL_DOWN_SOURCES = {
  /** $1, $2: the month. */
  started: `SELECT customer_id, NULL::uuid AS ticket_id, started_at AS at FROM subscription_spells WHERE started_at >= $1 AND started_at < $2`,
  cancelled: `SELECT customer_id, NULL::uuid AS ticket_id, ended_at AS at FROM subscription_spells WHERE ended_at >= $1 AND ended_at < $2`,
  /** $1: the instant. */
  active: `SELECT customer_id, NULL::uuid AS ticket_id, started_at AS at FROM subscription_spells WHERE started_at <= $1 AND (ended_at IS NULL OR ended_at > $1)`,
  /** $1, $2: the cohort's month. */
  cohort: `SELECT customer_id, NULL::uuid AS ticket_id, started_at AS at FROM (${FIRST_SPELLS}) f WHERE f.started_at >= $1 AND f.started_at < $2`,
  /** $1, $2: the period; $3: now; $4: churned or not (null: both); $5: a tag (null: any). */
  cycle1_openers: `SELECT p.customer_id, NULL::uuid AS ticket_id, p.started_at AS at FROM (${CYCLE1_POPULATION}) p
    WHERE ($4::boolean IS NULL OR p.churned = $4) AND EXISTS (
      SELECT 1 FROM tickets t WHERE t.customer_id = p.customer_id AND t.created_at >= p.started_at AND t.created_at < p.first_cycle_end
        AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM ticket_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.ticket_id = t.id AND tg.name = $5)))`,
  cycle1_others: `SELECT p.customer_id, NULL::uuid AS ticket_id, p.started_at AS at FROM (${CYCLE1_POPULATION}) p
    WHERE ($4::boolean IS NULL OR p.churned = $4) AND $5::text IS NULL AND NOT EXISTS (
      SELECT 1 FROM tickets t WHERE t.customer_id = p.customer_id AND t.created_at >= p.started_at AND t.created_at < p.first_cycle_end)`,
  /** $1: now; $2: the journey. */
  journey_reached: `SELECT customer_id, NULL::uuid AS ticket_id, created_at AS at FROM (${JOURNEY_ENTRANTS}) e WHERE e.journey_id = $2 AND NOT e.held_out`,
  journey_held_out: `SELECT customer_id, NULL::uuid AS ticket_id, created_at AS at FROM (${JOURNEY_ENTRANTS}) e WHERE e.journey_id = $2 AND e.held_out`,
  /** $1: the initiative; its tickets since it shipped (all of them before). */
  initiative_tickets: `SELECT t.customer_id, t.id AS ticket_id, t.created_at AS at
    FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id JOIN care_initiatives i ON i.id = it.initiative_id
    WHERE it.initiative_id = $1 AND t.created_at >= coalesce(i.shipped_at, '-infinity') AND t.customer_id IS NOT NULL`,
} as const;
