import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';

/** A fresh, migrated database on DATABASE_URL's server (default: the local one), dropped by `drop`. */
export async function benchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `careloop_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The whole application in this process (migrations run on start), quiet except for errors. */
export async function benchApp(databaseUrl: string, env: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadConfig({
    NODE_ENV: 'production',
    CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-bench-')),
    CARELOOP_SECRET_KEY: 'bench-secret-key-0123456789',
    CARELOOP_ADMIN_PASSWORD: 'admin-password-1',
    CARELOOP_DEMO: 'false',
    ...env,
  });
  const app = await createApp({ config, databaseUrl, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Samples this process's resident memory; `peak()` in MB. */
export function memorySampler(intervalMs = 200): { peak(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), intervalMs);
  return { peak: () => Math.round(peak / 1024 / 1024), stop: () => clearInterval(timer) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Deterministic bytes that PostgreSQL's compression cannot shrink. */
export function noise(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
