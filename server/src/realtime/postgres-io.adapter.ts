import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { MessageType, type ClusterMessage } from 'socket.io-adapter';
import { Pool, type PoolClient } from 'pg';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import { originVerdict } from '../auth/request-origin';
import type { AppConfig } from '../config/config';

/** The server class of Nest's own (pinned) socket.io copy, which is the one that runs. */
type NestIoServer = Parameters<IoAdapter['close']>[0];

/**
 * Socket.IO refuses, before the handshake, a browser connecting from another origin: the session cookie
 * would ride along, and a page elsewhere could read the pushes (cross-site WebSocket hijacking). Clients
 * that are not browsers send no Origin and authenticate with their token.
 *
 * Socket.IO over the PostgreSQL adapter (LISTEN/NOTIFY, large payloads through `socket_io_attachments`),
 * so a push or a presence query on one instance reaches the sockets connected to every other one.
 */
export class PostgresIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private pool?: Pool;

  constructor(
    app: INestApplicationContext,
    private readonly databaseUrl: string,
    private readonly config: Pick<AppConfig, 'publicUrl' | 'trustProxy'>,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): NestIoServer {
    const server = super.createIOServer(port, {
      ...options,
      allowRequest: (request: IncomingMessage, callback: (error: string | null, success: boolean) => void) => {
        const foreign = originVerdict(this.config, request.headers) === 'cross-origin';
        callback(foreign ? 'Cross-origin connection refused' : null, !foreign);
      },
    }) as NestIoServer;
    // One connection stays checked out for LISTEN; the others publish.
    const pool = new Pool({ connectionString: this.databaseUrl, max: 4, application_name: 'careloop-realtime' });
    pool.on('error', () => undefined); // an idle connection's error, re-emitted by the pool: logged below
    // The adapter's LISTEN connection stays checked out and has no error listener: an unhandled 'error' (PostgreSQL
    // restarting) would end the process. When it ends the adapter takes a new one without giving the dead one
    // back; released here, or each restart leaks a pool slot and pool.end() at shutdown waits forever.
    const checkedOut = new Set<PoolClient>();
    pool.on('acquire', (client) => checkedOut.add(client));
    pool.on('release', (_error, client) => checkedOut.delete(client));
    pool.on('connect', (client) => {
      client.on('error', (error) => this.logger.warn(`realtime adapter connection lost: ${error.message}`));
      // A query's connection is given back by pool.query itself; one still out a second after it ended is the leak.
      client.on('end', () => setTimeout(() => checkedOut.has(client) && client.release(true), 1_000).unref());
    });
    this.pool = pool;
    server.adapter(withoutLonelyBroadcasts(createAdapter(pool, { errorHandler: (error) => this.logger.warn(`realtime adapter: ${error.message}`) })));
    return server;
  }

  override async close(server: NestIoServer): Promise<void> {
    await super.close(server);
    await this.pool?.end();
    this.pool = undefined;
  }
}

type AdapterFactory = ReturnType<typeof createAdapter>;
/** What the wrapper reaches inside the adapter: protected in its typings, stable in its code. */
type AdapterInternals = { doPublish(message: ClusterMessage): Promise<string>; nodesMap: Map<string, number> };

/**
 * The adapter publishes every broadcast through PostgreSQL, even with no other instance listening: with
 * payloads past NOTIFY's limit, an INSERT per push. While this instance is alone it skips that (it still
 * sends heartbeats, so it hears a new instance within one and publishes from then on).
 */
function withoutLonelyBroadcasts(factory: AdapterFactory): AdapterFactory {
  // Socket.IO calls the factory with `new`: a function expression (returning the adapter) allows that, an arrow does not.
  return function lonelyAwareAdapter(namespace) {
    const adapter = factory(namespace);
    const internals = adapter as unknown as AdapterInternals;
    const publish = internals.doPublish.bind(adapter);
    internals.doPublish = (message) => (message.type === MessageType.BROADCAST && internals.nodesMap.size === 0 ? Promise.resolve('') : publish(message));
    return adapter;
  };
}
