import { MigrationInterface, QueryRunner } from "typeorm";

export class Mail1795302010287 implements MigrationInterface {
    name = 'Mail1795302010287'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "mail_receipts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "mailbox_id" uuid NOT NULL,
                "folder" text NOT NULL,
                "uid_validity" bigint NOT NULL,
                "uid" bigint NOT NULL,
                "message_id_header" text,
                "message_id" uuid,
                "outcome" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8de33b0bf6b992cec4eea28cda7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "mail_receipts_message_id_idx" ON "mail_receipts" ("mailbox_id", "message_id_header")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "mail_receipts_uid_key" ON "mail_receipts" ("mailbox_id", "folder", "uid_validity", "uid")
        `);
        await queryRunner.query(`
            CREATE TABLE "mailbox_syncs" (
                "mailbox_id" uuid NOT NULL,
                "folder" text NOT NULL,
                "uid_validity" bigint,
                "last_uid" bigint NOT NULL DEFAULT '0',
                "state" text NOT NULL DEFAULT 'connecting',
                "last_error" text,
                "last_error_at" TIMESTAMP WITH TIME ZONE,
                "last_sync_at" TIMESTAMP WITH TIME ZONE,
                "folder_messages" integer,
                "held_by" text,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2a805313665ea272c27b4d023ff" PRIMARY KEY ("mailbox_id", "folder")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes"
            ADD "sent_folder" text
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes"
            ADD "plus_addressing" boolean NOT NULL DEFAULT false
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes"
            ADD "reopen_window_days" integer NOT NULL DEFAULT '14'
        `);
        await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "sent_at" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "automatic" boolean NOT NULL DEFAULT false
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "messages_mailbox_message_id_key" ON "messages" ("mailbox_id", "message_id")
            WHERE message_id IS NOT NULL
                AND mailbox_id IS NOT NULL
        `);
        await queryRunner.query(`
            ALTER TABLE "mail_receipts"
            ADD CONSTRAINT "FK_d8c457b4ff6842212c183e850f5" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "mailbox_syncs"
            ADD CONSTRAINT "FK_c716aac4af6a403ef8d71953614" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "mailbox_syncs" DROP CONSTRAINT "FK_c716aac4af6a403ef8d71953614"
        `);
        await queryRunner.query(`
            ALTER TABLE "mail_receipts" DROP CONSTRAINT "FK_d8c457b4ff6842212c183e850f5"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."messages_mailbox_message_id_key"
        `);
        await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "automatic"
        `);
        await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "sent_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes" DROP COLUMN "reopen_window_days"
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes" DROP COLUMN "plus_addressing"
        `);
        await queryRunner.query(`
            ALTER TABLE "mailboxes" DROP COLUMN "sent_folder"
        `);
        await queryRunner.query(`
            DROP TABLE "mailbox_syncs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."mail_receipts_uid_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."mail_receipts_message_id_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "mail_receipts"
        `);
    }

}
