import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { AssignStrategy, TimeCondition } from '../../../contracts/automation';
import { BusinessCalendarEntity } from '../sla/business-calendar.entity';
import { Message } from '../tickets/message.entity';
import { Ticket } from '../tickets/ticket.entity';
import { QueuedTicket } from './queued-ticket.entity';
import { RoutingRule } from './routing-rule.entity';

/** Statuses in which a ticket takes up an agent's capacity. */
export const ACTIVE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;

export interface AssignmentCandidate {
  userId: string;
  name: string;
  openCount: number;
}

export interface DueTicket {
  ticketId: string;
  /** When the timed state began; the firing key. */
  windowStart: Date;
}

/**
 * The start of each time condition's window, per ticket (NULL when the ticket is not in that state), and
 * the tickets that can be in it. Written with `t` for the ticket row.
 */
const WINDOWS: Record<TimeCondition['type'], { states: string; start: string }> = {
  unassigned_for: {
    states: "t.assignee_id IS NULL AND t.status IN ('new', 'open')",
    start: "GREATEST(t.created_at, (SELECT max(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'assignee.changed'))",
  },
  // The customer's latest real message (not an auto-reply) with no reply after it.
  no_agent_reply_for: {
    states: "t.status IN ('new', 'open')",
    start: `(SELECT max(m.created_at) FROM messages m
              WHERE m.ticket_id = t.id AND m.direction = 'inbound' AND NOT (m.flags && '{auto_reply,bulk,bounce}'::text[])
                AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.ticket_id = t.id AND o.direction = 'outbound' AND o.created_at >= m.created_at))`,
  },
  pending_for: {
    states: "t.status = 'pending'",
    start: "COALESCE((SELECT max(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'status.changed' AND e.data->>'to' = 'pending'), t.created_at)",
  },
};

