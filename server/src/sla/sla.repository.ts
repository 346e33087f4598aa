import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { TicketPriority, TicketStatus } from '../../../contracts/domain';
import type { SlaReportGroup, SlaTargetKind } from '../../../contracts/sla';
import { Message } from '../tickets/message.entity';
import { TicketEvent } from '../tickets/ticket-event.entity';
import { BusinessCalendarEntity } from './business-calendar.entity';
import type { SlaClockState } from './clock';
import { SlaPolicy } from './sla-policy.entity';
import type { TicketFacts } from './sla-rules';
import { SlaTarget } from './sla-target.entity';

/** What the engine reads of a message. */
export type MessageFacts = Pick<Message, 'id' | 'direction' | 'authorId' | 'flags' | 'createdAt'>;

/** A target as the engine writes it: an existing one (with id) or a new one. */
export type TargetWrite = SlaClockState &
  Pick<SlaTarget, 'ticketId' | 'policyId' | 'kind' | 'decidedAt'> & {
    id?: string;
    createdAt?: Date;
  };

export interface TicketSlaFacts extends TicketFacts {
  id: string;
  status: TicketStatus;
  createdAt: Date;
  firstReplyAt: Date | null;
}

/** A target the scheduler has just claimed for its warning or breach. */
export interface ClaimedTarget {
  id: string;
  ticketId: string;
  teamId: string | null;
  priority: TicketPriority;
  policyId: string | null;
  kind: SlaTargetKind;
  dueAt: Date;
}

export interface ClockRow {
  id: string;
  targetMinutes: number;
  spentMinutes: number;
  runningSince: Date | null;
  pausedAt: Date | null;
  dueAt: Date | null;
  warnAt: Date | null;
}

export interface ReportRow {
  key: string | null;
  label: string | null;
  total: number;
  met: number;
  breached: number;
}

/** An SLA target (alias s) met or breached, as every achievement figure counts it (SLA report, service reports). */
export const SLA_TARGET_MET_SQL = 's.achieved_at IS NOT NULL AND s.breached_at IS NULL AND s.spent_minutes < s.target_minutes';
export const SLA_TARGET_BREACHED_SQL = 's.breached_at IS NOT NULL OR s.spent_minutes >= s.target_minutes';

const REPORT_GROUPS: Record<SlaReportGroup, { key: string; label: string; join: string }> = {
  policy: { key: 's.policy_id::text', label: 'p.name', join: 'LEFT JOIN sla_policies p ON p.id = s.policy_id' },
  team: { key: 'k.team_id::text', label: 'tm.name', join: 'LEFT JOIN teams tm ON tm.id = k.team_id' },
  agent: { key: 'k.assignee_id::text', label: 'u.name', join: 'LEFT JOIN users u ON u.id = k.assignee_id' },
  day: { key: "to_char(s.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", label: "to_char(s.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", join: '' },
};

/** A claimed warning or breach: locks the target and its ticket, skipping rows another instance holds. */
function claimSql(condition: string, orderColumn: string, set: string): string {
  return `
    WITH claimable AS (
      SELECT s.id FROM sla_targets s JOIN tickets k ON k.id = s.ticket_id
      WHERE ${condition}
      ORDER BY s.${orderColumn} LIMIT $2
      FOR UPDATE OF s, k SKIP LOCKED
    )
    UPDATE sla_targets s SET ${set}, updated_at = $1 FROM claimable c, tickets k
    WHERE s.id = c.id AND k.id = s.ticket_id
    RETURNING s.id, s.ticket_id AS "ticketId", k.team_id AS "teamId", k.priority, s.policy_id AS "policyId", s.kind, s.due_at AS "dueAt"`;
}

const CLAIM_WARNINGS = claimSql(
  's.warn_at <= $1 AND s.achieved_at IS NULL AND s.warned_at IS NULL AND s.breached_at IS NULL AND s.warn_at IS NOT NULL',
  'warn_at',
  'warned_at = $1',
);
/** A target with a warning breaches only once it has warned, so a warning never follows its breach. */
const CLAIM_BREACHES = claimSql(
  's.due_at <= $1 AND s.achieved_at IS NULL AND s.breached_at IS NULL AND s.due_at IS NOT NULL AND (s.warn_at IS NULL OR s.warned_at IS NOT NULL)',
  'due_at',
  'breached_at = $1, decided_at = COALESCE(s.decided_at, $1)',
);

