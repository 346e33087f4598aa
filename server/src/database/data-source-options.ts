import type { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';

/** One definition of the database wiring, used by the app, the tests and the migration CLI. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // Each migration in its own transaction, so one (the job queue's) can manage its own.
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    // JIT off: our statements are short, and JIT compiling the report aggregates cost seconds (4.3 s of a 4.6 s
    // daily-volume query at 1M tickets, bench/reports.ts) for nothing.
    extra: { max: 20, options: '-c jit=off' },
  };
}
