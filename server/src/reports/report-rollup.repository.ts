import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { BusinessCalendarEntity } from '../sla/business-calendar.entity';
import type { BusinessCalendar } from '../sla/clock';
import { toBusinessCalendar } from '../sla/sla-rules';
import type { MetricMessage, MetricStatusChange, TicketFigures } from './report-metrics';

/** What the rollup reads of one ticket besides its messages and status changes. */
export interface RollupTicket {
  id: string;
  createdAt: Date;
  teamId: string | null;
  assigneeId: string | null;
  mailboxId: string | null;
  priority: string;
  status: string;
  plan: string | null;
  firstCycle: boolean;
  tagIds: string[];
  csatScore: number | null;
}

/** Everything one batch of tickets needs, read with one statement per kind. */
export interface RollupInput {
  tickets: RollupTicket[];
  messages: Map<string, MetricMessage[]>;
  statusChanges: Map<string, MetricStatusChange[]>;
  calendars: Map<string, BusinessCalendar>;
  recorded: Map<string, { waitingSince: Date; seconds: number }>;
}

const group = <T>(rows: (T & { ticketId: string })[]): Map<string, T[]> => {
  const grouped = new Map<string, T[]>();
  for (const row of rows) grouped.set(row.ticketId, [...(grouped.get(row.ticketId) ?? []), row]);
  return grouped;
};