/** The only code that queries SLA policies, calendars and targets. */
@Injectable()
export class SlaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // ---- policies & calendars ----
  policies(manager: EntityManager = this.dataSource.manager): Promise<SlaPolicy[]> {
    return manager.getRepository(SlaPolicy).find({ relations: { calendar: true }, order: { position: 'ASC', createdAt: 'ASC' } });
  }

  findPolicy(id: string): Promise<SlaPolicy | null> {
    return this.dataSource.getRepository(SlaPolicy).findOne({ where: { id }, relations: { calendar: true } });
  }

  savePolicy(policy: Partial<SlaPolicy>, manager: EntityManager = this.dataSource.manager): Promise<SlaPolicy> {
    return manager.getRepository(SlaPolicy).save(policy);
  }

  async deletePolicy(id: string): Promise<boolean> {
    return ((await this.dataSource.getRepository(SlaPolicy).delete({ id })).affected ?? 0) > 0;
  }

  async nextPolicyPosition(): Promise<number> {
    const [row] = await this.dataSource.query<{ next: number }[]>('SELECT COALESCE(MAX(position) + 1, 0)::int AS next FROM sla_policies');
    return row.next;
  }

  async setPolicyPositions(ids: string[]): Promise<void> {
    await this.dataSource.query('UPDATE sla_policies p SET position = o.position - 1, updated_at = now() FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position) WHERE p.id = o.id', [ids]);
  }

  calendars(): Promise<BusinessCalendarEntity[]> {
    return this.dataSource.getRepository(BusinessCalendarEntity).find({ order: { name: 'ASC' } });
  }

  findCalendar(id: string): Promise<BusinessCalendarEntity | null> {
    return this.dataSource.getRepository(BusinessCalendarEntity).findOneBy({ id });
  }

  findCalendarByName(name: string): Promise<BusinessCalendarEntity | null> {
    return this.dataSource.getRepository(BusinessCalendarEntity).findOneBy({ name });
  }

  saveCalendar(calendar: Partial<BusinessCalendarEntity>): Promise<BusinessCalendarEntity> {
    return this.dataSource.getRepository(BusinessCalendarEntity).save(calendar);
  }

  async deleteCalendar(id: string): Promise<boolean> {
    return ((await this.dataSource.getRepository(BusinessCalendarEntity).delete({ id })).affected ?? 0) > 0;
  }

  // ---- tickets as the engine sees them ----
  /** Read in a statement of its own after `TicketRepository.lockInIdOrder`, so it sees what the lock waited for (e.g. new tags). */
  ticketFacts(ticketIds: readonly string[], manager: EntityManager): Promise<TicketSlaFacts[]> {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return manager.query<TicketSlaFacts[]>(
      `SELECT k.id, k.status, k.priority, k.team_id AS "teamId", k.mailbox_id AS "mailboxId", k.created_at AS "createdAt",
              k.first_reply_at AS "firstReplyAt", c.plan AS "customerPlan", c.subscription_status AS "subscriptionStatus",
              ARRAY(SELECT tg.name FROM ticket_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.ticket_id = k.id) AS tags
       FROM tickets k LEFT JOIN customers c ON c.id = k.customer_id WHERE k.id = ANY($1::uuid[]) ORDER BY k.id`,
      [ticketIds],
    );
  }

  /** The messages that exist among `ids`, with what the engine looks at. */
  findMessages(ids: readonly string[], manager: EntityManager): Promise<MessageFacts[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(Message).find({ select: { id: true, direction: true, authorId: true, flags: true, createdAt: true }, where: { id: In([...ids]) } });
  }

  // ---- targets ----
  /** Open targets of each ticket (every ticket id is a key), in kind order. */
  async openTargets(ticketIds: readonly string[], manager: EntityManager): Promise<Map<string, SlaTarget[]>> {
    const open = new Map<string, SlaTarget[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return open;
    const rows = await manager.getRepository(SlaTarget).find({ where: { ticketId: In([...ticketIds]), achievedAt: IsNull() }, order: { ticketId: 'ASC', kind: 'ASC' } });
    for (const row of rows) open.get(row.ticketId)?.push(row);
    return open;
  }

  targets(ticketId: string): Promise<SlaTarget[]> {
    return this.dataSource.getRepository(SlaTarget).find({ where: { ticketId }, relations: { policy: { calendar: true } }, order: { createdAt: 'ASC', kind: 'ASC' } });
  }

  /** Each ticket's most recently achieved target of `kind`, for the tickets that have one. */
  async lastAchieved(ticketIds: readonly string[], kind: SlaTargetKind, manager: EntityManager): Promise<Map<string, SlaTarget>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await manager.getRepository(SlaTarget).find({ where: { ticketId: In([...ticketIds]), kind, achievedAt: Not(IsNull()) }, order: { achievedAt: 'ASC' } });
    // Later rows replace earlier ones: the last achieved wins.
    return new Map(rows.map((row) => [row.ticketId, row]));
  }

  /** Kinds each ticket ever had a target of (every ticket id is a key). */
  async kindsEverTargeted(ticketIds: readonly string[], manager: EntityManager): Promise<Map<string, Set<SlaTargetKind>>> {
    const kinds = new Map<string, Set<SlaTargetKind>>(ticketIds.map((id) => [id, new Set()]));
    if (ticketIds.length === 0) return kinds;
    const rows = await manager.query<{ ticketId: string; kind: SlaTargetKind }[]>('SELECT DISTINCT ticket_id AS "ticketId", kind FROM sla_targets WHERE ticket_id = ANY($1::uuid[])', [ticketIds]);
    for (const row of rows) kinds.get(row.ticketId)?.add(row.kind);
    return kinds;
  }

  /**
   * Inserts new targets (without id) and updates existing ones in one statement, in the given order, so a
   * target achieved before a new open one of its kind leaves the one-open-target-per-kind index satisfied.
   * Like an entity save, a target whose columns are all unchanged is left alone (its updated_at too).
   * The scheduler's columns (warned_at, breached_at) are never written here.
   */
  async saveTargets(targets: readonly TargetWrite[], manager: EntityManager): Promise<void> {
    if (targets.length === 0) return;
    const column = <K extends keyof TargetWrite>(key: K) => targets.map((target) => target[key] ?? null);
    await manager.query(
      `INSERT INTO sla_targets AS s (id, ticket_id, policy_id, kind, target_minutes, spent_minutes, running_since, paused_at, achieved_at, due_at, warn_at, decided_at, created_at)
       SELECT COALESCE(u.id, gen_random_uuid()), u.ticket_id, u.policy_id, u.kind, u.target_minutes, u.spent_minutes, u.running_since, u.paused_at,
              u.achieved_at, u.due_at, u.warn_at, u.decided_at, COALESCE(u.created_at, now())
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::sla_target_kind[], $5::float8[], $6::float8[], $7::timestamptz[], $8::timestamptz[],
                   $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[]) WITH ORDINALITY
         AS u(id, ticket_id, policy_id, kind, target_minutes, spent_minutes, running_since, paused_at, achieved_at, due_at, warn_at, decided_at, created_at, position)
       ORDER BY u.position
       ON CONFLICT (id) DO UPDATE SET policy_id = EXCLUDED.policy_id, target_minutes = EXCLUDED.target_minutes, spent_minutes = EXCLUDED.spent_minutes,
              running_since = EXCLUDED.running_since, paused_at = EXCLUDED.paused_at, achieved_at = EXCLUDED.achieved_at, due_at = EXCLUDED.due_at,
              warn_at = EXCLUDED.warn_at, decided_at = EXCLUDED.decided_at, updated_at = now()
       WHERE (s.policy_id, s.target_minutes, s.spent_minutes, s.running_since, s.paused_at, s.achieved_at, s.due_at, s.warn_at, s.decided_at)
             IS DISTINCT FROM (EXCLUDED.policy_id, EXCLUDED.target_minutes, EXCLUDED.spent_minutes, EXCLUDED.running_since, EXCLUDED.paused_at,
                               EXCLUDED.achieved_at, EXCLUDED.due_at, EXCLUDED.warn_at, EXCLUDED.decided_at)`,
      [
        column('id'),
        column('ticketId'),
        column('policyId'),
        column('kind'),
        column('targetMinutes'),
        column('spentMinutes'),
        column('runningSince'),
        column('pausedAt'),
        column('achievedAt'),
        column('dueAt'),
        column('warnAt'),
        column('decidedAt'),
        column('createdAt'),
      ],
    );
  }

  async deleteTargets(ids: readonly string[], manager: EntityManager): Promise<void> {
    if (ids.length) await manager.getRepository(SlaTarget).delete({ id: In([...ids]) });
  }

  /** Whether a warning or breach is due that no pass has claimed (e.g. skipped while its ticket was locked). */
  async hasUnclaimedDue(now: Date): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM sla_targets s WHERE s.achieved_at IS NULL AND s.breached_at IS NULL
           AND ((s.warn_at <= $1 AND s.warned_at IS NULL) OR (s.due_at <= $1 AND (s.warn_at IS NULL OR s.warned_at IS NOT NULL)))
       ) AS due`,
      [now],
    );
    return row.due;
  }

  claimWarnings(now: Date, limit: number, manager: EntityManager): Promise<ClaimedTarget[]> {
    return this.claim(CLAIM_WARNINGS, now, limit, manager);
  }

  claimBreaches(now: Date, limit: number, manager: EntityManager): Promise<ClaimedTarget[]> {
    return this.claim(CLAIM_BREACHES, now, limit, manager);
  }

  private async claim(sql: string, now: Date, limit: number, manager: EntityManager): Promise<ClaimedTarget[]> {
    // UPDATE … RETURNING comes back from TypeORM's postgres driver as [rows, affectedCount].
    const [rows] = await manager.query<[ClaimedTarget[], number]>(sql, [now, limit]);
    return rows;
  }

  /** Running or paused open targets of a policy, in id order after `afterId`, with their ticket's priority. */
  openTargetsOfPolicy(policyId: string, afterId: string, limit: number): Promise<(ClockRow & { priority: TicketPriority; kind: SlaTargetKind; updatedAt: Date })[]> {
    return this.dataSource.query(
      `SELECT s.id, s.kind, s.target_minutes AS "targetMinutes", s.spent_minutes AS "spentMinutes", s.running_since AS "runningSince",
              s.paused_at AS "pausedAt", s.due_at AS "dueAt", s.warn_at AS "warnAt", s.updated_at AS "updatedAt", k.priority
       FROM sla_targets s JOIN tickets k ON k.id = s.ticket_id
       WHERE s.policy_id = $1 AND s.achieved_at IS NULL AND s.id > $2 ORDER BY s.id LIMIT $3`,
      [policyId, afterId, limit],
    );
  }

  /**
   * Writes recomputed clocks, skipping any target changed since it was read (the engine's newer write wins).
   * Compared at millisecond precision, the precision of the JavaScript dates it was read into.
   */
  async updateClocks(rows: (ClockRow & { seenUpdatedAt: Date })[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
    await this.dataSource.query(
      `UPDATE sla_targets s SET target_minutes = u.target_minutes, spent_minutes = u.spent_minutes, running_since = u.running_since,
              paused_at = u.paused_at, due_at = u.due_at, warn_at = u.warn_at, updated_at = now()
       FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])
         AS u(id, target_minutes, spent_minutes, running_since, paused_at, due_at, warn_at, seen_updated_at)
       WHERE s.id = u.id AND date_trunc('milliseconds', s.updated_at) = u.seen_updated_at`,
      [
        column('id'),
        column('targetMinutes'),
        column('spentMinutes'),
        column('runningSince'),
        column('pausedAt'),
        column('dueAt'),
        column('warnAt'),
        column('seenUpdatedAt'),
      ],
    );
  }

  /**
   * Timeline entries for a batch of fired targets in one INSERT: a catch-up after downtime fires thousands, and
   * the tickets service's one-entity-at-a-time path costs a round trip each.
   */
  async insertTimelineEvents(events: Partial<TicketEvent>[], manager: EntityManager): Promise<void> {
    // jsonb `data` is a plain record, which TypeORM's deep-partial type cannot express.
    if (events.length) await manager.createQueryBuilder().insert().into(TicketEvent).values(events as QueryDeepPartialEntity<TicketEvent>[]).execute();
  }

  // ---- reporting ----
  /** Targets whose outcome became known in [from, to): met when achieved in less than their target time. */
  report(from: Date, to: Date, groupBy: SlaReportGroup): Promise<ReportRow[]> {
    const group = REPORT_GROUPS[groupBy];
    return this.dataSource.query<ReportRow[]>(
      `SELECT ${group.key} AS key, ${group.label} AS label, count(*)::int AS total,
              count(*) FILTER (WHERE ${SLA_TARGET_MET_SQL})::int AS met,
              count(*) FILTER (WHERE ${SLA_TARGET_BREACHED_SQL})::int AS breached
       FROM sla_targets s JOIN tickets k ON k.id = s.ticket_id ${group.join}
       WHERE s.decided_at >= $1 AND s.decided_at < $2
       GROUP BY 1, 2 ORDER BY 2 NULLS LAST, 1`,
      [from, to],
    );
  }
}
