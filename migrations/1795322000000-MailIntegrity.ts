import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail is never silently lost: a different message that reuses a known Message-ID is stored (only a true
 * re-delivery, same Message-ID and same content hash, is skipped), a message that cannot be stored at all
 * is recorded as quarantined with its reason, and what was unusual about a message is kept in words.
 */
export class MailIntegrity1795322000000 implements MigrationInterface {
  name = 'MailIntegrity1795322000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."messages_mailbox_message_id_key"');
    await queryRunner.query(`ALTER TABLE "messages" ADD "intake_notes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query('ALTER TABLE "mail_receipts" ADD "content_hash" text');
    await queryRunner.query('ALTER TABLE "mail_receipts" ADD "reason" text');
    await queryRunner.query('CREATE INDEX "mail_receipts_content_hash_idx" ON "mail_receipts" ("mailbox_id", "content_hash")');
    await queryRunner.query(`UPDATE "mail_receipts" SET "outcome" = 'redelivery' WHERE "outcome" = 'duplicate'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "mail_receipts" SET "outcome" = 'duplicate' WHERE "outcome" = 'redelivery'`);
    await queryRunner.query('DROP INDEX "public"."mail_receipts_content_hash_idx"');
    await queryRunner.query('ALTER TABLE "mail_receipts" DROP COLUMN "reason"');
    await queryRunner.query('ALTER TABLE "mail_receipts" DROP COLUMN "content_hash"');
    await queryRunner.query('ALTER TABLE "messages" DROP COLUMN "intake_notes"');
    // Messages that reused a Message-ID must go before the unique index can return.
    await queryRunner.query(
      'CREATE UNIQUE INDEX "messages_mailbox_message_id_key" ON "messages" ("mailbox_id", "message_id") WHERE message_id IS NOT NULL AND mailbox_id IS NOT NULL',
    );
  }
}
