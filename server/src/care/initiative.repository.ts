import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { InitiativeStatus } from '../../../contracts/care';
import type { WeekCounts } from './impact';
import { InitiativeComment } from './initiative-comment.entity';
import { Initiative } from './initiative.entity';
import { readableTicketSql, type TicketScope } from '../tickets/ticket-access';

export interface InitiativeRow extends Initiative {
  tagNames: string[];
  ticketCount: number;
  commentCount: number;
}

export interface LinkedTicketRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  created_at: Date;
  linked_at: Date;
}

/**
 * A ticket belongs to an initiative when it has one of its tags or is in its cluster (either, when both are given),
 * and, if the initiative has a query, its text matches it. With neither tags nor cluster, the query alone decides.
 */
const QUERY_MATCHES = `(i.query IS NULL OR EXISTS (SELECT 1 FROM tickets qt WHERE qt.id = c.ticket_id AND qt.search_vector @@ websearch_to_tsquery('english', i.query)))`;

const WITH_COUNTS = `SELECT i.*,
    ARRAY(SELECT t.name FROM tags t WHERE t.id = ANY(i.tag_ids) ORDER BY t.name) AS tag_names,
    (SELECT count(*) FROM care_initiative_tickets it WHERE it.initiative_id = i.id)::int AS ticket_count,
    (SELECT count(*) FROM care_initiative_comments ic WHERE ic.initiative_id = i.id)::int AS comment_count
  FROM care_initiatives i`;

const COMMENTS = `SELECT c.id, c.initiative_id AS "initiativeId", c.author_id AS "authorId", u.name AS "authorName", c.body, c.created_at AS "createdAt"
  FROM care_initiative_comments c LEFT JOIN users u ON u.id = c.author_id`;

@Injectable()
export class InitiativeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async board(): Promise<InitiativeRow[]> {
    return this.withCounts(await this.dataSource.query(`${WITH_COUNTS} ORDER BY i.status, i.position, i.created_at`));
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<InitiativeRow | null> {
    const [row] = this.withCounts(await manager.query(`${WITH_COUNTS} WHERE i.id = $1`, [id]));
    return row ?? null;
  }

  /** The ids of these tag names (unknown names are left out). */
  async tagIds(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT id FROM tags WHERE name = ANY($1::text[]) ORDER BY name', [names]);
    return rows.map((row) => row.id);
  }

  /** Inserts a new initiative at the top of its column. */
  async insert(fields: Partial<Initiative>, manager: EntityManager): Promise<string> {
    const repository = manager.getRepository(Initiative);
    await this.lockColumn(fields.status ?? 'proposed', manager);
    await repository.increment({ status: fields.status ?? 'proposed' }, 'position', 1);
    const initiative = repository.create({ ...fields, position: 0 });
    await repository.insert(initiative);
    return initiative.id;
  }

