import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  const logger = new Logger('Careloop');
  const config = loadConfig();

  let embedded: RunningPostgres | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.log(`DATABASE_URL is not set: starting embedded PostgreSQL (data in ${join(config.dataDir, 'postgres')})`);
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.embeddedPgPort, (line) => logger.verbose?.(line));
    await ensureDatabase(embedded.adminUrl, 'careloop');
    databaseUrl = embedded.urlFor('careloop');
  }

  const app = await createApp({ config, databaseUrl });
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
  logger.log(`Careloop is running on http://localhost:${config.port} (API docs: /api/docs)`);
}

main().catch((error: unknown) => {
  // A bad configuration is the user's to fix: say what is wrong without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
