import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { adminClient, databaseUrl } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';

describe('several instances starting at once on an empty database', () => {
  const name = `careloop_startup_${process.pid}_${Date.now()}`;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const admin = await adminClient();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    const admin = await adminClient();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('all start, the migrations run once, and each prints a short log saying where to go', async () => {
    for (let i = 0; i < 3; i++) servers.push(startServerProcess(databaseUrl(name)));
    const ports = await Promise.all(
      servers.map((server, index) =>
        waitFor(`instance ${index + 1} to start`, () => Promise.resolve(/Careloop is running: open http:\/\/localhost:(\d+)/.exec(server.output())?.[1]), 220_000, 250),
      ),
    );
    for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

    const db = new Client({ connectionString: databaseUrl(name) });
    await db.connect();
    try {
      const { rows } = await db.query<{ runs: number; names: number }>('SELECT count(*)::int AS runs, count(DISTINCT name)::int AS names FROM migrations');
      expect(rows[0]).toEqual({ runs: MIGRATIONS.length, names: MIGRATIONS.length });
      expect((await db.query('SELECT 1 FROM users')).rowCount).toBe(1);
    } finally {
      await db.end();
    }
    for (const server of servers) {
      const output = server.output();
      // A lost race shows as TypeORM retrying the connection after a failed migration.
      expect(output).not.toMatch(/Retrying|Migration .* failed|already exists/i);
      expect(output).not.toContain('Mapped {');
      expect(output).toContain('log in as admin@careloop.test');
      expect(output).toContain('data folder: ');
    }
  }, 240_000);
});
