import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServerProcess {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: no shutdown hooks, no cleanup — as a crash or an OOM kill would do it. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Careloop as its own OS process (from TypeScript, as `npm run start:dev` does) against a database. */
export function startServerProcess(databaseUrl: string, env: Record<string, string> = {}): ServerProcess {
  const root = resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-proc-')),
      CARELOOP_SECRET_KEY: 'test-secret-key-0123456789',
      CARELOOP_ADMIN_EMAIL: 'admin@careloop.test',
      CARELOOP_ADMIN_PASSWORD: 'admin-password-1',
      CARELOOP_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    process: child,
    output: () => output,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((done) => (timer = setTimeout(done, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
