import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscription events apply in the order they happened (the customer remembers the time of the newest state
 * applied), cancellations carry their kind and reason, and each customer's stretches of being a subscriber are
 * kept as spells for the care metrics. Existing customers get one spell from their start to their cancellation.
 */
export class SubscriptionTimeOrder1795326000000 implements MigrationInterface {
  name = 'SubscriptionTimeOrder1795326000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE customers ADD cancellation_kind text, ADD cancellation_reason text, ADD subscription_state_at timestamptz');
    await queryRunner.query('UPDATE customers c SET subscription_state_at = e.latest FROM (SELECT customer_id, max(occurred_at) AS latest FROM subscription_events GROUP BY customer_id) e WHERE e.customer_id = c.id');
    await queryRunner.query('CREATE INDEX subscription_events_customer_occurred_idx ON subscription_events (customer_id, occurred_at)');
    await queryRunner.query(`
      CREATE TABLE subscription_spells (
        customer_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        cancellation_kind text,
        cancellation_reason text,
        first_renewal_at timestamptz,
        CONSTRAINT "PK_subscription_spells" PRIMARY KEY (customer_id, started_at),
        CONSTRAINT "FK_f80cc9b60d8ce02642061b6cb61" FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE
      )`);
    await queryRunner.query('CREATE INDEX subscription_spells_started_idx ON subscription_spells (started_at)');
    await queryRunner.query('CREATE INDEX subscription_spells_ended_idx ON subscription_spells (ended_at)');
    await queryRunner.query(`
      INSERT INTO subscription_spells (customer_id, started_at, ended_at)
      SELECT id, subscription_started_at, CASE WHEN subscription_status = 'cancelled' THEN cancelled_at END
      FROM customers WHERE subscription_started_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE subscription_spells');
    await queryRunner.query('DROP INDEX subscription_events_customer_occurred_idx');
    await queryRunner.query('ALTER TABLE customers DROP COLUMN cancellation_kind, DROP COLUMN cancellation_reason, DROP COLUMN subscription_state_at');
  }
}
