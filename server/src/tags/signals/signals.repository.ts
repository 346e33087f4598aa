import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SignalExampleDto, SignalKind } from '../../../../contracts/care';
import { MIN_SIGNAL_VOLUME, WINDOW_DAYS } from './signal-math';
import { readableTicketSql, type TicketScope } from '../../tickets/ticket-access';

export interface PatternWeeks {
  kind: SignalKind;
  id: string;
  label: string;
  color: string | null;
  /** Tickets per 7-day week ending `today`, newest first. */
  weeksAgo: number[];
  /** First-cycle tickets in the current window. */
  firstCycle: number;
}

export interface PatternDetails {
  customers: number;
  examples: SignalExampleDto[];
}

const keyOf = (kind: SignalKind, id: string) => `${kind}:${id}`;

/** Reads the signal rollups (tag_daily_counts, cluster_daily_counts) and ticket flags; never scans tickets. */
@Injectable()
export class SignalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Weekly counts for every tag with tickets in the period, and for every cluster with at least
   * MIN_SIGNAL_VOLUME untagged tickets in the current window (the many one-ticket clusters are never signals).
   */
  async weeklyCounts(today: string, weeks: number): Promise<PatternWeeks[]> {
    const days = weeks * WINDOW_DAYS;
    const [tagRows, clusterRows] = await Promise.all([
      this.dataSource.query<{ id: string; label: string; color: string | null; weeks_ago: number; tickets: number; first_cycle: number }[]>(
        `SELECT d.tag_id AS id, t.name AS label, t.color, (($1::date - d.day) / 7) AS weeks_ago,
                sum(d.tickets)::int AS tickets, sum(d.first_cycle_tickets)::int AS first_cycle
           FROM tag_daily_counts d JOIN tags t ON t.id = d.tag_id
          WHERE d.day > $1::date - $2::int AND d.day <= $1::date
          GROUP BY d.tag_id, t.name, t.color, weeks_ago`,
        [today, days],
      ),
      this.dataSource.query<{ id: string; label: string; weeks_ago: number; tickets: number; first_cycle: number }[]>(
        `WITH active AS (
           SELECT cluster_id FROM cluster_daily_counts
            WHERE day > $1::date - $3::int AND day <= $1::date
            GROUP BY cluster_id HAVING sum(untagged_tickets) >= $4
         )
         SELECT d.cluster_id AS id, c.label, (($1::date - d.day) / 7) AS weeks_ago,
                sum(d.untagged_tickets)::int AS tickets, sum(d.first_cycle_tickets)::int AS first_cycle
           FROM cluster_daily_counts d JOIN active USING (cluster_id) JOIN ticket_clusters c ON c.id = d.cluster_id
          WHERE d.day > $1::date - $2::int AND d.day <= $1::date
          GROUP BY d.cluster_id, c.label, weeks_ago`,
        [today, days, WINDOW_DAYS, MIN_SIGNAL_VOLUME],
      ),
    ]);
    const patterns = new Map<string, PatternWeeks>();
    const add = (kind: SignalKind, row: { id: string; label: string; color?: string | null; weeks_ago: number; tickets: number; first_cycle: number }) => {
      const key = keyOf(kind, row.id);
      let pattern = patterns.get(key);
      if (!pattern) {
        pattern = { kind, id: row.id, label: row.label, color: row.color ?? null, weeksAgo: Array<number>(weeks).fill(0), firstCycle: 0 };
        patterns.set(key, pattern);
      }
      pattern.weeksAgo[row.weeks_ago] = row.tickets;
      if (row.weeks_ago === 0) pattern.firstCycle = row.first_cycle;
    };
    for (const row of tagRows) add('tag', row);
    for (const row of clusterRows) add('cluster', row);
    return [...patterns.values()];
  }

  /** "This keeps happening" flags raised since `since`, per tag of the flagged tickets and per cluster of untagged ones. */
  async flagCounts(since: Date): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ key: string; flags: number }[]>(
      `SELECT 'tag:' || tt.tag_id AS key, count(*)::int AS flags
         FROM ticket_flags f JOIN ticket_tags tt ON tt.ticket_id = f.ticket_id
        WHERE f.created_at >= $1 GROUP BY tt.tag_id
       UNION ALL
       SELECT 'cluster:' || m.cluster_id, count(*)::int
         FROM ticket_flags f JOIN ticket_cluster_members m ON m.ticket_id = f.ticket_id AND NOT m.tagged
        WHERE f.created_at >= $1 GROUP BY m.cluster_id`,
      [since],
    );
    return new Map(rows.map((row) => [row.key, row.flags]));
  }

  /**
   * Distinct customers and example tickets of the current window, for the few patterns that are shown. Examples
   * leave out tickets outside the viewer's scope.
   */
  async details(patterns: { kind: SignalKind; id: string }[], today: string, scope: TicketScope): Promise<Map<string, PatternDetails>> {
    const tagIds = patterns.filter((pattern) => pattern.kind === 'tag').map((pattern) => pattern.id);
    const clusterIds = patterns.filter((pattern) => pattern.kind === 'cluster').map((pattern) => pattern.id);
    const windowStart = [today, WINDOW_DAYS - 1];
    const [customers, examples] = await Promise.all([
      this.dataSource.query<{ key: string; customers: number }[]>(
        `SELECT 'tag:' || tag_id AS key, count(DISTINCT customer_id)::int AS customers
           FROM tag_daily_customers WHERE tag_id = ANY($3::uuid[]) AND day >= $1::date - $2::int AND day <= $1::date GROUP BY tag_id
         UNION ALL
         SELECT 'cluster:' || m.cluster_id, count(DISTINCT t.customer_id)::int
           FROM ticket_cluster_members m JOIN tickets t ON t.id = m.ticket_id
          WHERE m.cluster_id = ANY($4::uuid[]) AND NOT m.tagged AND m.day >= $1::date - $2::int AND m.day <= $1::date GROUP BY m.cluster_id`,
        [...windowStart, tagIds, clusterIds],
      ),
      this.dataSource.query<{ key: string; id: string; number: number; subject: string }[]>(
        `WITH example_ids AS (
           SELECT 'tag:' || tag_id AS key, day, unnest(example_ticket_ids) AS ticket_id
             FROM tag_daily_counts WHERE tag_id = ANY($3::uuid[]) AND day >= $1::date - $2::int AND day <= $1::date
           UNION ALL
           SELECT 'cluster:' || cluster_id, day, unnest(example_ticket_ids)
             FROM cluster_daily_counts WHERE cluster_id = ANY($4::uuid[]) AND day >= $1::date - $2::int AND day <= $1::date
         ), ranked AS (
           SELECT e.key, t.id, t.number, t.subject, row_number() OVER (PARTITION BY e.key ORDER BY t.created_at DESC) AS rank
             FROM example_ids e JOIN tickets t ON t.id = e.ticket_id
            WHERE ${readableTicketSql('t', '$5', '$6')}
         )
         SELECT key, id, number, subject FROM ranked WHERE rank <= 3 ORDER BY key, rank`,
        [...windowStart, tagIds, clusterIds, scope.hiddenTeamIds, scope.hidesUnrouted],
      ),
    ]);
    const details = new Map<string, PatternDetails>(patterns.map((pattern) => [keyOf(pattern.kind, pattern.id), { customers: 0, examples: [] }]));
    for (const row of customers) {
      const entry = details.get(row.key);
      if (entry) entry.customers = row.customers;
    }
    for (const row of examples) details.get(row.key)?.examples.push({ id: row.id, number: row.number, subject: row.subject });
    return details;
  }
}
