import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LoggedEventName, ReplayedEvent } from '../../../contracts/events';
import type { Audience } from './realtime.types';
import { readableTicketSql, type TicketScope } from '../tickets/ticket-access';

/** Logged events that carry a ticket's content (subject, snippet, customer, messages). */
export const TICKET_CONTENT_EVENTS: LoggedEventName[] = ['ticket.created', 'ticket.updated', 'message.created', 'message.updated'];

/** Who asks for a replay: the rooms of their socket, and the private teams whose tickets they may not read now. */
export interface ReplayAsker {
  rooms: string[];
  scope: TicketScope;
}

/**
 * The realtime log (`realtime_events`): one row per pushed event, whose id is the event's `seq`.
 * Plain SQL, without an entity: rows are written once, read by range and pruned by age.
 */
@Injectable()
export class RealtimeEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records events with one statement; returns their seqs in the order given. Each is kept with the ticket it
   * is about; an entry whose `source` (the domain event it was pushed for) was recorded under this name before
   * keeps that row and its seq.
   */
  async insert(name: LoggedEventName, entries: { payload: object; audience: Audience; ticketId: string | null; source?: string }[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const sources = entries.map((entry) => (entry.source === undefined ? null : `${name}:${entry.source}`));
    // Arrays of arrays do not nest in unnest(): the rooms travel as JSON and are unpacked per row.
    const rows = await this.dataSource.query<{ id: string; source: string | null }[]>(
      `INSERT INTO realtime_events (name, rooms, except_rooms, payload, source, ticket_id)
       SELECT $1, ARRAY(SELECT jsonb_array_elements_text(e.audience->'rooms')), ARRAY(SELECT jsonb_array_elements_text(e.audience->'except')), e.payload, e.source, e.ticket_id
         FROM unnest($2::jsonb[], $3::jsonb[], $4::text[], $5::uuid[]) WITH ORDINALITY AS e(payload, audience, source, ticket_id, position)
        ORDER BY e.position
       ON CONFLICT (source) DO UPDATE SET source = EXCLUDED.source
       RETURNING id, source`,
      [
        name,
        entries.map((entry) => JSON.stringify(entry.payload)),
        entries.map(({ audience }) => JSON.stringify({ rooms: audience.rooms, except: audience.except ?? [] })),
        sources,
        entries.map((entry) => entry.ticketId),
      ],
    );
    const bySource = new Map(rows.flatMap((row) => (row.source === null ? [] : [[row.source, Number(row.id)] as const])));
    // Ids are drawn in insertion order (ORDER BY position), so ascending new ids are the new entries' order.
    const fresh = rows.filter((row) => row.source === null).map((row) => Number(row.id)).sort((a, b) => a - b);
    return sources.map((source) => (source === null ? (fresh.shift() as number) : (bySource.get(source) as number)));
  }

  /** Events the asker may see now with seq > since, oldest first. */
  after(since: number, asker: ReplayAsker, limit: number): Promise<ReplayedEvent[]> {
    return this.select('e.id > $1', [since], asker, limit);
  }

  /**
   * Events a socket in `rooms` may see with seq <= since that were recorded at most `seconds` before
   * the event `since`: they may have committed, and been pushed, after it.
   */
  recordedShortlyBefore(since: number, asker: ReplayAsker, seconds: number, limit: number): Promise<ReplayedEvent[]> {
    return this.select(
      `e.id <= $1 AND e.created_at >= (SELECT created_at FROM realtime_events WHERE id <= $1 ORDER BY id DESC LIMIT 1) - make_interval(secs => $2)`,
      [since, seconds],
      asker,
      limit,
    );
  }

  /**
   * An event that carries a ticket's content is replayed when the asker may read that ticket now (its team as
   * of now, not when the event was pushed); any other event when it was sent to one of the asker's rooms.
   */
  private async select(condition: string, values: unknown[], asker: ReplayAsker, limit: number): Promise<ReplayedEvent[]> {
    const [content, rooms, hiddenTeamIds, hidesUnrouted, limitParam] = [1, 2, 3, 4, 5].map((offset) => `$${values.length + offset}`);
    const rows = await this.dataSource.query<{ id: string; name: LoggedEventName; payload: object }[]>(
      `SELECT e.id, e.name, e.payload FROM realtime_events e LEFT JOIN tickets t ON t.id = e.ticket_id
        WHERE ${condition}
          AND CASE WHEN e.name = ANY(${content}::text[])
                   THEN t.id IS NOT NULL AND NOT t.awaiting_routing AND ${readableTicketSql('t', hiddenTeamIds, hidesUnrouted)}
                   ELSE e.rooms && ${rooms}::text[] AND NOT e.except_rooms && ${rooms}::text[] END
        ORDER BY e.id LIMIT ${limitParam}`,
      [...values, TICKET_CONTENT_EVENTS, asker.rooms, asker.scope.hiddenTeamIds, asker.scope.hidesUnrouted, limit],
    );
    return rows.map((row) => ({ name: row.name, payload: { ...row.payload, seq: Number(row.id) } }) as ReplayedEvent);
  }

  /** The newest seq handed out, and the oldest one still kept (the next to be handed out if none is). */
  async bounds(): Promise<{ latest: number; oldestKept: number }> {
    const [row] = await this.dataSource.query<{ latest: string; oldest_kept: string }[]>(
      `SELECT s.latest, COALESCE((SELECT min(id) FROM realtime_events), s.latest + 1) AS oldest_kept
         FROM (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS latest FROM realtime_events_id_seq) s`,
    );
    return { latest: Number(row.latest), oldestKept: Number(row.oldest_kept) };
  }

  async pruneOlderThan(hours: number): Promise<void> {
    await this.dataSource.query('DELETE FROM realtime_events WHERE created_at < now() - make_interval(hours => $1)', [hours]);
  }
}
