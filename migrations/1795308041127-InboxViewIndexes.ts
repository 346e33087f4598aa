import { MigrationInterface, QueryRunner } from "typeorm";

export class InboxViewIndexes1795308041127 implements MigrationInterface {
    name = 'InboxViewIndexes1795308041127'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "tickets_assignee_active_activity_idx" ON "tickets" ("assignee_id", "last_activity_at", "id")
            WHERE status IN ('new', 'open', 'pending', 'on_hold')
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_team_open_activity_idx" ON "tickets" ("team_id", "last_activity_at", "id")
            WHERE status IN ('new', 'open')
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_unassigned_open_activity_idx" ON "tickets" ("last_activity_at", "id")
            WHERE assignee_id IS NULL
                AND status IN ('new', 'open')
        `);
        await queryRunner.query(`
            CREATE INDEX "tickets_open_activity_idx" ON "tickets" ("last_activity_at", "id")
            WHERE status IN ('new', 'open')
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."tickets_open_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_unassigned_open_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_team_open_activity_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."tickets_assignee_active_activity_idx"
        `);
    }

}
