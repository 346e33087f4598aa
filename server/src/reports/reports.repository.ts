import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DrillMetric, ReportQuery, ReportTicketRowDto, ReportTicketsQuery } from '../../../contracts/reports';
import type { SlaTargetKind } from '../../../contracts/sla';
import { SLA_TARGET_BREACHED_SQL, SLA_TARGET_MET_SQL } from '../sla/sla.repository';
import { readableTicketSql, type TicketScope } from '../tickets/ticket-access';

export type ReportFilters = Omit<ReportQuery, 'from' | 'to'>;

/** A period as instants, with the zone its days are cut in. */
export interface ReportRange {
  start: Date;
  end: Date;
  timeZone: string;
}

/** Positional parameters collected while a statement is built. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A good CSAT answer (`r` a satisfaction response). */
const CSAT_GOOD_SQL = 'r.score >= 4';

/**
 * The conditions of the filters on the rollup row `alias` (`f` a ticket's; `r` a reply's and `c` a status
 * change's carry the same fields, ReportRowFilters). The agent filter reads `agentColumn`: the ticket's
 * assignee for ticket figures, the reply's author for reply figures.
 */
function filterSql(p: Params, filters: ReportFilters, agentColumn = 'f.assignee_id', alias = 'f'): string {
  const conditions: string[] = [];
  const a = alias;
  if (filters.teamId) conditions.push(`${a}.team_id = ${p.add(filters.teamId)}`);
  if (filters.agentId) conditions.push(`${agentColumn} = ${p.add(filters.agentId)}`);
  if (filters.mailboxId) conditions.push(`${a}.mailbox_id = ${p.add(filters.mailboxId)}`);
  if (filters.tagId) conditions.push(`${a}.tag_ids @> ARRAY[${p.add(filters.tagId)}::uuid]`);
  if (filters.priority) conditions.push(`${a}.priority = ${p.add(filters.priority)}`);
  if (filters.plan) conditions.push(`${a}.plan = ${p.add(filters.plan)}`);
  if (filters.cycle) conditions.push(filters.cycle === 'first' ? `${a}.first_cycle` : `NOT ${a}.first_cycle`);
  return conditions.length ? ` AND ${conditions.join(' AND ')}` : '';
}

const hasFilters = (filters: ReportFilters) => Object.values(filters).some((value) => value !== undefined);
/** The ticket rollup joined to rows of `alias` only when a filter needs it: unfiltered figures read one table. */
const factsFor = (alias: string, filters: ReportFilters) => (hasFilters(filters) ? ` JOIN report_ticket_facts f ON f.ticket_id = ${alias}.ticket_id` : '');
/** Leaves out tickets the viewer may not read (tickets/ticket-access.ts), for lists that name tickets. */
const readableOnly = (p: Params, scope: TicketScope) =>
  ` AND ${readableTicketSql({ teamId: 'f.team_id', awaitingRouting: 'EXISTS (SELECT 1 FROM tickets r WHERE r.id = f.ticket_id AND r.awaiting_routing)' }, p.add(scope.hiddenTeamIds), p.add(scope.hidesUnrouted))}`;
