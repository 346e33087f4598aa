import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mailboxes connected with OAuth2 (Google, Microsoft 365): the provider, the account that consented, its
 * sealed tokens with their times, and why the connection stopped (consent revoked) until someone reconnects.
 */
export class MailboxOAuth1795323000000 implements MigrationInterface {
  name = 'MailboxOAuth1795323000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mailboxes
      ADD oauth_provider text,
      ADD oauth_account text,
      ADD oauth_refresh_token_sealed text,
      ADD oauth_access_token_sealed text,
      ADD oauth_access_token_expires_at timestamptz,
      ADD oauth_refresh_due_at timestamptz,
      ADD oauth_error text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mailboxes
      DROP COLUMN oauth_provider, DROP COLUMN oauth_account, DROP COLUMN oauth_refresh_token_sealed, DROP COLUMN oauth_access_token_sealed,
      DROP COLUMN oauth_access_token_expires_at, DROP COLUMN oauth_refresh_due_at, DROP COLUMN oauth_error`);
  }
}
