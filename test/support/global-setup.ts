import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../server/src/database/data-source-options';
import { startEmbeddedPostgres } from '../../server/src/database/embedded-postgres';
import { adminClient, databaseUrl } from './database';

/**
 * Runs once per test run: picks a PostgreSQL server (DATABASE_URL, or an embedded one), migrates a
 * template database once, and tells the test files where it is; each file then clones it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const pg = await startEmbeddedPostgres(mkdtempSync(join(tmpdir(), 'careloop-test-pg-')), port);
    (globalThis as Record<string, unknown>).__careloopPostgres = pg;
    adminUrl = pg.adminUrl;
  }
  process.env.CARELOOP_TEST_ADMIN_URL = adminUrl;
  const template = `careloop_tpl_${process.pid}_${Date.now()}`;
  process.env.CARELOOP_TEST_TEMPLATE = template;

  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(template)));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
