import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline's insertion order: the events of one change (a status and a tag set by one PATCH, the rules
 * fired on one ticket) share a timestamp, and a uuid id does not say which came first. Existing rows take
 * their physical order.
 */
export class TimelineSequence1795315127887 implements MigrationInterface {
  name = 'TimelineSequence1795315127887';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "ticket_events" ADD "seq" BIGSERIAL NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "ticket_events" DROP COLUMN "seq"');
  }
}
