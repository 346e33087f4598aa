import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: domain events written in the same transaction as the change they describe
 * (an imported batch of mail), delivered to listeners afterwards and deleted once delivered, so a crash
 * between the commit and the reactions (routing, SLA, journeys …) no longer loses them.
 */
export class DomainEventOutbox1795310000000 implements MigrationInterface {
  name = 'DomainEventOutbox1795310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_events');
  }
}
