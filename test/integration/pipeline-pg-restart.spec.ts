import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { TeamDto } from '../../contracts/api';
import { dataSourceOptions } from '../../server/src/database/data-source-options';
import { ensureDatabase } from '../../server/src/database/embedded-postgres';
import { CustomerRepository } from '../../server/src/customers/customer.repository';
import { OutboxService } from '../../server/src/outbox/outbox.service';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { startRestartablePostgres, type RestartablePostgres } from '../support/restartable-postgres';
import { connectSocket, type ClientSocket } from '../support/sockets';
import { createPolicy } from './sla-harness';
import { waitFor } from '../support/wait';

const IMPORTED = 500;
const DATABASE = 'careloop';

/**
 * Issue #15: PostgreSQL restarted while the listeners work through a batch of imported mail. The test runs its
 * own embedded PostgreSQL (never the run's shared server) so that it can stop and start it on the same port
 * and data folder, as an operator's restart or a failover would.
 */
describe('PostgreSQL restarted while a batch of imported messages is being reacted to', () => {
  let pg: RestartablePostgres | undefined;
  let t: TestApp | undefined;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    pg = await startRestartablePostgres();
    await ensureDatabase(pg.urlFor('postgres'), DATABASE);
    const migrator = new DataSource(dataSourceOptions(pg.urlFor(DATABASE)));
    await migrator.initialize();
    await migrator.runMigrations();
    await migrator.destroy();
    // The database belongs to this test's server, which is thrown away whole afterwards.
    t = await startTestApp({ database: { name: DATABASE, url: pg.urlFor(DATABASE), drop: () => Promise.resolve() } });
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    try {
      await t?.close();
    } finally {
      await pg?.destroy();
    }
  }, 30_000);

  it('routes every ticket, gives it its SLA targets and pushes it, once each', async () => {
    const app = (t as TestApp).app;
    const server = t as TestApp;
    const admin = await server.login();
    const as = (method: 'post', path: string, body: object) => server.http[method](path).auth(admin, { type: 'bearer' }).send(body);
    const support = (await as('post', '/api/teams', { name: 'Support' })).body as TeamDto;
    expect((await as('post', '/api/routing/rules', { name: 'Everything to support', actions: [{ type: 'set_team', teamId: support.id }] })).status).toBe(201);
    await createPolicy(server, admin, { name: 'Standard', targets: { normal: { firstReply: 240, resolution: 960 } } });

    const socket = await connectSocket(server.url, { auth: { token: admin } }, sockets);
    const pushed: { ticketId: string; seq: number }[] = [];
    socket.on('ticket.created', ({ ticket, seq }) => void pushed.push({ ticketId: ticket.id, seq }));

    // One import batch, committed as ingest commits one (server/src/mail/ingest/inbound-mail.processor.ts):
    // all its tickets and messages in one transaction with their ticket.created and message.created.
    const tickets = app.get(TicketsService);
    const customers = app.get(CustomerRepository);
    const ticketIds = await app.get(OutboxService).transaction(async (manager, raise) => {
      const ids: string[] = [];
      for (let index = 0; index < IMPORTED; index++) {
        const from = `customer-${index % 50}@example.com`;
        const customer = await customers.upsertByEmail(from, null, manager);
        const subject = `Order ${index} has not arrived`;
        const { ticket, message } = await tickets.openTicketWithMessage(
          { subject, customerId: customer.id, awaitingRouting: true },
          { direction: 'inbound', fromAddress: from, bodyText: subject },
          manager,
        );
        raise({ name: 'ticket.created', payload: { ticketId: ticket.id } });
        raise({ name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } });
        ids.push(ticket.id);
      }
      return ids;
    });

    // The listeners have just been handed the batch: PostgreSQL goes away under them and comes back.
    const postgres = pg as RestartablePostgres;
    await postgres.restart();

    const db = new Client({ connectionString: postgres.urlFor(DATABASE) });
    await db.connect();
    try {
      const owed = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_deliveries WHERE dead_at IS NULL')).rows[0].n;
      // Deliveries whose handling or acknowledgement failed come back after their backoff or lease; on a
      // loaded machine the restart is slow, a listener fails several times and its backoff doubles each time.
      await waitFor('every delivery to be handled', async () => (await owed()) === 0, 150_000, 200);
      await reactions(app);
      await waitFor('every push to arrive', () => Promise.resolve(new Set(pushed.map(({ ticketId }) => ticketId)).size >= IMPORTED), 10_000, 100);

      const { rows: dead } = await db.query<{ listener: string; last_error: string }>('SELECT listener, last_error FROM event_deliveries WHERE dead_at IS NOT NULL');
      expect(dead).toEqual([]);

      const perTicket = async (sql: string) => new Map((await db.query<{ ticket_id: string; n: number }>(sql, [ticketIds])).rows.map(({ ticket_id, n }) => [ticket_id, n]));
      const once = (counts: Map<string, number>) => ticketIds.filter((id) => counts.get(id) !== 1);

      // Routed: on the rule's team, with one firing of it on the timeline.
      const routed = await perTicket("SELECT ticket_id, count(*)::int AS n FROM ticket_events WHERE type = 'rule.fired' AND ticket_id = ANY($1) GROUP BY ticket_id");
      expect(once(routed)).toEqual([]);
      const { rows: teams } = await db.query<{ team_id: string | null; n: number }>('SELECT team_id, count(*)::int AS n FROM tickets WHERE id = ANY($1) GROUP BY team_id', [ticketIds]);
      expect(teams).toEqual([{ team_id: support.id, n: IMPORTED }]);

      // SLA: the policy applied once, with one target of each kind it sets.
      const applied = await perTicket("SELECT ticket_id, count(*)::int AS n FROM ticket_events WHERE type = 'sla.policy_applied' AND ticket_id = ANY($1) GROUP BY ticket_id");
      expect(once(applied)).toEqual([]);
      const { rows: targets } = await db.query<{ kind: string; tickets: number; n: number }>(
        'SELECT kind::text, count(DISTINCT ticket_id)::int AS tickets, count(*)::int AS n FROM sla_targets WHERE ticket_id = ANY($1) GROUP BY kind ORDER BY kind',
        [ticketIds],
      );
      expect(targets).toEqual([
        { kind: 'first_reply', tickets: IMPORTED, n: IMPORTED },
        { kind: 'resolution', tickets: IMPORTED, n: IMPORTED },
      ]);

      // Pushed: one ticket.created per ticket, each logged once (no seq twice).
      const pushes = new Map<string, number>();
      for (const { ticketId } of pushed) pushes.set(ticketId, (pushes.get(ticketId) ?? 0) + 1);
      expect(once(pushes)).toEqual([]);
      expect(new Set(pushed.map(({ seq }) => seq)).size).toBe(pushed.length);
      const logged = await perTicket("SELECT payload->'ticket'->>'id' AS ticket_id, count(*)::int AS n FROM realtime_events WHERE name = 'ticket.created' AND payload->'ticket'->>'id' = ANY($1) GROUP BY 1");
      expect(once(logged)).toEqual([]);
    } finally {
      await db.end();
    }
  }, 240_000);
});