  async update(id: string, changes: Partial<Initiative>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Initiative).update({ id }, changes);
  }

  /** Puts an initiative at `index` of `status`'s column and renumbers both columns, under a lock on them. */
  async move(id: string, status: InitiativeStatus, index: number, manager: EntityManager): Promise<void> {
    const repository = manager.getRepository(Initiative);
    const current = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) return;
    const column = (await this.lockColumn(status, manager)).filter((other) => other.id !== id);
    column.splice(Math.min(index, column.length), 0, { id });
    for (const [position, entry] of column.entries()) await repository.update({ id: entry.id }, { position, ...(entry.id === id ? { status } : {}) });
    if (current.status !== status) {
      const left = await this.lockColumn(current.status, manager);
      for (const [position, entry] of left.entries()) await repository.update({ id: entry.id }, { position });
    }
  }

  /** Links every existing ticket that matches the initiative; returns how many were linked. */
  async linkAllMatching(initiativeId: string, at: Date, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO care_initiative_tickets (initiative_id, ticket_id, linked_at)
       SELECT i.id, c.ticket_id, $2 FROM care_initiatives i
       CROSS JOIN LATERAL (
         SELECT tt.ticket_id FROM ticket_tags tt WHERE tt.tag_id = ANY(i.tag_ids)
         UNION SELECT m.ticket_id FROM ticket_cluster_members m WHERE m.cluster_id = i.cluster_id
         UNION SELECT t.id FROM tickets t
          WHERE cardinality(i.tag_ids) = 0 AND i.cluster_id IS NULL AND t.search_vector @@ websearch_to_tsquery('english', i.query)
       ) c
       WHERE i.id = $1 AND ${QUERY_MATCHES}
       ON CONFLICT DO NOTHING RETURNING ticket_id`,
      [initiativeId, at],
    );
    return rows.length;
  }

  /**
   * Links tickets (in one statement) to every open initiative each now matches; returns the new links in the
   * order of `ticketIds`. Tickets that no longer exist are left out.
   */
  async linkTickets(ticketIds: string[], at: Date, manager: EntityManager): Promise<{ initiativeId: string; ticketId: string }[]> {
    if (ticketIds.length === 0) return [];
    const rows = await manager.query<{ initiative_id: string; ticket_id: string }[]>(
      `INSERT INTO care_initiative_tickets (initiative_id, ticket_id, linked_at)
       SELECT i.id, c.ticket_id, $2 FROM care_initiatives i, (SELECT t.id AS ticket_id FROM tickets t WHERE t.id = ANY($1::uuid[])) c
       WHERE i.status <> 'done'
         AND (EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = c.ticket_id AND tt.tag_id = ANY(i.tag_ids))
              OR EXISTS (SELECT 1 FROM ticket_cluster_members m WHERE m.ticket_id = c.ticket_id AND m.cluster_id = i.cluster_id)
              OR (cardinality(i.tag_ids) = 0 AND i.cluster_id IS NULL))
         AND ${QUERY_MATCHES}
       ON CONFLICT DO NOTHING RETURNING initiative_id, ticket_id`,
      [ticketIds, at],
    );
    const order = new Map(ticketIds.map((id, index) => [id, index]));
    return rows.map((row) => ({ initiativeId: row.initiative_id, ticketId: row.ticket_id })).sort((a, b) => (order.get(a.ticketId) ?? 0) - (order.get(b.ticketId) ?? 0));
  }

  async unlinkAll(initiativeId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM care_initiative_tickets WHERE initiative_id = $1', [initiativeId]);
  }

  /** After a tag merge: initiatives that named the merged tag name the surviving one. */
  async replaceTag(fromTagId: string, intoTagId: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
      `WITH updated AS (
         UPDATE care_initiatives
            SET tag_ids = ARRAY(SELECT DISTINCT unnest(array_replace(tag_ids, $1::uuid, $2::uuid))), updated_at = now()
          WHERE $1::uuid = ANY(tag_ids) RETURNING id
       )
       SELECT id FROM updated`,
      [fromTagId, intoTagId],
    );
    return rows.map((row) => row.id);
  }

  /** Linked tickets, newest first, leaving out those outside the viewer's scope. */
  async tickets(initiativeId: string, scope: TicketScope, limit: number): Promise<{ items: LinkedTicketRow[]; total: number }> {
    const visible = `it.initiative_id = $1 AND ${readableTicketSql('t', '$2', '$3')}`;
    const [items, [{ total }]] = await Promise.all([
      this.dataSource.query<LinkedTicketRow[]>(
        `SELECT t.id, t.number, t.subject, t.status, t.created_at, it.linked_at
           FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id
          WHERE ${visible} ORDER BY t.created_at DESC, t.id LIMIT $4`,
        [initiativeId, scope.hiddenTeamIds, scope.hidesUnrouted, limit],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id WHERE ${visible}`,
        [initiativeId, scope.hiddenTeamIds, scope.hidesUnrouted],
      ),
    ]);
    return { items, total };
  }

  /** Linked tickets and active subscribers per week, weeks counted from `anchor`, offsets `from` to `to`. */
  async weeklyCounts(initiativeId: string, anchor: Date, from: number, to: number): Promise<WeekCounts[]> {
    return this.dataSource.query<WeekCounts[]>(
      `WITH weeks AS (
         SELECT k AS "offset", $2::timestamptz + k * interval '7 days' AS week_start FROM generate_series($3::int, $4::int) k
       ), linked AS (
         SELECT floor(extract(epoch FROM t.created_at - $2::timestamptz) / 604800)::int AS "offset", count(*)::int AS tickets
           FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id
          WHERE it.initiative_id = $1 AND t.created_at >= $2::timestamptz + $3::int * interval '7 days'
            AND t.created_at < $2::timestamptz + ($4::int + 1) * interval '7 days'
          GROUP BY 1
       )
       SELECT w."offset", coalesce(l.tickets, 0) AS tickets,
              (SELECT count(*) FROM customers c
                WHERE c.subscription_started_at < w.week_start + interval '7 days'
                  AND (c.cancelled_at IS NULL OR c.cancelled_at >= w.week_start))::int AS "activeSubscribers"
         FROM weeks w LEFT JOIN linked l USING ("offset")
        ORDER BY w."offset"`,
      [initiativeId, anchor, from, to],
    );
  }

  comments(initiativeId: string): Promise<(InitiativeComment & { authorName: string | null })[]> {
    return this.dataSource.query(`${COMMENTS} WHERE c.initiative_id = $1 ORDER BY c.created_at, c.id`, [initiativeId]);
  }

  async insertComment(fields: Partial<InitiativeComment>, manager: EntityManager): Promise<string> {
    const repository = manager.getRepository(InitiativeComment);
    const comment = repository.create(fields);
    await repository.insert(comment);
    return comment.id;
  }

  async findComment(id: string): Promise<(InitiativeComment & { authorName: string | null }) | null> {
    const [row] = await this.dataSource.query<(InitiativeComment & { authorName: string | null })[]>(`${COMMENTS} WHERE c.id = $1`, [id]);
    return row ?? null;
  }

  /** The column's cards in order, locked until the transaction ends so concurrent moves serialise. */
  private lockColumn(status: InitiativeStatus, manager: EntityManager): Promise<{ id: string }[]> {
    return manager.query<{ id: string }[]>('SELECT id FROM care_initiatives WHERE status = $1 ORDER BY position, created_at FOR UPDATE', [status]);
  }

  private withCounts(rows: Record<string, unknown>[]): InitiativeRow[] {
    const repository = this.dataSource.getRepository(Initiative);
    return rows.map((row) => {
      const entity = repository.create();
      // Raw rows carry snake_case columns; map them back onto the entity's properties.
      for (const column of repository.metadata.columns) entity[column.propertyName as keyof Initiative] = row[column.databaseName] as never;
      return Object.assign(entity, { tagNames: row.tag_names as string[], ticketCount: row.ticket_count as number, commentCount: row.comment_count as number });
    });
  }
}
