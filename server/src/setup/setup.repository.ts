import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SetupStep } from '../../../contracts/setup';

/** The only code that asks the database how far a workspace is set up: one statement, one row. */
@Injectable()
export class SetupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async progress(): Promise<Record<SetupStep, boolean>> {
    const [row] = await this.dataSource.query<Record<SetupStep, boolean>[]>(`
      SELECT
        EXISTS (SELECT 1 FROM mailboxes WHERE is_active AND (imap_host IS NOT NULL OR oauth_provider IS NOT NULL)) AS mailbox,
        (SELECT count(*) FROM users) > 1 AS team,
        EXISTS (SELECT 1 FROM business_calendars) AS hours,
        EXISTS (SELECT 1 FROM macros) AS macro,
        EXISTS (SELECT 1 FROM journeys WHERE status = 'active') AS journey`);
    return row;
  }
}
