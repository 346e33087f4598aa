import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The subscribers table sorts, filters and pages in PostgreSQL: an index per sort key with id after it (keyset
 * paging), lower(COALESCE(name, email)) for the name, a trigram index for search by part of a name or email.
 * Each customer's lifetime value gets its currency.
 */
export class SubscribersTable1795329310000 implements MigrationInterface {
  name = 'SubscribersTable1795329310000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE customers ADD currency text');
    await queryRunner.query('DROP INDEX "customers_subscription_started_idx"');
    await queryRunner.query('DROP INDEX "customers_next_renewal_idx"');
    await queryRunner.query('CREATE INDEX "customers_subscription_started_idx" ON customers (subscription_started_at, id)');
    await queryRunner.query('CREATE INDEX "customers_next_renewal_idx" ON customers (next_renewal_at, id)');
    await queryRunner.query('CREATE INDEX "customers_status_sort_idx" ON customers (subscription_status, id)');
    await queryRunner.query('CREATE INDEX "customers_plan_sort_idx" ON customers (plan, id)');
    await queryRunner.query('CREATE INDEX "customers_cycle_sort_idx" ON customers (current_cycle, id)');
    await queryRunner.query('CREATE INDEX "customers_lifetime_value_sort_idx" ON customers (lifetime_value, id)');
    await queryRunner.query('CREATE INDEX "customers_name_sort_idx" ON customers (lower(COALESCE(name, email)), id)');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(`CREATE INDEX "customers_search_trgm_idx" ON customers USING gin ((email || ' ' || COALESCE(name, '')) gin_trgm_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['search_trgm', 'name_sort', 'lifetime_value_sort', 'cycle_sort', 'plan_sort', 'status_sort', 'next_renewal', 'subscription_started']) {
      await queryRunner.query(`DROP INDEX "customers_${index}_idx"`);
    }
    await queryRunner.query('CREATE INDEX "customers_next_renewal_idx" ON customers (next_renewal_at)');
    await queryRunner.query('CREATE INDEX "customers_subscription_started_idx" ON customers (subscription_started_at)');
    await queryRunner.query('ALTER TABLE customers DROP COLUMN currency');
  }
}
