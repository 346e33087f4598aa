import { MigrationInterface, QueryRunner } from "typeorm";

export class SavedViews1795304223353 implements MigrationInterface {
    name = 'SavedViews1795304223353'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "saved_views" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "filter" jsonb NOT NULL,
                "shared" boolean NOT NULL DEFAULT false,
                "owner_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_30acd4fbe2058d97631ab9bb2b6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "saved_views_owner_idx" ON "saved_views" ("owner_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "saved_views"
            ADD CONSTRAINT "FK_fb53bdfa2c6a971a7a301046ff3" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "saved_views" DROP CONSTRAINT "FK_fb53bdfa2c6a971a7a301046ff3"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."saved_views_owner_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "saved_views"
        `);
    }

}
