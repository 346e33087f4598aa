import { MigrationInterface, QueryRunner } from "typeorm";

export class SearchRecencyIndex1795308602827 implements MigrationInterface {
    name = 'SearchRecencyIndex1795308602827'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "tickets_activity_idx" ON "tickets" ("last_activity_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."tickets_activity_idx"
        `);
    }

}
