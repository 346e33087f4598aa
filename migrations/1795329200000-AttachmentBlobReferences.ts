import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which raw sources point at a blob (messages.raw_source_cuts), found by index: a blob no attachment and
 * no raw source refers to any more is deleted with the ticket that last used it. Partial: most messages
 * have no cuts and cost the index nothing.
 */
export class AttachmentBlobReferences1795329200000 implements MigrationInterface {
  name = 'AttachmentBlobReferences1795329200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "messages_raw_source_cuts_idx" ON "messages" USING gin ("raw_source_cuts" jsonb_path_ops) WHERE "raw_source_cuts" IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."messages_raw_source_cuts_idx"');
  }
}
