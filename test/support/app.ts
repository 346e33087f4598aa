import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/src/app';
import type { Clock } from '../../server/src/common/clock';
import { loadConfig, type AppConfig } from '../../server/src/config/config';
import { createTestDatabase, type TestDatabase } from './database';

export const ADMIN_EMAIL = 'admin@careloop.test';
export const ADMIN_PASSWORD = 'admin-password-1';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  database: TestDatabase;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  http: ReturnType<typeof request>;
  /** Logs in and returns the bearer token. */
  login(email?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real application on a fresh database, listening on a free port. */
/** `port`: listen there instead of a free port, for a test that must know the URL first (an OAuth redirect URI). */
export async function startTestApp(options: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase; port?: number } = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-test-data-')),
    CARELOOP_SECRET_KEY: 'test-secret-key-0123456789',
    CARELOOP_ADMIN_EMAIL: ADMIN_EMAIL,
    CARELOOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CARELOOP_DEMO: 'false',
    CARELOOP_LOGIN_LIMIT_PER_MINUTE: '1000',
    ...options.env,
  });
  const app = await createApp({ config, databaseUrl: database.url, clock: options.clock, logger: ['error', 'warn'] });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const http = request(url);
  return {
    app,
    config,
    database,
    url,
    http,
    async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
      const response = await http.post('/api/auth/login').send({ email, password });
      if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return (response.body as { token: string }).token;
    },
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
