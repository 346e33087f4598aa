import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import type { Availability, Role } from '../../../contracts/domain';
import type { NotificationPreferences } from '../../../contracts/notifications';
import { Notification } from './notification.entity';

/** A person who may receive notifications, with what decides whether and how. */
export interface Recipient {
  id: string;
  email: string;
  name: string;
  role: Role;
  availability: Availability;
  teamIds: string[];
  preferences: Partial<NotificationPreferences>;
}

export type NewNotification = Pick<Notification, 'userId' | 'kind' | 'ticketId' | 'dedupeKey' | 'data'>;

/** The only code that queries notifications and the facts that decide who receives them. */
@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private notifications(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Notification);
  }

  /** Inserts with one statement; a notification whose (person, dedupe key) exists is skipped. Returns those inserted. */
  async insertNew(rows: NewNotification[], manager: EntityManager): Promise<Pick<Notification, 'id' | 'userId' | 'kind'>[]> {
    if (rows.length === 0) return [];
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(rows)
      .orIgnore()
      .returning(['id', 'userId', 'kind'])
      .execute();
    return (result.raw as { id: string; user_id: string; kind: Notification['kind'] }[]).map((row) => ({ id: row.id, userId: row.user_id, kind: row.kind }));
  }

  list(userId: string, unreadOnly: boolean, limit: number): Promise<Notification[]> {
    return this.notifications().find({ where: { userId, ...(unreadOnly ? { readAt: IsNull() } : {}) }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  unreadCount(userId: string): Promise<number> {
    return this.notifications().countBy({ userId, readAt: IsNull() });
  }

  findByIds(ids: string[]): Promise<Notification[]> {
    return ids.length ? this.notifications().find({ where: { id: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } }) : Promise.resolve([]);
  }

  async markRead(userId: string, ids: string[] | 'all', now: Date): Promise<void> {
    const query = this.dataSource.createQueryBuilder().update(Notification).set({ readAt: now }).where('user_id = :userId AND read_at IS NULL', { userId });
    if (ids !== 'all') query.andWhere('id IN (:...ids)', { ids });
    await query.execute();
  }

  /** Active people by id, with their teams and notification choices. */
  async recipients(ids: string[]): Promise<Map<string, Recipient>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<(Omit<Recipient, 'preferences'> & { preferences: Recipient['preferences'] })[]>(
      `SELECT u.id, u.email, u.name, u.role, u.availability, u.notification_preferences AS preferences,
              COALESCE(array_agg(tm.team_id) FILTER (WHERE tm.team_id IS NOT NULL), '{}') AS "teamIds"
         FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
        WHERE u.id = ANY($1::uuid[]) AND u.is_active
        GROUP BY u.id`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * The leads to tell about each ticket: the active leads in its team, or every active lead when it has no
   * team or its team has none.
   */
  async leadsOfTickets(ticketIds: string[]): Promise<Map<string, string[]>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ ticket_id: string; user_id: string }[]>(
      `WITH leads AS (
         SELECT u.id, ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = u.id) AS team_ids
           FROM users u WHERE u.role = 'lead' AND u.is_active
       ), tickets AS (
         SELECT k.id, k.team_id, EXISTS (SELECT 1 FROM leads l WHERE k.team_id = ANY(l.team_ids)) AS team_has_lead
           FROM tickets k WHERE k.id = ANY($1::uuid[])
       )
       SELECT k.id AS ticket_id, l.id AS user_id
         FROM tickets k JOIN leads l ON (k.team_has_lead AND k.team_id = ANY(l.team_ids)) OR NOT k.team_has_lead
        ORDER BY l.id`,
      [[...new Set(ticketIds)]],
    );
    const leads = new Map<string, string[]>();
    for (const row of rows) leads.set(row.ticket_id, [...(leads.get(row.ticket_id) ?? []), row.user_id]);
    return leads;
  }

  /** Of these SLA targets, those whose policy tells leads (its escalation does not switch that off). */
  async targetsNotifyingLeads(targetIds: string[]): Promise<Set<string>> {
    if (targetIds.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT s.id FROM sla_targets s LEFT JOIN sla_policies p ON p.id = s.policy_id
        WHERE s.id = ANY($1::uuid[]) AND COALESCE((p.escalation->>'notifyLead')::boolean, true)`,
      [targetIds],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Notifications still to be emailed, locked for this sender (another worker skips them). */
  claimUnemailed(ids: string[], manager: EntityManager): Promise<Notification[]> {
    return this.notifications(manager)
      .createQueryBuilder('notification')
      .where('notification.id IN (:...ids) AND notification.emailedAt IS NULL', { ids })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async markEmailed(ids: string[], now: Date, manager: EntityManager): Promise<void> {
    if (ids.length) await this.notifications(manager).update({ id: In(ids) }, { emailedAt: now });
  }
}
