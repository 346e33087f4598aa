import type { RunningPostgres } from '../../server/src/database/embedded-postgres';
import { adminClient } from './database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.CARELOOP_TEST_TEMPLATE;
  if (template) {
    const admin = await adminClient();
    try {
      // Drop this run's template and any test databases cloned from it.
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`${template}_%`, template]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  const pg = (globalThis as Record<string, unknown>).__careloopPostgres as RunningPostgres | undefined;
  if (pg) await pg.stop();
}
