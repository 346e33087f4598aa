import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../server/src/database/data-source-options';
import { adminClient, databaseUrl } from '../support/database';

describe('migrations', () => {
  const name = `careloop_migrations_${process.pid}_${Date.now()}`;
  let dataSource: DataSource;

  beforeAll(async () => {
    const admin = await adminClient();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    dataSource = new DataSource(dataSourceOptions(databaseUrl(name)));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    const admin = await adminClient();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const tables = async () =>
    (await dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`)).map((row) => row.tablename);

  it('migrates an empty database up, all the way down, and up again', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(await tables()).toEqual(expect.arrayContaining(['tickets', 'messages', 'users', 'customers', 'ticket_events']));

    for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);

    expect((await dataSource.runMigrations()).length).toBe(applied.length);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('leaves no drift between the entities and the migrated schema', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