/** The reports' rollup tables: read a batch of tickets' sources, write their rows set-wise. */
@Injectable()
export class ReportRollupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Cuts every rollup row anew in `zone` and records it as the rollups' zone, in the caller's transaction; false
   * when the rollups were in it already (a second recut waiting on the first finds nothing left to do).
   */
  async recut(zone: string, manager: EntityManager): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const moved = await manager.query<unknown[]>(
      `WITH moved AS (UPDATE report_rollup_state SET time_zone = $1 WHERE id = 1 AND time_zone IS DISTINCT FROM $1 RETURNING id) SELECT id FROM moved`,
      [zone],
    );
    if (moved.length === 0) return false;
    await manager.query('SELECT report_rollup_rebuild()');
    return true;
  }

  async ticketIdsOfAnswers(responseIds: string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ ticket_id: string }[]>(`SELECT DISTINCT ticket_id FROM satisfaction_responses WHERE id = ANY($1::uuid[]) AND ticket_id IS NOT NULL`, [responseIds]);
    return rows.map((row) => row.ticket_id);
  }

  /** Tickets without a rollup row yet (created before the reports existed), oldest first. */
  async ticketsWithoutFacts(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT t.id FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM report_ticket_facts f WHERE f.ticket_id = t.id) ORDER BY t.created_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  async load(ticketIds: string[]): Promise<RollupInput> {
    const ids = [ticketIds];
    const [tickets, messages, changes, calendars, recorded] = await Promise.all([
      this.dataSource.query<RollupTicket[]>(
        `SELECT t.id, t.created_at AS "createdAt", t.team_id AS "teamId", t.assignee_id AS "assigneeId", t.mailbox_id AS "mailboxId",
                t.priority::text AS priority, t.status::text AS status, c.plan, COALESCE(c.current_cycle = 1, false) AS "firstCycle",
                COALESCE((SELECT array_agg(tt.tag_id) FROM ticket_tags tt WHERE tt.ticket_id = t.id), '{}') AS "tagIds",
                (SELECT r.score FROM satisfaction_responses r WHERE r.ticket_id = t.id AND r.kind = 'csat' AND r.voided_at IS NULL ORDER BY r.created_at DESC LIMIT 1) AS "csatScore"
           FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY($1::uuid[])`,
        ids,
      ),
      this.dataSource.query<(MetricMessage & { ticketId: string })[]>(
        `SELECT id, ticket_id AS "ticketId", direction::text AS direction, author_id AS "authorId", automatic, created_at AS "createdAt"
           FROM messages WHERE ticket_id = ANY($1::uuid[]) ORDER BY created_at`,
        ids,
      ),
      this.dataSource.query<(MetricStatusChange & { ticketId: string })[]>(
        `SELECT e.id AS "eventId", e.ticket_id AS "ticketId", e.data->>'from' AS "from", e.data->>'to' AS "to", e.created_at AS "at",
                EXISTS (SELECT 1 FROM ticket_events m WHERE m.ticket_id = e.ticket_id AND m.type = 'ticket.merged_into' AND m.created_at = e.created_at) AS merge
           FROM ticket_events e WHERE e.ticket_id = ANY($1::uuid[]) AND e.type = 'status.changed' ORDER BY e.created_at`,
        ids,
      ),
      // The ticket's SLA calendar: the one of the policy of its newest target.
      this.dataSource.query<(Pick<BusinessCalendarEntity, 'timeZone' | 'weekly' | 'holidays'> & { ticketId: string })[]>(
        `SELECT DISTINCT ON (s.ticket_id) s.ticket_id AS "ticketId", c.time_zone AS "timeZone", c.weekly, c.holidays
           FROM sla_targets s JOIN sla_policies p ON p.id = s.policy_id JOIN business_calendars c ON c.id = p.calendar_id
          WHERE s.ticket_id = ANY($1::uuid[]) ORDER BY s.ticket_id, s.created_at DESC`,
        ids,
      ),
      this.dataSource.query<{ messageId: string; waitingSince: Date; seconds: number }[]>(
        `SELECT message_id AS "messageId", waiting_since AS "waitingSince", wait_business_seconds AS seconds FROM report_replies WHERE ticket_id = ANY($1::uuid[]) AND wait_business_seconds IS NOT NULL`,
        ids,
      ),
    ]);
    return {
      tickets,
      messages: group(messages),
      statusChanges: group(changes),
      calendars: new Map(calendars.map((row) => [row.ticketId, toBusinessCalendar(row)])),
      recorded: new Map(recorded.map((row) => [row.messageId, { waitingSince: row.waitingSince, seconds: row.seconds }])),
    };
  }

  /** Writes the batch's rows in the caller's transaction; a ticket's plan and first-cycle stay as first recorded. */
  async save(rows: { ticket: RollupTicket; figures: TicketFigures }[], manager: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    const ticketIds = rows.map((row) => row.ticket.id);
    const json = (value: unknown) => JSON.stringify(value);
    const facts = rows.map(({ ticket, figures }) => ({
      ticket_id: ticket.id,
      created_at: ticket.createdAt,
      first_inbound_at: figures.firstInboundAt,
      team_id: ticket.teamId,
      assignee_id: ticket.assigneeId,
      mailbox_id: ticket.mailboxId,
      priority: ticket.priority,
      status: ticket.status,
      plan: ticket.plan,
      first_cycle: ticket.firstCycle,
      tag_ids: ticket.tagIds,
      first_reply_at: figures.firstReplyAt,
      first_reply_by: figures.firstReplyBy,
      first_reply_seconds: figures.firstReplySeconds,
      first_reply_business_seconds: figures.firstReplyBusinessSeconds,
      first_solved_at: figures.firstSolvedAt,
      last_solved_at: figures.lastSolvedAt,
      first_resolution_seconds: figures.firstResolutionSeconds,
      full_resolution_seconds: figures.fullResolutionSeconds,
      public_replies: figures.publicReplies,
      reopens: figures.reopens,
      one_touch: figures.oneTouch,
      merged: figures.merged,
      csat_score: ticket.csatScore,
    }));
    // Each reply and status change carries its ticket's filter fields (ReportRowFilters).
    const filterFields = (ticket: RollupTicket) => ({
      team_id: ticket.teamId,
      assignee_id: ticket.assigneeId,
      mailbox_id: ticket.mailboxId,
      priority: ticket.priority,
      plan: ticket.plan,
      first_cycle: ticket.firstCycle,
      tag_ids: ticket.tagIds,
    });
    const replies = rows.flatMap(({ ticket, figures }) =>
      figures.replies.map((reply) => ({
        ...filterFields(ticket),
        message_id: reply.messageId,
        ticket_id: ticket.id,
        agent_id: reply.agentId,
        replied_at: reply.repliedAt,
        waiting_since: reply.waitingSince,
        wait_seconds: reply.waitSeconds,
        wait_business_seconds: reply.waitBusinessSeconds,
        first: reply.first,
      })),
    );
    const changes = rows.flatMap(({ ticket, figures }) =>
      figures.statusChanges.map((change) => ({ ...filterFields(ticket), event_id: change.eventId, ticket_id: ticket.id, kind: change.kind, at: change.at, merged: figures.merged })),
    );
    const filterUpdates = `team_id = EXCLUDED.team_id, assignee_id = EXCLUDED.assignee_id, mailbox_id = EXCLUDED.mailbox_id, priority = EXCLUDED.priority, plan = EXCLUDED.plan,
         first_cycle = EXCLUDED.first_cycle, tag_ids = EXCLUDED.tag_ids`;
    // Serialises concurrent batches over the same tickets (taken in id order: no deadlocks).
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('report:' || id::text, 0)) FROM unnest($1::uuid[]) AS id ORDER BY id`, [ticketIds]);
    await manager.query(
      `INSERT INTO report_ticket_facts SELECT * FROM jsonb_populate_recordset(NULL::report_ticket_facts, $1::jsonb)
       ON CONFLICT (ticket_id) DO UPDATE SET
         first_inbound_at = EXCLUDED.first_inbound_at, team_id = EXCLUDED.team_id, assignee_id = EXCLUDED.assignee_id, mailbox_id = EXCLUDED.mailbox_id,
         priority = EXCLUDED.priority, status = EXCLUDED.status, tag_ids = EXCLUDED.tag_ids, first_reply_at = EXCLUDED.first_reply_at,
         first_reply_by = EXCLUDED.first_reply_by, first_reply_seconds = EXCLUDED.first_reply_seconds, first_reply_business_seconds = EXCLUDED.first_reply_business_seconds,
         first_solved_at = EXCLUDED.first_solved_at, last_solved_at = EXCLUDED.last_solved_at, first_resolution_seconds = EXCLUDED.first_resolution_seconds,
         full_resolution_seconds = EXCLUDED.full_resolution_seconds, public_replies = EXCLUDED.public_replies, reopens = EXCLUDED.reopens,
         one_touch = EXCLUDED.one_touch, merged = EXCLUDED.merged, csat_score = EXCLUDED.csat_score`,
      [json(facts)],
    );
    await manager.query(`DELETE FROM report_replies WHERE ticket_id = ANY($1::uuid[]) AND NOT (message_id = ANY($2::uuid[]))`, [ticketIds, replies.map((reply) => reply.message_id)]);
    await manager.query(
      `INSERT INTO report_replies SELECT * FROM jsonb_populate_recordset(NULL::report_replies, $1::jsonb)
       ON CONFLICT (message_id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, agent_id = EXCLUDED.agent_id, replied_at = EXCLUDED.replied_at,
         waiting_since = EXCLUDED.waiting_since, wait_seconds = EXCLUDED.wait_seconds, wait_business_seconds = EXCLUDED.wait_business_seconds, first = EXCLUDED.first, ${filterUpdates}`,
      [json(replies)],
    );
    await manager.query(`DELETE FROM report_status_changes WHERE ticket_id = ANY($1::uuid[]) AND NOT (event_id = ANY($2::uuid[]))`, [ticketIds, changes.map((change) => change.event_id)]);
    await manager.query(
      `INSERT INTO report_status_changes SELECT * FROM jsonb_populate_recordset(NULL::report_status_changes, $1::jsonb)
       ON CONFLICT (event_id) DO UPDATE SET merged = EXCLUDED.merged, ${filterUpdates}`,
      [json(changes)],
    );
  }
}
