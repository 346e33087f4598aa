import PgBoss from 'pg-boss';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable job queue's schema (pg-boss), created here so every schema change goes through
 * migrations; pg-boss itself starts with `migrate: false`. Its plan manages its own transaction.
 */
export class JobQueue1795302000000 implements MigrationInterface {
  name = 'JobQueue1795302000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(PgBoss.getConstructionPlans('pgboss'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
  }
}
