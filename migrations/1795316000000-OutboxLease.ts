import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events a process records and delivers itself (API changes) carry a lease: the dispatcher takes them over
 * only once it has run out, that is when the recording process died before delivering them.
 */
export class OutboxLease1795316000000 implements MigrationInterface {
  name = 'OutboxLease1795316000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_events ADD lease_until timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_events DROP COLUMN lease_until');
  }
}
