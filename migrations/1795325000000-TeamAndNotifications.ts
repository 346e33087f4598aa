import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and notifications: invited people (no password until they follow their link), each person's
 * signature, time zone and notification choices, @mentions on notes, and notifications that point at their
 * ticket and carry what raised them (so a redelivered event adds nothing). SLA notifications recorded before
 * keep their meaning under the new kind names.
 */
export class TeamAndNotifications1795325000000 implements MigrationInterface {
  name = 'TeamAndNotifications1795325000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users
      ADD invited_at timestamptz,
      ADD password_set_at timestamptz,
      ADD signature text NOT NULL DEFAULT '',
      ADD time_zone text,
      ADD notification_preferences jsonb NOT NULL DEFAULT '{}',
      ALTER COLUMN password_hash DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE messages ADD mention_ids uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE notifications ADD ticket_id uuid, ADD dedupe_key text, ADD emailed_at timestamptz`);
    await queryRunner.query(`UPDATE notifications n SET
        kind = replace(kind, '.', '_'),
        dedupe_key = COALESCE(n.data->>'targetId', n.id::text),
        ticket_id = (SELECT t.id FROM tickets t WHERE t.id::text = n.data->>'ticketId')`);
    await queryRunner.query(`ALTER TABLE notifications ALTER COLUMN dedupe_key SET NOT NULL`);
    await queryRunner.query(`DELETE FROM notifications a USING notifications b WHERE a.user_id = b.user_id AND a.dedupe_key = b.dedupe_key AND a.id > b.id`);
    await queryRunner.query(`CREATE UNIQUE INDEX "notifications_user_dedupe_key" ON notifications (user_id, dedupe_key)`);
    await queryRunner.query(
      `ALTER TABLE notifications ADD CONSTRAINT "FK_d506dd64e3806b61e88a26714e3" FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notifications DROP CONSTRAINT "FK_d506dd64e3806b61e88a26714e3"`);
    await queryRunner.query(`DROP INDEX "notifications_user_dedupe_key"`);
    await queryRunner.query(`ALTER TABLE notifications DROP COLUMN ticket_id, DROP COLUMN dedupe_key, DROP COLUMN emailed_at`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN mention_ids`);
    await queryRunner.query(`DELETE FROM users WHERE password_hash IS NULL`);
    await queryRunner.query(`ALTER TABLE users
      DROP COLUMN invited_at, DROP COLUMN password_set_at, DROP COLUMN signature, DROP COLUMN time_zone, DROP COLUMN notification_preferences,
      ALTER COLUMN password_hash SET NOT NULL`);
  }
}
