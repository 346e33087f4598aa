import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unsubscribe links start at CARELOOP_PUBLIC_URL, like survey links: the care settings' own copy of the
 * public address could drift from it (and defaulted to localhost), so it goes.
 */
export class CareSettingsWithoutPublicUrl1795329300000 implements MigrationInterface {
  name = 'CareSettingsWithoutPublicUrl1795329300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE care_settings DROP COLUMN public_url');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE care_settings ADD public_url text NOT NULL DEFAULT 'http://localhost:4000'`);
    await queryRunner.query('ALTER TABLE care_settings ALTER COLUMN public_url DROP DEFAULT');
  }
}
