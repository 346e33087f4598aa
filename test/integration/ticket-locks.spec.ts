import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { createTicket } from '../support/fixtures';

/**
 * Listeners react to a new ticket at the same moment (routing, SLA, clusters, search) while an agent already
 * replies to it. Their row locks on the ticket must queue, never deadlock: a deadlock turns the agent's reply
 * into a 500 and costs every listener in it a retry.
 */
describe('ticket row locks under concurrent reactions', () => {
  let t: TestApp;
  let db: DataSource;
  let tickets: TicketRepository;
  const open: QueryRunner[] = [];

  /** A transaction of its own, kept open until the test ends it. */
  const transaction = async (): Promise<QueryRunner> => {
    const runner = db.createQueryRunner();
    open.push(runner);
    await runner.startTransaction();
    await runner.query("SET LOCAL lock_timeout = '5s'");
    return runner;
  };
  /** The tickets as they arrive: the routing listener has not placed them yet (and holds no lock on them). */
  const arrivedUnrouted = async (...ids: string[]) => {
    await reactions(t.app);
    await db.query('UPDATE tickets SET awaiting_routing = true WHERE id = ANY($1::uuid[])', [ids]);
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    tickets = t.app.get(TicketRepository);
  });

  afterEach(async () => {
    for (const runner of open.splice(0)) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  afterAll(() => t.close());

  it('locks a batch of tickets without waiting on rows that merely reference them (the demo start deadlocked on this)', async () => {
    const [first, second] = await Promise.all([createTicket(t.app, { subject: 'Lock order one' }), createTicket(t.app, { subject: 'Lock order two' })]);
    await arrivedUnrouted(first.id, second.id);
    const referencing = await transaction();
    // A listener writing rows that reference the tickets (report facts, SLA targets …) holds KEY SHARE on them.
    await referencing.query("INSERT INTO ticket_events (ticket_id, type, actor_type, data) VALUES ($1, 'note.added', 'system', '{}'), ($2, 'note.added', 'system', '{}')", [second.id, first.id]);
    const routing = await transaction();
    expect(await tickets.lockInIdOrder([first.id, second.id], routing.manager)).toEqual([first.id, second.id].sort());
    await tickets.markRouted([first.id, second.id], routing.manager);
    await routing.commitTransaction();
    expect((await db.query<{ awaiting_routing: boolean }[]>('SELECT awaiting_routing FROM tickets WHERE id = ANY($1::uuid[])', [[first.id, second.id]])).map((row) => row.awaiting_routing)).toEqual([false, false]);
  });

  // An UPDATE whose own subquery waited for the row could update the version its snapshot saw, which a KEY SHARE
  // holder had made a multixact: updating that old version queued once more for the row's tuple lock, held by a
  // reader that waited on this very transaction. It took a few hundred rounds here to deadlock; it never does now.
  it('survives routing, SLA, a reader, a reply and a new event racing on one new ticket, round after round', async () => {
    const ticket = await createTicket(t.app, { subject: 'Raced' });
    await reactions(t.app);
    const errors: string[] = [];
    const race = (work: (manager: EntityManager) => Promise<unknown>) => db.transaction((manager) => work(manager)).catch((error: Error) => void errors.push(error.message));
    for (let round = 0; round < 200 && errors.length === 0; round++) {
      await db.query('UPDATE tickets SET awaiting_routing = true WHERE id = $1', [ticket.id]);
      await Promise.all([
        race(async (manager) => {
          await tickets.lockInIdOrder([ticket.id], manager);
          await manager.query("UPDATE tickets SET priority = (CASE WHEN priority = 'high' THEN 'normal' ELSE 'high' END)::ticket_priority WHERE id = $1", [ticket.id]);
        }),
        race((manager) => tickets.markRouted([ticket.id], manager)),
        // The ticket-clusters pass reads a ticket FOR SHARE, so a tagging in flight finishes first.
        race((manager) => manager.query('SELECT id FROM tickets WHERE id = $1 FOR SHARE', [ticket.id])),
        race(async (manager) => {
          // Its foreign-key check holds KEY SHARE on the ticket.
          await manager.query("INSERT INTO ticket_events (ticket_id, type, actor_type, data) VALUES ($1, 'note.added', 'system', '{}')", [ticket.id]);
          await manager.query('SELECT pg_sleep(0.002)');
        }),
        race((manager) => tickets.findForUpdate(ticket.id, manager)),
      ]);
    }
    expect(errors).toEqual([]);
  });
});
