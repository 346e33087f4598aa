import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The demo workspace's capture outbox: a demo mailbox keeps what it would have sent (envelope, headers, text)
 * instead of handing it to an SMTP server, so a newcomer's first reply is not a red "Not sent".
 */
export class DemoOutbox1795328400000 implements MigrationInterface {
    name = 'DemoOutbox1795328400000';

    async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "captured_emails" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "mailbox_id" uuid NOT NULL,
                "envelope_from" text NOT NULL,
                "envelope_to" text array NOT NULL,
                "subject" text NOT NULL,
                "headers" jsonb NOT NULL,
                "body_text" text NOT NULL,
                "size" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8690d384dbb343b7b91783922b6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "captured_emails_created_at_idx" ON "captured_emails" ("created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes"
            ADD "capture_outbox" boolean NOT NULL DEFAULT false
        `);
        await queryRunner.query(`
            ALTER TABLE "captured_emails"
            ADD CONSTRAINT "FK_1e936ff0eb9b3087fa0b78a50d1" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "captured_emails" DROP CONSTRAINT "FK_1e936ff0eb9b3087fa0b78a50d1"
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes" DROP COLUMN "capture_outbox"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."captured_emails_created_at_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "captured_emails"
        `);
    }

}
