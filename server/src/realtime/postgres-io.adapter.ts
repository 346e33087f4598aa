import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Pool } from 'pg';
import type { ServerOptions } from 'socket.io';

/** The server class of Nest's own (pinned) socket.io copy, which is the one that runs. */
type NestIoServer = Parameters<IoAdapter['close']>[0];

/**
 * Socket.IO over the PostgreSQL adapter (LISTEN/NOTIFY, large payloads through `socket_io_attachments`),
 * so a push or a presence query on one instance reaches the sockets connected to every other one.
 */
export class PostgresIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private pool?: Pool;

  constructor(
    app: INestApplicationContext,
    private readonly databaseUrl: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): NestIoServer {
    const server = super.createIOServer(port, options) as NestIoServer;
    // One connection stays checked out for LISTEN; the others publish.
    const pool = new Pool({ connectionString: this.databaseUrl, max: 4, application_name: 'careloop-realtime' });
    pool.on('error', (error) => this.logger.warn(`realtime adapter connection lost: ${error.message}`));
    this.pool = pool;
    server.adapter(createAdapter(pool, { errorHandler: (error) => this.logger.warn(`realtime adapter: ${error.message}`) }));
    return server;
  }

  override async close(server: NestIoServer): Promise<void> {
    await super.close(server);
    await this.pool?.end();
    this.pool = undefined;
  }
}
