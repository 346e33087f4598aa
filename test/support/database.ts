import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The URL of `database` on the test run's PostgreSQL server. */
export function databaseUrl(database: string): string {
  const admin = process.env.CARELOOP_TEST_ADMIN_URL;
  if (!admin) throw new Error('CARELOOP_TEST_ADMIN_URL is not set: run tests through jest (globalSetup)');
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminClient(): Promise<Client> {
  const client = new Client({ connectionString: process.env.CARELOOP_TEST_ADMIN_URL });
  await client.connect();
  return client;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template in a few milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.CARELOOP_TEST_TEMPLATE;
  if (!template) throw new Error('CARELOOP_TEST_TEMPLATE is not set: run tests through jest (globalSetup)');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    drop: async () => {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
