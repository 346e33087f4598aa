import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The realtime log, whose ids are the `seq` of pushed events (replayed to reconnecting clients, kept a
 * day), and the table the Socket.IO PostgreSQL adapter uses for payloads too large for NOTIFY.
 */
export class RealtimeEvents1795306400000 implements MigrationInterface {
  name = 'RealtimeEvents1795306400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE realtime_events (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        rooms text[] NOT NULL,
        except_rooms text[] NOT NULL DEFAULT '{}',
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX realtime_events_created_at_idx ON realtime_events (created_at)');
    // The adapter's own schema (see @socket.io/postgres-adapter's README); it prunes rows by created_at.
    await queryRunner.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE socket_io_attachments');
    await queryRunner.query('DROP TABLE realtime_events');
  }
}
