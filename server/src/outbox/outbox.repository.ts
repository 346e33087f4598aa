import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DomainEvent } from '../common/domain-events';

/** A recorded event owed to one listener, as a dispatcher claims it. */
export interface ClaimedDelivery {
  listener: string;
  event: DomainEvent & { id: string };
}

/** One listener's delivery state. */
export interface ListenerDeliveryStats {
  listener: string;
  pending: number;
  retrying: number;
  dead: number;
  oldestCreatedAt: Date | null;
  lastError: string | null;
  lastFailedAt: Date | null;
}

export interface DeadLetterRow {
  listener: string;
  eventId: string;
  name: DomainEvent['name'];
  payload: DomainEvent['payload'];
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

/** How a failed delivery is retried: after `baseSeconds`, doubling per attempt up to `maxSeconds`; dead after `maxAttempts`. */
export interface RetryPolicy {
  baseSeconds: number;
  maxSeconds: number;
  maxAttempts: number;
}

/**
 * The outbox (`outbox_events`, one row per recorded event) and each listener's delivery state
 * (`event_deliveries`, one row per event a listener still owes). Plain SQL without entities: rows are written
 * in bulk, claimed with SKIP LOCKED and deleted once handled.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records events and one delivery per listener of each, in the caller's transaction (two statements for the
   * lot). Deliveries become claimable by a dispatcher after `leaseSeconds`: the recording process delivers
   * them itself meanwhile. Returns the recorded events with their ids, in the order given.
   */
  async record(events: { event: DomainEvent; listeners: string[] }[], manager: EntityManager, leaseSeconds: number): Promise<(DomainEvent & { id: string })[]> {
    if (events.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO outbox_events (name, payload)
       SELECT e.name, e.payload FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS e(name, payload, position) ORDER BY e.position
       RETURNING id`,
      [events.map(({ event }) => event.name), events.map(({ event }) => JSON.stringify(event.payload))],
    );
    // Ids are drawn in insertion order (ORDER BY position), so ascending ids are the events' order.
    const ids = rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b));
    const pairs = events.flatMap(({ listeners }, index) => listeners.map((listener) => [ids[index], listener]));
    // clock_timestamp(), not now(): the lease runs from the end of the change, however long it held its locks.
    await manager.query(
      `INSERT INTO event_deliveries (event_id, listener, available_at)
       SELECT d.event_id, d.listener, clock_timestamp() + make_interval(secs => $3) FROM unnest($1::bigint[], $2::text[]) AS d(event_id, listener)`,
      [pairs.map(([id]) => id), pairs.map(([, listener]) => listener), leaseSeconds],
    );
    return events.map(({ event }, index) => ({ ...event, id: ids[index] }));
  }

  /** Takes up to `limit` due deliveries of `listeners` (oldest events first) and leases them for `leaseSeconds`. */
  async claimDue(listeners: string[], limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    const rows = await this.dataSource.query<{ listener: string; id: string; name: DomainEvent['name']; payload: DomainEvent['payload'] }[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
      `WITH due AS (
         SELECT event_id, listener FROM event_deliveries
          WHERE dead_at IS NULL AND available_at <= now() AND listener = ANY($1::text[])
          ORDER BY event_id LIMIT $2 FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE event_deliveries d SET available_at = now() + make_interval(secs => $3)
           FROM due WHERE d.event_id = due.event_id AND d.listener = due.listener
         RETURNING d.listener, d.event_id)
       SELECT l.listener, e.id, e.name, e.payload FROM leased l JOIN outbox_events e ON e.id = l.event_id`,
      [listeners, limit, leaseSeconds],
    );
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map(({ listener, id, name, payload }) => ({ listener, event: { id, name, payload } as DomainEvent & { id: string } }));
  }

  /** Extends the lease of deliveries this process still holds. */
  async renew(listener: string, eventIds: string[], leaseSeconds: number): Promise<void> {
    await this.dataSource.query(
      'UPDATE event_deliveries SET available_at = now() + make_interval(secs => $3) WHERE listener = $1 AND event_id = ANY($2::bigint[]) AND dead_at IS NULL',
      [listener, eventIds, leaseSeconds],
    );
  }

  async delivered(listener: string, eventIds: string[]): Promise<void> {
    await this.dataSource.query('DELETE FROM event_deliveries WHERE listener = $1 AND event_id = ANY($2::bigint[])', [listener, eventIds]);
  }

  /** Counts a failed attempt: retried after the policy's backoff, or dead once out of attempts. */
  async failed(listener: string, eventIds: string[], error: string, policy: RetryPolicy): Promise<void> {
    await this.dataSource.query(
      `UPDATE event_deliveries
          SET attempts = attempts + 1, last_error = $3, failed_at = now(),
              available_at = now() + make_interval(secs => least($5::float8, $4::float8 * power(2, attempts))),
              dead_at = CASE WHEN attempts + 1 >= $6 THEN now() END
        WHERE listener = $1 AND event_id = ANY($2::bigint[])`,
      [listener, eventIds, error, policy.baseSeconds, policy.maxSeconds, policy.maxAttempts],
    );
  }

  /** Dead letters of `listener` become due again, with a fresh count of attempts; how many. */
  async retryDead(listener: string): Promise<number> {
    const rows = await this.dataSource.query<{ event_id: string }[]>(
      `WITH retried AS (
         UPDATE event_deliveries SET dead_at = NULL, attempts = 0, available_at = now() WHERE listener = $1 AND dead_at IS NOT NULL RETURNING event_id)
       SELECT event_id FROM retried`,
      [listener],
    );
    return rows.length;
  }

  /** Deletes events no listener owes any more (those older than `seconds`, so a commit in flight is never raced). */
  async sweep(seconds: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM outbox_events e WHERE e.created_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id)`,
      [seconds],
    );
  }

