import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A journey may hold out a share of the customers who enter, to measure its effect against them. */
export class JourneyHoldout1795326100000 implements MigrationInterface {
  name = 'JourneyHoldout1795326100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE journeys ADD holdout_percent integer NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE journey_enrollments ADD held_out boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE journey_enrollments DROP COLUMN held_out');
    await queryRunner.query('ALTER TABLE journeys DROP COLUMN holdout_percent');
  }
}
