import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RetentionDay } from '../../../../contracts/care-metrics';
import type { CancellationKind } from '../../../../contracts/customers';
import { NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN } from '../../../../contracts/surveys';
import { readableTicketSql, type TicketScope } from '../../tickets/ticket-access';

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

export interface NpsMonthRow {
  month: Date;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsCommentRow {
  id: string;
  customer_id: string;
  email: string;
  name: string | null;
  score: number;
  comment: string;
  created_at: Date;
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
  score: number | null;
  comment: string | null;
  answered_at: Date | null;
  total: number;
}

/**
 * The care metrics read two rollups kept by triggers (care-subscriber-fact.entity.ts; the definitions of first
 * cycle, 90-day churn, retention and a journey's 90-day outcome are in the migration's care_facts_refresh, once).
 * Subscribers whose first start is in [$1, $2) and who are 90 days past it at $3:
 */
const CYCLE1_POPULATION = `SELECT customer_id, first_started_at AS started_at, churned_90 AS churned, first_cycle_tickets > 0 AS opener, first_cycle_tag_ids
  FROM care_subscriber_facts WHERE first_started_at >= $1 AND first_started_at < $2 AND first_started_at <= $3::timestamptz - interval '90 days'`;
/** Journey entrants (first time per customer and journey) at least 90 days ago at $1. */
const JOURNEY_ENTRANTS = `SELECT journey_id, customer_id, held_out, entered_at, churned_90, tickets_90 FROM care_journey_entrants WHERE entered_at <= $1::timestamptz - interval '90 days'`;
/** The rollup's retention column per day of RETENTION_DAYS. */
const RETAINED_COLUMN: Record<RetentionDay, string> = { 30: 'retained_30', 90: 'retained_90', 180: 'retained_180', 365: 'retained_365' };
/** NPS answers that count (not voided) given in [$1, $2). */
const NPS_ANSWERS = `SELECT * FROM satisfaction_responses WHERE kind = 'nps' AND voided_at IS NULL AND created_at >= $1 AND created_at < $2`;

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
   * Per month in [from, to): subscribers active at its start (spells started before it minus spells ended
   * before it), starts and cancellations in it by kind; from the monthly rollup, however many spells.
   */
  churnMonths(from: Date, to: Date): Promise<ChurnMonthRow[]> {
    return this.read<ChurnMonthRow>(
      `SELECT m.month,
              (SELECT coalesce(sum(b.started - b.ended), 0) FROM care_spell_months b WHERE b.month < m.month)::int AS active_at_start,
              coalesce(c.started, 0) AS started, coalesce(c.ended, 0) AS cancelled, coalesce(c.voluntary, 0) AS voluntary, coalesce(c.involuntary, 0) AS involuntary
         FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 month', interval '1 month') AS m(month)
         LEFT JOIN care_spell_months c ON c.month = m.month
        ORDER BY m.month`,
      [from, to],
    );
  }