  async stats(): Promise<ListenerDeliveryStats[]> {
    const rows = await this.dataSource.query<{ listener: string; pending: number; retrying: number; dead: number; oldest: Date | null; last_error: string | null; last_failed_at: Date | null }[]>(
      `SELECT d.listener,
              (count(*) FILTER (WHERE d.dead_at IS NULL AND d.attempts = 0))::int AS pending,
              (count(*) FILTER (WHERE d.dead_at IS NULL AND d.attempts > 0))::int AS retrying,
              (count(*) FILTER (WHERE d.dead_at IS NOT NULL))::int AS dead,
              min(e.created_at) AS oldest,
              (array_agg(d.last_error ORDER BY d.failed_at DESC) FILTER (WHERE d.last_error IS NOT NULL))[1] AS last_error,
              max(d.failed_at) AS last_failed_at
         FROM event_deliveries d JOIN outbox_events e ON e.id = d.event_id
        GROUP BY d.listener`,
    );
    return rows.map((row) => ({ listener: row.listener, pending: row.pending, retrying: row.retrying, dead: row.dead, oldestCreatedAt: row.oldest, lastError: row.last_error, lastFailedAt: row.last_failed_at }));
  }

  /** The newest dead letters, `limit` at most. */
  async deadLetters(limit: number): Promise<DeadLetterRow[]> {
    const rows = await this.dataSource.query<{ listener: string; id: string; name: DomainEvent['name']; payload: DomainEvent['payload']; attempts: number; last_error: string | null; created_at: Date; dead_at: Date }[]>(
      `SELECT d.listener, e.id, e.name, e.payload, d.attempts, d.last_error, e.created_at, d.dead_at
         FROM event_deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.dead_at IS NOT NULL ORDER BY d.dead_at DESC, e.id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ listener: row.listener, eventId: row.id, name: row.name, payload: row.payload, attempts: row.attempts, lastError: row.last_error, createdAt: row.created_at, deadAt: row.dead_at }));
  }

  /** Deliveries owed and not yet tried (those waiting for a retry and dead letters left out). */
  async untried(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM event_deliveries WHERE dead_at IS NULL AND attempts = 0');
    return count;
  }
}