const dayOf = (column: string, zone: string) => `to_char(${column} AT TIME ZONE ${zone}, 'YYYY-MM-DD')`;
const stats = (column: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column}) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${column}) AS p90, count(${column})::int AS count`;

export interface StatRow {
  median: number | null;
  p90: number | null;
  count: number;
}

/** A drill-down or export row as read (the API's row before its dates become strings). */
export type TicketRow = Omit<ReportTicketRowDto, 'createdAt'> & { createdAt: Date };

const TICKET_COLUMNS = `t.id, t.number, t.subject, t.status::text AS status, tm.name AS "teamName", u.name AS "assigneeName", f.created_at AS "createdAt",
  f.first_reply_seconds AS "firstReplySeconds", f.first_reply_business_seconds AS "firstReplyBusinessSeconds", f.full_resolution_seconds AS "fullResolutionSeconds",
  f.public_replies AS "publicReplies", f.reopens, f.one_touch AS "oneTouch", f.csat_score AS "csatScore"`;
const TICKET_JOINS = `JOIN tickets t ON t.id = f.ticket_id LEFT JOIN teams tm ON tm.id = f.team_id LEFT JOIN users u ON u.id = f.assignee_id`;

/** The report queries: aggregates over the rollups (`report_ticket_facts`, `report_replies`, `report_status_changes`). */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async volume(range: ReportRange, filters: ReportFilters): Promise<{ day: string; created: number; solved: number; reopened: number; backlog: number }[]> {
    const p = new Params();
    const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(range.timeZone)];
    const where = filterSql(p, filters);
    const changeWhere = filterSql(p, filters, 'c.assignee_id', 'c');
    return this.dataSource.query(
      `WITH days AS (
         SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series((${start}::timestamptz AT TIME ZONE ${zone})::date, (${end}::timestamptz AT TIME ZONE ${zone})::date - 1, interval '1 day') d
       ), created AS (
         SELECT ${dayOf('f.created_at', zone)} AS day, count(*)::int AS n FROM report_ticket_facts f WHERE f.created_at >= ${start} AND f.created_at < ${end}${where} GROUP BY 1
       ), changes AS (
         SELECT ${dayOf('c.at', zone)} AS day, count(*) FILTER (WHERE c.kind = 'solved')::int AS closed, count(*) FILTER (WHERE c.kind = 'reopened')::int AS reopened
           FROM report_status_changes c WHERE c.at >= ${start} AND c.at < ${end}${changeWhere} GROUP BY 1
       ), merges AS (
         -- Closed by a merge: counts against the backlog, not as solved. Few tickets, read from their own index.
         SELECT ${dayOf('c.at', zone)} AS day, count(*)::int AS n
           FROM report_ticket_facts f JOIN report_status_changes c ON c.ticket_id = f.ticket_id WHERE f.merged AND c.kind = 'solved' AND c.at >= ${start} AND c.at < ${end}${where} GROUP BY 1
       ), base AS (
         -- Unsolved at the start = unsolved now, less what was created since, plus what was closed since, less what
         -- was reopened since: counts over indexes, no ticket read one by one.
         SELECT (SELECT count(*) FROM report_ticket_facts f WHERE f.status NOT IN ('solved', 'closed')${where})
              - (SELECT count(*) FROM report_ticket_facts f WHERE f.created_at >= ${start}${where})
              + (SELECT count(*) FILTER (WHERE c.kind = 'solved') - count(*) FILTER (WHERE c.kind = 'reopened') FROM report_status_changes c WHERE c.at >= ${start}${changeWhere}) AS n
       )
       SELECT d.day, COALESCE(created.n, 0) AS created, COALESCE(changes.closed, 0) - COALESCE(merges.n, 0) AS solved, COALESCE(changes.reopened, 0) AS reopened,
              (base.n + sum(COALESCE(created.n, 0) - COALESCE(changes.closed, 0) + COALESCE(changes.reopened, 0)) OVER (ORDER BY d.day))::int AS backlog
         FROM days d LEFT JOIN created ON created.day = d.day LEFT JOIN changes ON changes.day = d.day LEFT JOIN merges ON merges.day = d.day CROSS JOIN base ORDER BY d.day`,
      p.values,
    );
  }

  heatmap(range: ReportRange, filters: ReportFilters): Promise<{ weekday: number; hour: number; count: number }[]> {
    const p = new Params();
    const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(range.timeZone)];
    return this.dataSource.query(
      `SELECT extract(isodow FROM f.created_at AT TIME ZONE ${zone})::int AS weekday, extract(hour FROM f.created_at AT TIME ZONE ${zone})::int AS hour, count(*)::int AS count
         FROM report_ticket_facts f WHERE f.created_at >= ${start} AND f.created_at < ${end}${filterSql(p, filters)} GROUP BY 1, 2 ORDER BY 1, 2`,
      p.values,
    );
  }

  /** Waits answered by replies in the period: the first replies, or the next ones. */
  async replyStats(range: ReportRange, filters: ReportFilters, first: boolean): Promise<{ calendar: StatRow; business: StatRow }> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const [row] = await this.dataSource.query<Record<string, number | null>[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wait_seconds) AS c_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY r.wait_seconds) AS c_p90,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wait_business_seconds) AS b_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY r.wait_business_seconds) AS b_p90,
              count(r.wait_seconds)::int AS count
         FROM report_replies r
        WHERE r.replied_at >= ${start} AND r.replied_at < ${end} AND r.wait_seconds IS NOT NULL AND r.first = ${first ? 'true' : 'false'}${filterSql(p, filters, 'r.agent_id', 'r')}`,
      p.values,
    );
    const count = Number(row.count);
    return { calendar: { median: row.c_median, p90: row.c_p90, count }, business: { median: row.b_median, p90: row.b_p90, count } };
  }

  firstReplyDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; firstReplyMedian: number | null; firstReplyBusinessMedian: number | null; replies: number }[]> {
    const p = new Params();
    const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(range.timeZone)];
    return this.dataSource.query(
      `SELECT ${dayOf('r.replied_at', zone)} AS day, percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wait_seconds) AS "firstReplyMedian",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wait_business_seconds) AS "firstReplyBusinessMedian", count(*)::int AS replies
         FROM report_replies r
        WHERE r.replied_at >= ${start} AND r.replied_at < ${end} AND r.first${filterSql(p, filters, 'r.agent_id', 'r')} GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /** First reply times (calendar) counted into buckets [min, max). */
  firstReplyDistribution(range: ReportRange, filters: ReportFilters, bounds: number[]): Promise<{ bucket: number; count: number }[]> {
    const p = new Params();
    const [start, end, limits] = [p.add(range.start), p.add(range.end), p.add(bounds)];
    return this.dataSource.query(
      `SELECT width_bucket(r.wait_seconds, ${limits}::int[]) AS bucket, count(*)::int AS count
         FROM report_replies r
        WHERE r.replied_at >= ${start} AND r.replied_at < ${end} AND r.first${filterSql(p, filters, 'r.agent_id', 'r')} GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /** Tickets still waiting for a first reply (now): how many, and the oldest the viewer may read, oldest first. */
  async waiting(filters: ReportFilters, scope: TicketScope, limit: number): Promise<{ count: number; oldest: { ticketId: string; number: number; subject: string; firstInboundAt: Date }[] }> {
    const p = new Params();
    const where = `f.first_reply_at IS NULL AND f.first_inbound_at IS NOT NULL AND f.last_solved_at IS NULL AND NOT f.merged AND f.status NOT IN ('solved', 'closed')${filterSql(p, filters)}`;
    const counted = await this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM report_ticket_facts f WHERE ${where}`, p.values);
    const oldest = await this.dataSource.query<{ ticketId: string; number: number; subject: string; firstInboundAt: Date }[]>(
      `SELECT t.id AS "ticketId", t.number, t.subject, f.first_inbound_at AS "firstInboundAt" FROM report_ticket_facts f JOIN tickets t ON t.id = f.ticket_id
        WHERE ${where}${readableOnly(p, scope)} ORDER BY f.first_inbound_at LIMIT ${Math.floor(limit)}`,
      p.values,
    );
    return { count: counted[0].count, oldest };
  }

  async resolution(range: ReportRange, filters: ReportFilters): Promise<{ first: StatRow; full: StatRow; replies: StatRow; solved: number; oneTouch: number }> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const where = filterSql(p, filters);
    const [[full], [first]] = await Promise.all([
      this.dataSource.query<Record<string, number | null>[]>(
        `SELECT ${stats('f.full_resolution_seconds')}, percentile_cont(0.5) WITHIN GROUP (ORDER BY f.public_replies) AS r_median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY f.public_replies) AS r_p90, count(*) FILTER (WHERE f.one_touch)::int AS one_touch
           FROM report_ticket_facts f WHERE f.last_solved_at >= ${start} AND f.last_solved_at < ${end} AND NOT f.merged${where}`,
        p.values,
      ),
      this.dataSource.query<StatRow[]>(
        `SELECT ${stats('f.first_resolution_seconds')} FROM report_ticket_facts f WHERE f.first_solved_at >= ${start} AND f.first_solved_at < ${end} AND NOT f.merged${where}`,
        p.values,
      ),
    ]);
    const solved = Number(full.count);
    return {
      first: { median: first.median, p90: first.p90, count: Number(first.count) },
      full: { median: full.median, p90: full.p90, count: solved },
      replies: { median: full.r_median, p90: full.r_p90, count: solved },
      solved,
      oneTouch: Number(full.one_touch),
    };
  }

  resolutionDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; solved: number; fullResolutionMedian: number | null; oneTouch: number }[]> {
    const p = new Params();
    const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(range.timeZone)];
    return this.dataSource.query(
      `SELECT ${dayOf('f.last_solved_at', zone)} AS day, count(*)::int AS solved, percentile_cont(0.5) WITHIN GROUP (ORDER BY f.full_resolution_seconds) AS "fullResolutionMedian",
              count(*) FILTER (WHERE f.one_touch)::int AS "oneTouch"
         FROM report_ticket_facts f WHERE f.last_solved_at >= ${start} AND f.last_solved_at < ${end} AND NOT f.merged${filterSql(p, filters)} GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  sla(range: ReportRange, filters: ReportFilters): Promise<{ kind: SlaTargetKind; total: number; met: number; breached: number }[]> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    return this.dataSource.query(
      `SELECT s.kind::text AS kind, count(*)::int AS total, count(*) FILTER (WHERE ${SLA_TARGET_MET_SQL})::int AS met, count(*) FILTER (WHERE ${SLA_TARGET_BREACHED_SQL})::int AS breached
         FROM sla_targets s${factsFor('s', filters)}
        WHERE s.decided_at >= ${start} AND s.decided_at < ${end}${filterSql(p, filters)} GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /** CSAT answers (not voided) given in the period; with filters only answers about a ticket count. */
  async csat(range: ReportRange, filters: ReportFilters): Promise<{ answers: number; good: number; sent: number }> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const where = filterSql(p, filters);
    const join = hasFilters(filters) ? 'JOIN report_ticket_facts f ON f.ticket_id = r.ticket_id' : '';
    const sentJoin = hasFilters(filters) ? 'JOIN report_ticket_facts f ON f.ticket_id = s.ticket_id' : '';
    const [[answers], [sent]] = await Promise.all([
      this.dataSource.query<{ answers: number; good: number }[]>(
        `SELECT count(*)::int AS answers, count(*) FILTER (WHERE ${CSAT_GOOD_SQL})::int AS good FROM satisfaction_responses r ${join}
          WHERE r.kind = 'csat' AND r.voided_at IS NULL AND r.created_at >= ${start} AND r.created_at < ${end}${where}`,
        p.values,
      ),
      this.dataSource.query<{ sent: number }[]>(
        `SELECT count(*)::int AS sent FROM surveys s ${sentJoin} WHERE s.kind = 'csat' AND s.state = 'sent' AND s.sent_at >= ${start} AND s.sent_at < ${end}${where}`,
        p.values,
      ),
    ]);
    return { answers: answers.answers, good: answers.good, sent: sent.sent };
  }

  csatDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; answers: number; good: number }[]> {
    const p = new Params();
    const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(range.timeZone)];
    const join = hasFilters(filters) ? 'JOIN report_ticket_facts f ON f.ticket_id = r.ticket_id' : '';
    return this.dataSource.query(
      `SELECT ${dayOf('r.created_at', zone)} AS day, count(*)::int AS answers, count(*) FILTER (WHERE ${CSAT_GOOD_SQL})::int AS good FROM satisfaction_responses r ${join}
        WHERE r.kind = 'csat' AND r.voided_at IS NULL AND r.created_at >= ${start} AND r.created_at < ${end}${filterSql(p, filters)} GROUP BY 1 ORDER BY 1`,
      p.values,
    );
  }

  /** The period's CSAT answers, newest first, voided ones included. */
  csatAnswers(range: ReportRange, filters: ReportFilters, limit: number): Promise<CsatAnswerRow[]> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const join = hasFilters(filters) ? 'JOIN report_ticket_facts f ON f.ticket_id = r.ticket_id' : '';
    return this.dataSource.query(
      `SELECT r.id, r.survey_id AS "surveyId", r.kind, r.score, r.comment, r.reason, r.ticket_id AS "ticketId", t.number AS "ticketNumber", r.customer_id AS "customerId",
              c.name AS "customerName", c.email AS "customerEmail", r.created_at AS "answeredAt", r.voided_at AS "voidedAt", r.void_reason AS "voidReason"
         FROM satisfaction_responses r ${join} JOIN customers c ON c.id = r.customer_id LEFT JOIN tickets t ON t.id = r.ticket_id
        WHERE r.kind = 'csat' AND r.created_at >= ${start} AND r.created_at < ${end}${filterSql(p, filters)} ORDER BY r.created_at DESC LIMIT ${Math.floor(limit)}`,
      p.values,
    );
  }

  /** Per agent: tickets solved (as assignee), replies sent, median first reply, CSAT and one-touch of their solved tickets. */
  agents(range: ReportRange, filters: ReportFilters): Promise<AgentRow[]> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const ticketWhere = filterSql(p, filters);
    const replyWhere = filterSql(p, filters, 'r.agent_id', 'r');
    return this.dataSource.query(
      `WITH solved AS (
         SELECT f.assignee_id AS agent_id, count(*)::int AS solved, count(*) FILTER (WHERE f.one_touch)::int AS one_touch
           FROM report_ticket_facts f WHERE f.last_solved_at >= ${start} AND f.last_solved_at < ${end} AND NOT f.merged${ticketWhere} GROUP BY 1
       ), replies AS (
         SELECT r.agent_id, count(*)::int AS replies, percentile_cont(0.5) WITHIN GROUP (ORDER BY r.wait_seconds) FILTER (WHERE r.first) AS first_reply_median
           FROM report_replies r WHERE r.replied_at >= ${start} AND r.replied_at < ${end}${replyWhere} GROUP BY 1
       ), csat AS (
         SELECT f.assignee_id AS agent_id, count(*)::int AS answers, count(*) FILTER (WHERE ${CSAT_GOOD_SQL})::int AS good
           FROM satisfaction_responses r JOIN report_ticket_facts f ON f.ticket_id = r.ticket_id
          WHERE r.kind = 'csat' AND r.voided_at IS NULL AND r.created_at >= ${start} AND r.created_at < ${end}${ticketWhere} GROUP BY 1
       ), agents AS (SELECT agent_id FROM solved UNION SELECT agent_id FROM replies UNION SELECT agent_id FROM csat)
       SELECT a.agent_id AS "agentId", u.name, COALESCE(s.solved, 0) AS solved, COALESCE(s.one_touch, 0) AS "oneTouch", COALESCE(r.replies, 0) AS replies,
              r.first_reply_median AS "firstReplyMedian", COALESCE(c.answers, 0) AS "csatAnswers", COALESCE(c.good, 0) AS "csatGood"
         FROM agents a LEFT JOIN users u ON u.id = a.agent_id LEFT JOIN solved s ON s.agent_id IS NOT DISTINCT FROM a.agent_id
         LEFT JOIN replies r ON r.agent_id IS NOT DISTINCT FROM a.agent_id LEFT JOIN csat c ON c.agent_id IS NOT DISTINCT FROM a.agent_id
        ORDER BY u.name NULLS LAST`,
      p.values,
    );
  }

  /** The tickets behind a number, slowest or newest first, with how many there are in all. */
  async tickets(range: ReportRange, query: ReportTicketsQuery, filters: ReportFilters, scope: TicketScope, limit: number): Promise<{ rows: TicketRow[]; total: number }> {
    const p = new Params();
    const drill = drillConditions(range, query, filters, scope, p);
    const [rows, total] = await Promise.all([
      this.dataSource.query<TicketRow[]>(
        `SELECT ${TICKET_COLUMNS} FROM report_ticket_facts f ${TICKET_JOINS}
          WHERE f.ticket_id IN (SELECT f.ticket_id FROM report_ticket_facts f ${drill.join} WHERE ${drill.where}) ORDER BY ${drill.order}, f.ticket_id LIMIT ${Math.floor(limit)}`,
        p.values,
      ),
      this.count(drill, p),
    ]);
    return { rows, total };
  }

  /** One page of the ids behind a number, in the drill-down's order (the inbox lists them). */
  ticketIds(range: ReportRange, query: ReportTicketsQuery, filters: ReportFilters, scope: TicketScope, offset: number, limit: number): Promise<string[]> {
    const p = new Params();
    const drill = drillConditions(range, query, filters, scope, p);
    return this.dataSource
      .query<{ id: string }[]>(
        `SELECT f.ticket_id AS id FROM report_ticket_facts f WHERE f.ticket_id IN (SELECT f.ticket_id FROM report_ticket_facts f ${drill.join} WHERE ${drill.where})
          ORDER BY ${drill.order}, f.ticket_id OFFSET ${Math.floor(offset)} LIMIT ${Math.floor(limit)}`,
        p.values,
      )
      .then((rows) => rows.map((row) => row.id));
  }

  /** How many tickets are behind a number. */
  async ticketCount(range: ReportRange, query: ReportTicketsQuery, filters: ReportFilters, scope: TicketScope): Promise<number> {
    const p = new Params();
    return this.count(drillConditions(range, query, filters, scope, p), p);
  }

  private async count(drill: { join: string; where: string }, p: Params): Promise<number> {
    const [row] = await this.dataSource.query<{ total: number }[]>(`SELECT count(DISTINCT f.ticket_id)::int AS total FROM report_ticket_facts f ${drill.join} WHERE ${drill.where}`, p.values);
    return row.total;
  }

  /**
   * Every ticket created in the period with its figures, by creation, read through one server-side cursor a page
   * at a time (the per-ticket CSV streams these: memory stays flat, and the export is one snapshot).
   */
  async *ticketPages(range: ReportRange, filters: ReportFilters, scope: TicketScope, pageSize: number): AsyncGenerator<TicketRow[]> {
    const p = new Params();
    const [start, end] = [p.add(range.start), p.add(range.end)];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(
        `DECLARE report_ticket_export NO SCROLL CURSOR FOR
           SELECT ${TICKET_COLUMNS} FROM report_ticket_facts f ${TICKET_JOINS} WHERE f.created_at >= ${start} AND f.created_at < ${end}${readableOnly(p, scope)}${filterSql(p, filters)}
            ORDER BY f.created_at, f.ticket_id`,
        p.values,
      );
      for (;;) {
        const rows = (await runner.query(`FETCH ${Math.floor(pageSize)} FROM report_ticket_export`)) as TicketRow[];
        if (rows.length) yield rows;
        if (rows.length < pageSize) break;
      }
      await runner.commitTransaction();
    } finally {
      // Also when the client went away mid-export (the generator is returned early).
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }
}

export interface CsatAnswerRow {
  id: string;
  surveyId: string | null;
  kind: 'csat' | 'nps';
  score: number;
  comment: string | null;
  reason: string | null;
  ticketId: string | null;
  ticketNumber: number | null;
  customerId: string;
  customerName: string | null;
  customerEmail: string;
  answeredAt: Date;
  voidedAt: Date | null;
  voidReason: string | null;
}

export interface AgentRow {
  agentId: string | null;
  name: string | null;
  solved: number;
  oneTouch: number;
  replies: number;
  firstReplyMedian: number | null;
  csatAnswers: number;
  csatGood: number;
}

/** A drill-down's join, conditions (its metric, the filters, the teams the viewer may not read) and order. */
function drillConditions(range: ReportRange, query: ReportTicketsQuery, filters: ReportFilters, scope: TicketScope, p: Params): { join: string; where: string; order: string } {
  const drill = drillSql(query.metric, range, p, query);
  return { join: drill.join, where: `${drill.where}${filterSql(p, filters, drill.agentColumn)}${readableOnly(p, scope)}`, order: drill.order };
}

/** How each drill-down picks its tickets (same conditions as the figure it opens) and orders them. */
function drillSql(metric: DrillMetric, range: ReportRange, p: Params, query: ReportTicketsQuery): { join: string; where: string; order: string; agentColumn: string } {
  // Parameters are added only when used: PostgreSQL cannot type a parameter no clause mentions.
  let zoneParam: string | null = null;
  const zone = () => (zoneParam ??= p.add(range.timeZone));
  const inRange = (column: string) => `${column} >= ${p.add(range.start)} AND ${column} < ${p.add(range.end)}${inDay(column)}`;
  const inDay = (column: string) => (query.day ? ` AND ${dayOf(column, zone())} = ${p.add(query.day)}` : '');
  const between = (column: string) =>
    `${query.minSeconds !== undefined ? ` AND ${column} >= ${p.add(query.minSeconds)}` : ''}${query.maxSeconds !== undefined ? ` AND ${column} < ${p.add(query.maxSeconds)}` : ''}`;
  const ticket = { join: '', agentColumn: 'f.assignee_id' };
  switch (metric) {
    case 'created': {
      const cell =
        query.weekday !== undefined && query.hour !== undefined
          ? ` AND extract(isodow FROM f.created_at AT TIME ZONE ${zone()}) = ${p.add(query.weekday)} AND extract(hour FROM f.created_at AT TIME ZONE ${zone()}) = ${p.add(query.hour)}`
          : '';
      return { ...ticket, where: `${inRange('f.created_at')}${cell}`, order: 'f.created_at DESC' };
    }
    case 'solved':
    case 'reopened':
      return {
        ...ticket,
        join: 'JOIN report_status_changes c ON c.ticket_id = f.ticket_id',
        where: `c.kind = ${p.add(metric)} AND ${inRange('c.at')}${metric === 'solved' ? ' AND NOT f.merged' : ''}`,
        order: 'f.created_at DESC',
      };
    case 'first_reply':
    case 'next_reply':
      return {
        join: 'JOIN report_replies r ON r.ticket_id = f.ticket_id',
        agentColumn: 'r.agent_id',
        where: `r.wait_seconds IS NOT NULL AND r.first = ${metric === 'first_reply' ? 'true' : 'false'} AND ${inRange('r.replied_at')}${between('r.wait_seconds')}`,
        order: 'f.first_reply_seconds DESC NULLS LAST',
      };
    case 'unsolved': {
      // Unsolved at the end of the day (or of the period): created before it, and its last solve or reopen before it was not a solve.
      const end = query.day ? `((${p.add(query.day)}::date + 1)::timestamp AT TIME ZONE ${zone()})` : p.add(range.end);
      return {
        ...ticket,
        where: `f.created_at < ${end} AND COALESCE((SELECT c.kind FROM report_status_changes c WHERE c.ticket_id = f.ticket_id AND c.at < ${end} ORDER BY c.at DESC LIMIT 1), 'reopened') <> 'solved'`,
        order: 'f.created_at ASC',
      };
    }
    case 'no_reply':
      return {
        ...ticket,
        where: `f.first_reply_at IS NULL AND f.first_inbound_at IS NOT NULL AND f.last_solved_at IS NULL AND NOT f.merged AND f.status NOT IN ('solved', 'closed')`,
        order: 'f.first_inbound_at ASC',
      };
    case 'resolution':
      return { ...ticket, where: `NOT f.merged AND ${inRange('f.last_solved_at')}${between('f.full_resolution_seconds')}`, order: 'f.full_resolution_seconds DESC NULLS LAST' };
    case 'one_touch':
      return { ...ticket, where: `f.one_touch AND NOT f.merged AND ${inRange('f.last_solved_at')}`, order: 'f.last_solved_at DESC' };
    case 'csat':
    case 'csat_good':
    case 'csat_bad': {
      const rating = metric === 'csat_good' ? ` AND ${CSAT_GOOD_SQL}` : metric === 'csat_bad' ? ` AND NOT (${CSAT_GOOD_SQL})` : '';
      return {
        ...ticket,
        join: 'JOIN satisfaction_responses r ON r.ticket_id = f.ticket_id',
        where: `r.kind = 'csat' AND r.voided_at IS NULL${rating} AND ${inRange('r.created_at')}`,
        order: 'f.created_at DESC',
      };
    }
    case 'sla_decided':
    case 'sla_met':
    case 'sla_breached': {
      const outcome = metric === 'sla_met' ? ` AND (${SLA_TARGET_MET_SQL})` : metric === 'sla_breached' ? ` AND (${SLA_TARGET_BREACHED_SQL})` : '';
      return {
        ...ticket,
        join: 'JOIN sla_targets s ON s.ticket_id = f.ticket_id',
        where: `${inRange('s.decided_at')}${outcome}${query.slaKind ? ` AND s.kind = ${p.add(query.slaKind)}` : ''}`,
        order: 'f.created_at DESC',
      };
    }
  }
}