  /** Subscribers active at an instant: whole months from the rollup, the rest of its month from the spells' indexes. */
  async activeAt(at: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `WITH month AS (SELECT date_trunc('month', $1::timestamptz, 'UTC') AS start)
       SELECT ((SELECT coalesce(sum(started - ended), 0) FROM care_spell_months, month WHERE care_spell_months.month < month.start)
             + (SELECT count(*) FROM subscription_spells, month WHERE started_at >= month.start AND started_at <= $1)
             - (SELECT count(*) FROM subscription_spells, month WHERE ended_at >= month.start AND ended_at <= $1))::int AS n`,
      [at],
    );
    return row.n;
  }

  /**
   * Subscribers by the month of their first start in [from, to); per retention day, those whose day had come at
   * `now` and, of them, those with a spell covering that day (a later reactivation counts as retained).
   */
  cohorts(from: Date, to: Date, now: Date, days: readonly RetentionDay[]): Promise<CohortRow[]> {
    // Per row only a comparison with a constant and a cast-based truncation: at 100,000 subscribers the time-zone
    // form of date_trunc and per-row interval sums took most of the query.
    const came = (day: RetentionDay) => `first_started_at <= $3::timestamptz - interval '${day} days'`;
    const eligible = days.map((day) => `count(*) FILTER (WHERE ${came(day)})`);
    const retained = days.map((day) => `count(*) FILTER (WHERE ${came(day)} AND ${RETAINED_COLUMN[day]})`);
    return this.read<CohortRow>(
      `SELECT date_trunc('month', first_started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month, count(*)::int AS size,
              ARRAY[${eligible.join(', ')}]::int[] AS eligible, ARRAY[${retained.join(', ')}]::int[] AS retained
         FROM care_subscriber_facts WHERE first_started_at >= $1 AND first_started_at < $2 GROUP BY date_trunc('month', first_started_at AT TIME ZONE 'UTC') ORDER BY 1`,
      [from, to, now],
    );
  }

  /**
   * The cycle-1 question: 90-day churn of subscribers who opened a ticket in their first cycle, of those who did
   * not, and of openers by each tag on their first-cycle tickets.
   */
  cycle1(from: Date, to: Date, now: Date): Promise<Cycle1Row[]> {
    return this.read<Cycle1Row>(
      `WITH population AS (${CYCLE1_POPULATION})
       SELECT NULL AS tag, count(*) FILTER (WHERE NOT opener)::int AS customers, count(*) FILTER (WHERE NOT opener AND churned)::int AS churned FROM population
       UNION ALL SELECT '' AS tag, count(*) FILTER (WHERE opener)::int, count(*) FILTER (WHERE opener AND churned)::int FROM population
       UNION ALL SELECT tg.name, count(*)::int, count(*) FILTER (WHERE p.churned)::int
         FROM population p CROSS JOIN LATERAL unnest(p.first_cycle_tag_ids) AS tag(id) JOIN tags tg ON tg.id = tag.id GROUP BY tg.name`,
      [from, to, now],
    );
  }

  /** Per journey with entrants 90 days back: reached and held-out customers, those who cancelled within 90 days, their tickets in those days. */
  journeyEffects(now: Date): Promise<JourneyEffectRow[]> {
    return this.read<JourneyEffectRow>(
      `SELECT j.id AS journey_id, j.name AS journey_name, j.holdout_percent, e.held_out, count(*)::int AS customers,
              count(*) FILTER (WHERE e.churned_90)::int AS churned, coalesce(sum(e.tickets_90), 0)::int AS tickets
         FROM (${JOURNEY_ENTRANTS}) e JOIN journeys j ON j.id = e.journey_id
        GROUP BY j.id, j.name, j.holdout_percent, e.held_out
        ORDER BY j.name, e.held_out`,
      [now],
    );
  }

  /** NPS answers per month in [from, to) by group (months without answers left out). */
  npsMonths(from: Date, to: Date): Promise<NpsMonthRow[]> {
    return this.read<NpsMonthRow>(
      `SELECT date_trunc('month', created_at, 'UTC') AS month,
              count(*) FILTER (WHERE score >= ${NPS_PROMOTER_MIN})::int AS promoters,
              count(*) FILTER (WHERE score > ${NPS_DETRACTOR_MAX} AND score < ${NPS_PROMOTER_MIN})::int AS passives,
              count(*) FILTER (WHERE score <= ${NPS_DETRACTOR_MAX})::int AS detractors
         FROM (${NPS_ANSWERS}) r GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
  }

  /** The newest NPS answers with a comment in [from, to). */
  npsComments(from: Date, to: Date, limit: number): Promise<NpsCommentRow[]> {
    return this.read<NpsCommentRow>(
      `SELECT r.id, r.customer_id, c.email, c.name, r.score, r.comment, r.created_at
         FROM (${NPS_ANSWERS}) r JOIN customers c ON c.id = r.customer_id
        WHERE r.comment IS NOT NULL ORDER BY r.created_at DESC LIMIT ${Math.trunc(limit)}`,
      [from, to],
    );
  }

  /** Shipped initiatives: the ones that can have prevented tickets. */
  shippedInitiatives(): Promise<{ id: string; title: string; shipped_at: Date }[]> {
    return this.dataSource.query('SELECT id, title, shipped_at FROM care_initiatives WHERE shipped_at IS NOT NULL ORDER BY shipped_at');
  }

  /** The customers (or tickets) behind one figure, newest first; `total` on every row. */
  drillDown(source: string, parameters: unknown[], scope: TicketScope, limit: number): Promise<DrillDownRow[]> {
    return this.read<DrillDownRow>(
      `SELECT c.id AS customer_id, c.email, c.name, c.subscription_status, c.subscription_started_at AS started_at, c.cancelled_at, c.cancellation_kind,
              x.ticket_id, t.number AS ticket_number, t.subject AS ticket_subject,
              (to_jsonb(x)->>'score')::int AS score, to_jsonb(x)->>'comment' AS comment, (to_jsonb(x)->>'answered_at')::timestamptz AS answered_at,
              count(*) OVER ()::int AS total
         FROM (${source}) x JOIN customers c ON c.id = x.customer_id LEFT JOIN tickets t ON t.id = x.ticket_id
        WHERE ${readableTicketSql('t', `$${parameters.length + 1}`, `$${parameters.length + 2}`)}
        ORDER BY x.at DESC NULLS LAST, c.email LIMIT ${limit}`,
      [...parameters, scope.hiddenTeamIds, scope.hidesUnrouted],
    );
  }
}

/**
 * The rows (customer_id, ticket_id, at) behind each drillable figure; parameters per figure as the service passes
 * them. A source may add score, comment and answered_at (an answer's), which the drill-down shows.
 */
export const DRILL_DOWN_SOURCES = {
  /** $1, $2: the month. */
  started: `SELECT customer_id, NULL::uuid AS ticket_id, started_at AS at FROM subscription_spells WHERE started_at >= $1 AND started_at < $2`,
  cancelled: `SELECT customer_id, NULL::uuid AS ticket_id, ended_at AS at FROM subscription_spells WHERE ended_at >= $1 AND ended_at < $2`,
  /** $1: the instant. */
  active: `SELECT customer_id, NULL::uuid AS ticket_id, started_at AS at FROM subscription_spells WHERE started_at <= $1 AND (ended_at IS NULL OR ended_at > $1)`,
  /** $1, $2: the cohort's month. */
  cohort: `SELECT customer_id, NULL::uuid AS ticket_id, first_started_at AS at FROM care_subscriber_facts WHERE first_started_at >= $1 AND first_started_at < $2`,
  /** $1, $2: the period; $3: now; $4: churned or not (null: both); $5: a tag (null: any). */
  cycle1_openers: `SELECT p.customer_id, NULL::uuid AS ticket_id, p.started_at AS at FROM (${CYCLE1_POPULATION}) p
    WHERE p.opener AND ($4::boolean IS NULL OR p.churned = $4)
      AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM tags tg WHERE tg.name = $5 AND tg.id = ANY (p.first_cycle_tag_ids)))`,
  cycle1_others: `SELECT p.customer_id, NULL::uuid AS ticket_id, p.started_at AS at FROM (${CYCLE1_POPULATION}) p
    WHERE NOT p.opener AND ($4::boolean IS NULL OR p.churned = $4) AND $5::text IS NULL`,
  /** $1: now; $2: the journey. */
  journey_reached: `SELECT customer_id, NULL::uuid AS ticket_id, entered_at AS at FROM (${JOURNEY_ENTRANTS}) e WHERE e.journey_id = $2 AND NOT e.held_out`,
  journey_held_out: `SELECT customer_id, NULL::uuid AS ticket_id, entered_at AS at FROM (${JOURNEY_ENTRANTS}) e WHERE e.journey_id = $2 AND e.held_out`,
  /** $1: the initiative; its tickets since it shipped (all of them before). */
  initiative_tickets: `SELECT t.customer_id, t.id AS ticket_id, t.created_at AS at
    FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id JOIN care_initiatives i ON i.id = it.initiative_id
    WHERE it.initiative_id = $1 AND t.created_at >= coalesce(i.shipped_at, '-infinity') AND t.customer_id IS NOT NULL`,
  /** $1, $2: the period (or one month); $3: the lowest and $4 the highest score. */
  nps: `SELECT r.customer_id, r.ticket_id, r.created_at AS at, r.score, r.comment, r.created_at AS answered_at FROM (${NPS_ANSWERS}) r
    WHERE r.score BETWEEN $3 AND $4`,
} as const;
