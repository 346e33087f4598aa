import { Client } from 'pg';
import type { TicketDetailDto } from '../../contracts/api';
import type { CreateRuleRequest } from '../../contracts/automation';
import { DomainEvents, type DomainEvent } from '../../server/src/common/domain-events';
import { OutboxDispatcher } from '../../server/src/outbox/outbox-dispatcher';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTicket } from '../support/fixtures';
import { waitFor } from '../support/wait';

const TAG_EVERY_NEW_TICKET: CreateRuleRequest = { name: 'Tag new tickets', actions: [{ type: 'add_tags', tags: ['triaged'] }] };

async function withClient<T>(database: TestDatabase, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Writes events to the outbox as an import's transaction does, without delivering them. */
function recordInOutbox(database: TestDatabase, events: DomainEvent[]): Promise<void> {
  return withClient(database, async (client) => {
    for (const event of events) await client.query('INSERT INTO outbox_events (name, payload) VALUES ($1, $2)', [event.name, event.payload]);
  });
}

function outboxNames(database: TestDatabase): Promise<string[]> {
  return withClient(database, async (client) => (await client.query<{ name: string }>('SELECT name FROM outbox_events ORDER BY id')).rows.map((row) => row.name));
}

function realtimeEventsFor(database: TestDatabase, ticketId: string): Promise<string[]> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT name FROM realtime_events WHERE payload->'ticket'->>'id' = $1 OR payload->>'ticketId' = $1 ORDER BY id", [ticketId]);
    return rows.map((row) => row.name);
  });
}

describe('domain events recorded with imported mail (the outbox)', () => {
  let database: TestDatabase;
  let t: TestApp | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await database.drop();
  });

  it('are delivered by the next start when the process died after the import but before the reactions', async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    expect((await t.http.post('/api/routing/rules').auth(admin, { type: 'bearer' }).send(TAG_EVERY_NEW_TICKET)).status).toBe(201);
    // The import committed (ticket, message and its events) and the process died before delivering them.
    const ticket = await createTicket(t.app, { subject: 'Where is my order?' });
    const [message] = await t.app.get(TicketRepository).messages(ticket.id);
    await t.close();
    await recordInOutbox(database, [
      { name: 'ticket.created', payload: { ticketId: ticket.id } },
      { name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } },
    ]);
    expect(await realtimeEventsFor(database, ticket.id)).toEqual([]);

    t = await startTestApp({ database });
    const token = await t.login();
    const detail = await waitFor('the rule to have tagged the ticket', async () => {
      const body = (await t?.http.get(`/api/tickets/${ticket.id}`).auth(token, { type: 'bearer' }))?.body as TicketDetailDto;
      return body.tags.includes('triaged') ? body : null;
    });
    expect(detail.events.filter((event) => event.type === 'rule.fired')).toHaveLength(1);
    await t.app.get(OutboxDispatcher).drained();
    // Open inboxes heard of the ticket and its message, once each.
    expect(await realtimeEventsFor(database, ticket.id)).toEqual(expect.arrayContaining(['ticket.created', 'message.created']));
    expect((await realtimeEventsFor(database, ticket.id)).filter((name) => name === 'ticket.created')).toHaveLength(1);
  });

  it("records an agent's change with its events, delivers them at once and clears them once handled", async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    const ticket = await createTicket(t.app, { subject: 'Change my address' });
    const heard: string[] = [];
    let releaseListener: () => void = () => undefined;
    const listenerMayFinish = new Promise<void>((resolve) => (releaseListener = resolve));
    t.app.get(DomainEvents).onBatch('ticket.updated', async (updates) => {
      heard.push(...updates.map((update) => update.changed.join()));
      await listenerMayFinish;
    });

    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ priority: 'high' })).status).toBe(200);
    await waitFor('the listener to hear the change', () => Promise.resolve(heard.length > 0));
    expect(heard).toEqual(['priority.changed']);
    // Until its listeners are done, the event stays recorded (a crash now would leave it to the dispatcher).
    expect(await outboxNames(database)).toEqual(['ticket.updated']);
    releaseListener();
    await t.app.get(OutboxDispatcher).drained();
    expect(heard).toEqual(['priority.changed']);
  });

  it('leaves events their own process delivers to it until their lease runs out', async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    expect((await t.http.post('/api/routing/rules').auth(admin, { type: 'bearer' }).send(TAG_EVERY_NEW_TICKET)).status).toBe(201);
    const ticket = await createTicket(t.app, { subject: 'Wrong beans' });
    const tagsOf = async () => ((await t?.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }))?.body as TicketDetailDto).tags;
    await withClient(database, (client) => client.query("INSERT INTO outbox_events (name, payload, lease_until) VALUES ('ticket.created', $1, now() + interval '1 hour')", [{ ticketId: ticket.id }]));
    t.app.get(OutboxDispatcher).nudge();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await tagsOf()).toEqual([]);

    // The process that recorded it died: the lease runs out and the dispatcher takes over.
    await withClient(database, (client) => client.query("UPDATE outbox_events SET lease_until = now() - interval '1 second'"));
    t.app.get(OutboxDispatcher).nudge();
    await waitFor('the rule to tag the ticket', async () => (await tagsOf()).includes('triaged'));
    await t.app.get(OutboxDispatcher).drained();
  });

  it('hands each batch listener all events of a name at once, tickets before their messages', async () => {
    t = await startTestApp({ database });
    const events = t.app.get(DomainEvents);
    const seen: string[] = [];
    events.onBatch('ticket.created', (created) => {
      seen.push(`created:${created.map((event) => event.ticketId).join(',')}`);
      return Promise.resolve();
    });
    events.onBatch('message.created', (created) => {
      seen.push(`messages:${created.map((event) => event.messageId).join(',')}`);
      return Promise.resolve();
    });
    events.onBatch('ticket.created', () => Promise.reject(new Error('a listener that fails')));
    const [a, b] = [await createTicket(t.app, { subject: 'First' }), await createTicket(t.app, { subject: 'Second' })];
    const repository = t.app.get(TicketRepository);
    const [[messageA], [messageB]] = await Promise.all([repository.messages(a.id), repository.messages(b.id)]);
    await recordInOutbox(database, [
      { name: 'ticket.created', payload: { ticketId: a.id } },
      { name: 'message.created', payload: { ticketId: a.id, messageId: messageA.id } },
      { name: 'ticket.created', payload: { ticketId: b.id } },
      { name: 'message.created', payload: { ticketId: b.id, messageId: messageB.id } },
    ]);
    t.app.get(OutboxDispatcher).nudge();
    await t.app.get(OutboxDispatcher).drained();
    // The failing listener neither stopped the others nor kept the events for a second delivery.
    expect(seen).toEqual([`created:${a.id},${b.id}`, `messages:${messageA.id},${messageB.id}`]);
  });
});