/** The only code that queries routing rules, their firings, the team queues and assignment state. */
@Injectable()
export class RoutingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private rules(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(RoutingRule);
  }

  // ---- rules ----
  listRules(): Promise<RoutingRule[]> {
    return this.rules().find({ order: { position: 'ASC', createdAt: 'ASC' } });
  }

  /** Active event rules for a trigger, in evaluation order. */
  eventRules(trigger: RoutingRule['triggers'][number], manager?: EntityManager): Promise<RoutingRule[]> {
    return this.rules(manager)
      .createQueryBuilder('rule')
      .where('rule.isActive AND rule.timeCondition IS NULL AND :trigger = ANY(rule.triggers)', { trigger })
      .orderBy('rule.position', 'ASC')
      .addOrderBy('rule.createdAt', 'ASC')
      .getMany();
  }

  timeRules(): Promise<RoutingRule[]> {
    return this.rules()
      .createQueryBuilder('rule')
      .where('rule.isActive AND rule.timeCondition IS NOT NULL')
      .orderBy('rule.position', 'ASC')
      .addOrderBy('rule.createdAt', 'ASC')
      .getMany();
  }

  findRule(id: string): Promise<RoutingRule | null> {
    return this.rules().findOneBy({ id });
  }

  /** Saves a rule; a new one goes last. */
  async saveRule(rule: Partial<RoutingRule>): Promise<RoutingRule> {
    if (rule.id) return this.rules().save(rule);
    return this.transaction(async (manager) => {
      // Serialises concurrent creations so two new rules never share a position.
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('careloop.routing_rules.position'))");
      const [{ next }] = await manager.query<{ next: number }[]>('SELECT COALESCE(max(position) + 1, 0) AS next FROM routing_rules');
      return this.rules(manager).save({ ...rule, position: next });
    });
  }

  async deleteRule(id: string): Promise<boolean> {
    const result = await this.rules().delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async reorder(ruleIds: string[]): Promise<void> {
    await this.transaction(async (manager) => {
      await manager.query('UPDATE routing_rules SET position = array_position($1::uuid[], id) - 1 WHERE id = ANY($1::uuid[])', [ruleIds]);
    });
  }

  calendars(ids: string[]): Promise<BusinessCalendarEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(BusinessCalendarEntity).findBy({ id: In(ids) });
  }

  // ---- facts ----
  findMessage(id: string, manager?: EntityManager): Promise<Message | null> {
    return (manager ?? this.dataSource.manager).getRepository(Message).findOneBy({ id });
  }

  /** The customer message rules read for a ticket: its first (on creation) or latest inbound one. */
  inboundMessage(ticketId: string, which: 'first' | 'latest', manager?: EntityManager): Promise<Message | null> {
    const order = which === 'first' ? 'ASC' : 'DESC';
    return (manager ?? this.dataSource.manager).getRepository(Message).findOne({ where: { ticketId, direction: 'inbound' }, order: { createdAt: order, id: order } });
  }

  /** The newest tickets with their customers, for a dry run. */
  latestTickets(limit: number): Promise<Ticket[]> {
    return this.dataSource.getRepository(Ticket).find({ relations: { customer: true }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** The first inbound message of each ticket. */
  async firstInboundMessages(ticketIds: string[]): Promise<Map<string, Message>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .distinctOn(['m.ticketId'])
      .where("m.ticketId IN (:...ticketIds) AND m.direction = 'inbound'", { ticketIds })
      .orderBy('m.ticketId')
      .addOrderBy('m.createdAt', 'ASC')
      .getMany();
    return new Map(rows.map((message) => [message.ticketId, message]));
  }

  // ---- assignment ----
  /**
   * Takes the team's assignment lock until the transaction ends and returns who got the last
   * round-robin ticket. Every pick and queue drain for the team runs under it.
   */
  async lockTeam(teamId: string, manager: EntityManager): Promise<string | null> {
    await manager.query('INSERT INTO team_routing_state (team_id) VALUES ($1) ON CONFLICT DO NOTHING', [teamId]);
    const [row] = await manager.query<{ last_assignee_id: string | null }[]>('SELECT last_assignee_id FROM team_routing_state WHERE team_id = $1 FOR UPDATE', [teamId]);
    return row?.last_assignee_id ?? null;
  }

  async setLastAssignee(teamId: string, userId: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE team_routing_state SET last_assignee_id = $2 WHERE team_id = $1', [teamId, userId]);
  }

  /** The team's active, available agents below capacity (open tickets counted), by id. */
  candidates(teamId: string, manager: EntityManager): Promise<AssignmentCandidate[]> {
    return manager.query<AssignmentCandidate[]>(
      `SELECT u.id AS "userId", u.name, count(t.id)::int AS "openCount"
         FROM team_members m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN tickets t ON t.assignee_id = u.id AND t.status = ANY($2::ticket_status[])
        WHERE m.team_id = $1 AND u.is_active AND u.availability = 'available'
        GROUP BY u.id
       HAVING count(t.id) < u.capacity
        ORDER BY u.id`,
      [teamId, ACTIVE_STATUSES],
    );
  }

  async enqueue(ticketId: string, teamId: string, strategy: AssignStrategy, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO routing_queue (ticket_id, team_id, strategy, queued_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ticket_id) DO UPDATE SET team_id = EXCLUDED.team_id, strategy = EXCLUDED.strategy`,
      [ticketId, teamId, strategy, at],
    );
  }

  async dequeue(ticketId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(QueuedTicket).delete({ ticketId });
  }

  /** The open tickets still assigned to this person once they are deactivated (none while they are active). */
  async openTicketIdsOfDeactivated(userId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT k.id FROM tickets k JOIN users u ON u.id = k.assignee_id AND NOT u.is_active
        WHERE k.assignee_id = $1 AND k.status = ANY($2) ORDER BY k.created_at, k.id`,
      [userId, ACTIVE_STATUSES],
    );
    return rows.map((row) => row.id);
  }

  async queuedTeamIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ team_id: string }[]>('SELECT DISTINCT team_id FROM routing_queue');
    return rows.map((row) => row.team_id);
  }

  /** The team's waiting tickets, oldest first, locked; tickets another transaction holds are left for the next drain. */
  claimQueued(teamId: string, limit: number, manager: EntityManager): Promise<{ ticketId: string; strategy: AssignStrategy; queuedAt: Date }[]> {
    return manager.query(
      `SELECT q.ticket_id AS "ticketId", q.strategy, q.queued_at AS "queuedAt"
         FROM routing_queue q JOIN tickets t ON t.id = q.ticket_id
        WHERE q.team_id = $1
        ORDER BY q.queued_at, q.ticket_id
        LIMIT $2
          FOR UPDATE OF q, t SKIP LOCKED`,
      [teamId, limit],
    );
  }

  // ---- time-based rules ----
  /**
   * Tickets whose timed state began at or before `startedBefore`, after the keyset position `after`, that
   * this rule has not fired on for that window; locked, skipping tickets another instance holds.
   */
  dueTickets(ruleId: string, condition: TimeCondition['type'], startedBefore: Date, after: DueTicket | null, limit: number, manager: EntityManager): Promise<DueTicket[]> {
    const window = WINDOWS[condition];
    return manager.query<DueTicket[]>(
      `SELECT c.ticket_id AS "ticketId", c.window_start AS "windowStart"
         FROM (SELECT t.id AS ticket_id, date_trunc('milliseconds', ${window.start}) AS window_start FROM tickets t WHERE ${window.states}) c
         JOIN tickets t ON t.id = c.ticket_id
        WHERE c.window_start <= $2
          AND (c.window_start, c.ticket_id) > ($3::timestamptz, $4::uuid)
          AND NOT EXISTS (SELECT 1 FROM routing_rule_firings f WHERE f.rule_id = $1 AND f.ticket_id = c.ticket_id AND f.window_start = c.window_start)
        ORDER BY c.window_start, c.ticket_id
        LIMIT $5
          FOR UPDATE OF t SKIP LOCKED`,
      [ruleId, startedBefore, after?.windowStart ?? new Date(0), after?.ticketId ?? '00000000-0000-0000-0000-000000000000', limit],
    );
  }

  /** Records a firing; false when this rule already fired on this ticket for this window. */
  async recordFiring(ruleId: string, ticketId: string, windowStart: Date, firedAt: Date, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'INSERT INTO routing_rule_firings (rule_id, ticket_id, window_start, fired_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
      [ruleId, ticketId, windowStart, firedAt],
    );
    return rows.length > 0;
  }
}
