import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './ports';

/** A PostgreSQL server of one test's own, which it may stop and start again (never the run's shared server). */
export interface RestartablePostgres {
  urlFor(database: string): string;
  /** Stops the server (a fast shutdown: open connections are cut) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it for good and deletes its data. */
  destroy(): Promise<void>;
}

/** Starts an embedded PostgreSQL on a free port with its data in a fresh folder under the OS temp folder. */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'careloop-restartable-pg-'));
  const port = await freePort();
  let running = await startProcess(dir, port);
  return {
    urlFor: (database) => {
      const url = new URL(running.adminUrl);
      url.pathname = `/${database}`;
      return url.toString();
    },
    async restart() {
      await running.stop();
      running = await startProcess(dir, port);
    },
    async destroy() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startProcess(dir: string, port: number): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/support/postgres-process.ts', dir, String(port)], {
    cwd: resolve(__dirname, '../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  const adminUrl = await new Promise<string>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((part) => part.startsWith('{'));
      if (line) ready((JSON.parse(line) as { adminUrl: string }).adminUrl);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => fail(new Error(`the embedded PostgreSQL exited before it was ready: ${output}`)));
  });
  return {
    adminUrl,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
