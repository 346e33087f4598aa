import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-listener delivery state of recorded domain events: one row per (event, listener) still owed, deleted
 * once that listener has handled it. `available_at` is when a dispatcher may take the row: a lease while a
 * process delivers it, the backoff after a failure; `dead_at` marks a dead letter (an admin retries it).
 * Realtime pushes remember the recorded event they came from, so a redelivery keeps its seq.
 */
export class ListenerDeliveries1795320000000 implements MigrationInterface {
  name = 'ListenerDeliveries1795320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_events DROP COLUMN lease_until');
    await queryRunner.query(`
      CREATE TABLE event_deliveries (
        event_id bigint NOT NULL REFERENCES outbox_events (id) ON DELETE CASCADE,
        listener text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        failed_at timestamptz,
        dead_at timestamptz,
        PRIMARY KEY (event_id, listener)
      )`);
    await queryRunner.query('CREATE INDEX event_deliveries_due_idx ON event_deliveries (available_at) WHERE dead_at IS NULL');
    await queryRunner.query('CREATE INDEX event_deliveries_listener_idx ON event_deliveries (listener)');
    await queryRunner.query('ALTER TABLE realtime_events ADD source text');
    await queryRunner.query('CREATE UNIQUE INDEX realtime_events_source_idx ON realtime_events (source)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX realtime_events_source_idx');
    await queryRunner.query('ALTER TABLE realtime_events DROP COLUMN source');
    await queryRunner.query('DROP TABLE event_deliveries');
    await queryRunner.query('ALTER TABLE outbox_events ADD lease_until timestamptz');
  }
}
