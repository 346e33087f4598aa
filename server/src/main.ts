import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app';
import { StartLogger } from './common/start-logger';
import { ConfigError, loadConfig } from './config/config';
import { ensureDatabase, startEmbeddedPostgres, StartupError, type RunningPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  // PostgreSQL's own lines are verbose: they matter only when it fails, and then the error quotes them.
  const startLogger = new StartLogger({ logLevels: ['log', 'warn', 'error', 'fatal'] });
  Logger.overrideLogger(startLogger);
  const logger = new Logger('Careloop');
  const config = loadConfig();

  let embedded: RunningPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.log('DATABASE_URL is not set: starting the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.embeddedPgPort, (line) => logger.verbose(line));
    await ensureDatabase(embedded.adminUrl, 'careloop');
    databaseUrl = embedded.urlFor('careloop');
  }

  const app = await createApp({ config, databaseUrl, logger: startLogger });
  const stopEmbedded = async () => {
    if (embedded) await embedded.stop();
    embedded = null;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: shutting down`);
      void app
        .close()
        .then(stopEmbedded)
        .finally(() => process.exit(0));
    });
  }
  await app.listen(config.port, config.host);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const database = embedded ? 'the embedded PostgreSQL is in it' : `database: ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname} (DATABASE_URL)`;
  for (const line of [
    `Careloop is running: open ${url}`,
    `  log in as ${config.adminEmail} (the password was printed on the first start, or is CARELOOP_ADMIN_PASSWORD)`,
    `  data folder: ${config.dataDir} (${database})`,
    `  API docs: ${url}/api/docs`,
  ])
    logger.log(line);
}

main().catch((error: unknown) => {
  // A bad configuration or a start-up problem is the user's to fix: say what to do without a stack trace.
  console.error(error instanceof ConfigError || error instanceof StartupError ? error.message : error);
  process.exit(1);
});
