import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachment bytes are stored once: one blob per distinct content (by SHA-256), which attachments point at,
 * and new raw sources keep their attachment bodies out (messages.raw_source_cuts says where they go back).
 * Raw sources stored before this stay whole.
 */
export class AttachmentBlobs1795328000000 implements MigrationInterface {
  name = 'AttachmentBlobs1795328000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "attachment_blobs" (
      "sha256" bytea NOT NULL, "size" integer NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_9ab24ad7d1a5ffc2ae16ed39c0e" PRIMARY KEY ("sha256"))`);
    await queryRunner.query(`INSERT INTO "attachment_blobs" ("sha256", "size", "content")
      SELECT DISTINCT ON (sha256("content")) sha256("content"), length("content"), "content" FROM "attachments"`);
    await queryRunner.query('ALTER TABLE "attachments" ADD "content_sha256" bytea');
    await queryRunner.query('UPDATE "attachments" SET "content_sha256" = sha256("content")');
    await queryRunner.query('ALTER TABLE "attachments" ALTER COLUMN "content_sha256" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "attachments" DROP COLUMN "content"');
    await queryRunner.query('CREATE INDEX "attachments_blob_idx" ON "attachments" ("content_sha256")');
    await queryRunner.query(
      'ALTER TABLE "attachments" ADD CONSTRAINT "FK_2c84448636e92d9d7624538c7ff" FOREIGN KEY ("content_sha256") REFERENCES "attachment_blobs"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "messages" ADD "raw_source_cuts" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sources stored cut cannot be made whole in SQL (base64 line layout): this down keeps them as they are.
    await queryRunner.query('ALTER TABLE "messages" DROP COLUMN "raw_source_cuts"');
    await queryRunner.query('ALTER TABLE "attachments" DROP CONSTRAINT "FK_2c84448636e92d9d7624538c7ff"');
    await queryRunner.query('DROP INDEX "public"."attachments_blob_idx"');
    await queryRunner.query('ALTER TABLE "attachments" ADD "content" bytea');
    await queryRunner.query('UPDATE "attachments" a SET "content" = b."content" FROM "attachment_blobs" b WHERE b."sha256" = a."content_sha256"');
    await queryRunner.query('ALTER TABLE "attachments" ALTER COLUMN "content" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "attachments" DROP COLUMN "content_sha256"');
    await queryRunner.query('DROP TABLE "attachment_blobs"');
  }
}
