import { DataSource, type DataSourceOptions } from 'typeorm';

/** Any fixed number: every instance takes this advisory lock before it looks at the migrations table. */
const MIGRATION_LOCK = 72_604_312;

/**
 * Opens the data source and runs pending migrations while holding a session advisory lock, so several
 * instances starting at once on an empty database migrate once: the first runs them, the others wait
 * and then find nothing left to do.
 */
export async function initializeAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    // Closing the pool also ends the lock holder's session, which releases the lock.
    await lockHolder.release();
    await dataSource.destroy();
    throw error;
  }
  await lockHolder.release();
  return dataSource;
}
