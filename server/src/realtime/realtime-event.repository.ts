import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LoggedEventName, ReplayedEvent } from '../../../contracts/events';
import type { Audience } from './realtime.types';

/**
 * The realtime log (`realtime_events`): one row per pushed event, whose id is the event's `seq`.
 * Plain SQL, without an entity: rows are written once, read by range and pruned by age.
 */
@Injectable()
export class RealtimeEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records events with one statement; returns their seqs in the order given. An entry whose `source` (the
   * domain event it was pushed for) was recorded under this name before keeps that row and its seq.
   */
  async insert(name: LoggedEventName, entries: { payload: object; audience: Audience; source?: string }[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const sources = entries.map((entry) => (entry.source === undefined ? null : `${name}:${entry.source}`));
    // Arrays of arrays do not nest in unnest(): the rooms travel as JSON and are unpacked per row.
    const rows = await this.dataSource.query<{ id: string; source: string | null }[]>(
      `INSERT INTO realtime_events (name, rooms, except_rooms, payload, source)
       SELECT $1, ARRAY(SELECT jsonb_array_elements_text(e.audience->'rooms')), ARRAY(SELECT jsonb_array_elements_text(e.audience->'except')), e.payload, e.source
         FROM unnest($2::jsonb[], $3::jsonb[], $4::text[]) WITH ORDINALITY AS e(payload, audience, source, position)
        ORDER BY e.position
       ON CONFLICT (source) DO UPDATE SET source = EXCLUDED.source
       RETURNING id, source`,
      [name, entries.map((entry) => JSON.stringify(entry.payload)), entries.map(({ audience }) => JSON.stringify({ rooms: audience.rooms, except: audience.except ?? [] })), sources],
    );
    const bySource = new Map(rows.flatMap((row) => (row.source === null ? [] : [[row.source, Number(row.id)] as const])));
    // Ids are drawn in insertion order (ORDER BY position), so ascending new ids are the new entries' order.
    const fresh = rows.filter((row) => row.source === null).map((row) => Number(row.id)).sort((a, b) => a - b);
    return sources.map((source) => (source === null ? (fresh.shift() as number) : (bySource.get(source) as number)));
  }

  /** Events a socket in `rooms` may see with seq > since, oldest first. */
  after(since: number, rooms: string[], limit: number): Promise<ReplayedEvent[]> {
    return this.select('id > $1', [since], rooms, limit);
  }

  /**
   * Events a socket in `rooms` may see with seq <= since that were recorded at most `seconds` before
   * the event `since`: they may have committed, and been pushed, after it.
   */
  recordedShortlyBefore(since: number, rooms: string[], seconds: number, limit: number): Promise<ReplayedEvent[]> {
    return this.select(
      `id <= $1 AND created_at >= (SELECT created_at FROM realtime_events WHERE id <= $1 ORDER BY id DESC LIMIT 1) - make_interval(secs => $2)`,
      [since, seconds],
      rooms,
      limit,
    );
  }

  private async select(condition: string, values: unknown[], rooms: string[], limit: number): Promise<ReplayedEvent[]> {
    const roomsParam = `$${values.length + 1}::text[]`;
    const rows = await this.dataSource.query<{ id: string; name: LoggedEventName; payload: object }[]>(
      `SELECT id, name, payload FROM realtime_events
        WHERE ${condition} AND rooms && ${roomsParam} AND NOT except_rooms && ${roomsParam}
        ORDER BY id LIMIT $${values.length + 2}`,
      [...values, rooms, limit],
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
