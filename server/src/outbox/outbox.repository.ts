import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DomainEvent } from '../common/domain-events';

/** Key of the advisory lock held while delivering, so one instance at a time delivers, in order. */
const DELIVERY_LOCK = 7_311_001;

/**
 * The outbox (`outbox_events`): plain SQL without an entity, since rows are written once, read in id
 * order and deleted once delivered.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records events in the caller's transaction, one statement for the lot; with `leaseSeconds`, the
   * dispatcher leaves them alone that long (the recording process delivers them itself).
   */
  async record(events: DomainEvent[], manager: EntityManager, leaseSeconds: number | null = null): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO outbox_events (name, payload, lease_until)
       SELECT e.name, e.payload, CASE WHEN $3::int IS NULL THEN NULL ELSE now() + make_interval(secs => $3::int) END
         FROM unnest($1::text[], $2::jsonb[]) AS e(name, payload)
       RETURNING id`,
      [events.map((event) => event.name), events.map((event) => JSON.stringify(event.payload)), leaseSeconds],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes delivered events (in the claiming transaction, or after the recording process delivered them). */
  async remove(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (ids.length) await manager.query('DELETE FROM outbox_events WHERE id = ANY($1::bigint[])', [ids]);
  }

  /**
   * Claims the oldest deliverable events under the delivery lock, hands them to `deliver` and deletes them,
   * all in one transaction, so a crash before the commit leaves them to be delivered again. Resolves to how
   * many events were claimed (0 when another instance holds the lock).
   */
  claim(limit: number, deliver: (events: DomainEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [DELIVERY_LOCK]);
      if (!locked) return 0;
      const rows = await manager.query<{ id: string; name: DomainEvent['name']; payload: DomainEvent['payload'] }[]>('SELECT id, name, payload FROM outbox_events WHERE lease_until IS NULL OR lease_until < now() ORDER BY id LIMIT $1', [limit]);
      if (rows.length === 0) return 0;
      await deliver(rows.map(({ name, payload }) => ({ name, payload }) as DomainEvent));
      await this.remove(rows.map((row) => row.id), manager);
      return rows.length;
    });
  }

  async pending(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM outbox_events');
    return count;
  }
}
