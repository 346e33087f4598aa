import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { TicketDetailDto } from '../../contracts/api';
import type { CreateRuleRequest } from '../../contracts/automation';
import type { EventPipelineHealthDto } from '../../contracts/system';
import { payloadsOf, type DomainEvent } from '../../server/src/common/domain-events';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addListener, publish, reactions } from '../support/events';
import { createTicket } from '../support/fixtures';
import { waitFor } from '../support/wait';

const TAG_EVERY_NEW_TICKET: CreateRuleRequest = { name: 'Tag new tickets', actions: [{ type: 'add_tags', tags: ['triaged'] }] };
/** Quick retries, so a listener's failures run their course within a test. */
const QUICK_RETRIES = { CARELOOP_EVENT_RETRY_SECONDS: '0.2', CARELOOP_EVENT_MAX_ATTEMPTS: '3' };

async function withClient<T>(database: TestDatabase, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Writes events and their deliveries to the outbox as a committed change does, without delivering them. */
function recordInOutbox(database: TestDatabase, events: DomainEvent[], listeners: string[], availableIn = '0 seconds'): Promise<void> {
  return withClient(database, async (client) => {
    for (const event of events) {
      const { rows } = await client.query<{ id: string }>('INSERT INTO outbox_events (name, payload) VALUES ($1, $2) RETURNING id', [event.name, event.payload]);
      for (const listener of listeners) await client.query('INSERT INTO event_deliveries (event_id, listener, available_at) VALUES ($1, $2, now() + $3::interval)', [rows[0].id, listener, availableIn]);
    }
  });
}

function owedTo(database: TestDatabase, listener: string): Promise<string[]> {
  return withClient(database, async (client) => (await client.query<{ name: string }>('SELECT e.name FROM event_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.listener = $1 ORDER BY e.id', [listener])).rows.map((row) => row.name));
}

const createdIds = (events: DomainEvent[]) => payloadsOf(events, 'ticket.created').map(({ ticketId }) => ticketId);

function realtimeEventsFor(database: TestDatabase, ticketId: string): Promise<string[]> {
  return withClient(database, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT name FROM realtime_events WHERE payload->'ticket'->>'id' = $1 OR payload->>'ticketId' = $1 ORDER BY id", [ticketId]);
    return rows.map((row) => row.name);
  });
}

describe('domain events: recorded with the change, each listener told once', () => {
  let database: TestDatabase;
  let t: TestApp | undefined;
  let logged: jest.SpyInstance[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    logged.forEach((spy) => spy.mockRestore());
    logged = [];
    await t?.close();
    t = undefined;
    await database.drop();
  });

  /** Failing test listeners log their failures on purpose: keep them out of the output. */
  function quietFailures(): void {
    logged = [jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined), jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)];
  }

  it('are delivered by the next start when the process died after the commit but before the reactions', async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    expect((await t.http.post('/api/routing/rules').auth(admin, { type: 'bearer' }).send(TAG_EVERY_NEW_TICKET)).status).toBe(201);
    // The import committed (ticket, message and its events) and the process died before delivering them.
    const ticket = await createTicket(t.app, { subject: 'Where is my order?' });
    const [message] = await t.app.get(TicketRepository).messages(ticket.id);
    await t.close();
    await recordInOutbox(
      database,
      [
        { name: 'ticket.created', payload: { ticketId: ticket.id } },
        { name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } },
      ],
      ['routing', 'realtime'],
    );
    expect(await realtimeEventsFor(database, ticket.id)).toEqual([]);

    t = await startTestApp({ database });
    const token = await t.login();
    const detail = await waitFor('the rule to have tagged the ticket', async () => {
      const body = (await t?.http.get(`/api/tickets/${ticket.id}`).auth(token, { type: 'bearer' }))?.body as TicketDetailDto;
      return body.tags.includes('triaged') ? body : null;
    });
    expect(detail.events.filter((event) => event.type === 'rule.fired')).toHaveLength(1);
    await reactions(t.app);
    // Open inboxes heard of the ticket and its message, once each.
    expect(await realtimeEventsFor(database, ticket.id)).toEqual(expect.arrayContaining(['ticket.created', 'message.created']));
    expect((await realtimeEventsFor(database, ticket.id)).filter((name) => name === 'ticket.created')).toHaveLength(1);
  });

  it("records an agent's change with a delivery per listener, tells them at once and clears each once it has handled it", async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    const ticket = await createTicket(t.app, { subject: 'Change my address' });
    const heard: string[] = [];
    let releaseListener: () => void = () => undefined;
    const listenerMayFinish = new Promise<void>((resolve) => (releaseListener = resolve));
    addListener(t.app, {
      name: 'slow-observer',
      events: ['ticket.updated'],
      handle: async (events) => {
        heard.push(...events.map((event) => (event.name === 'ticket.updated' ? event.payload.changed.join() : event.name)));
        await listenerMayFinish;
      },
    });

    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ priority: 'high' })).status).toBe(200);
    await waitFor('the listener to hear the change', () => Promise.resolve(heard.length > 0));
    expect(heard).toEqual(['priority.changed']);
    // Until it is done, its delivery stays recorded (a crash now would leave it to another instance); the others' are gone.
    await waitFor('the other listeners to be done', async () => (await owedTo(database, 'realtime')).length === 0);
    expect(await owedTo(database, 'slow-observer')).toEqual(['ticket.updated']);
    releaseListener();
    await reactions(t.app);
    expect(await owedTo(database, 'slow-observer')).toEqual([]);
    expect(heard).toEqual(['priority.changed']);
  });

  it('leaves deliveries a live process holds alone until their lease runs out', async () => {
    t = await startTestApp({ database });
    const admin = await t.login();
    expect((await t.http.post('/api/routing/rules').auth(admin, { type: 'bearer' }).send(TAG_EVERY_NEW_TICKET)).status).toBe(201);
    const ticket = await createTicket(t.app, { subject: 'Wrong beans' });
    const tagsOf = async () => ((await t?.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }))?.body as TicketDetailDto).tags;
    await recordInOutbox(database, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }], ['routing'], '1 hour');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await tagsOf()).toEqual([]);

    // The process that held it died: the lease runs out and a dispatcher takes over.
    await withClient(database, (client) => client.query("UPDATE event_deliveries SET available_at = now() - interval '1 second'"));
    await waitFor('the rule to tag the ticket', async () => (await tagsOf()).includes('triaged'));
  });

  it('hands a listener a batch of all the events of a commit, in the order recorded', async () => {
    t = await startTestApp({ database });
    const batches: string[][] = [];
    addListener(t.app, { name: 'batch-observer', events: ['ticket.created', 'message.created'], handle: (events) => Promise.resolve(void batches.push(events.map((event) => `${event.name}:${'ticketId' in event.payload ? event.payload.ticketId : ''}`))) });
    const [a, b] = [await createTicket(t.app, { subject: 'First' }), await createTicket(t.app, { subject: 'Second' })];
    const repository = t.app.get(TicketRepository);
    const [[messageA], [messageB]] = await Promise.all([repository.messages(a.id), repository.messages(b.id)]);
    await publish(t.app, [
      { name: 'ticket.created', payload: { ticketId: a.id } },
      { name: 'message.created', payload: { ticketId: a.id, messageId: messageA.id } },
      { name: 'ticket.created', payload: { ticketId: b.id } },
      { name: 'message.created', payload: { ticketId: b.id, messageId: messageB.id } },
    ]);
    await reactions(t.app);
    expect(batches).toEqual([[`ticket.created:${a.id}`, `message.created:${a.id}`, `ticket.created:${b.id}`, `message.created:${b.id}`]]);
  });

  it('retries a listener that fails twice for it alone: the reaction happens once, the other listeners ran once', async () => {
    t = await startTestApp({ database, env: QUICK_RETRIES });
    quietFailures();
    const admin = await t.login();
    expect((await t.http.post('/api/routing/rules').auth(admin, { type: 'bearer' }).send(TAG_EVERY_NEW_TICKET)).status).toBe(201);
    let calls = 0;
    const reacted: string[] = [];
    const steady: string[] = [];
    addListener(t.app, {
      name: 'flaky',
      events: ['ticket.created'],
      handle: (events) => {
        calls++;
        if (calls <= 2) return Promise.reject(new Error(`deadlock detected (try ${calls})`));
        reacted.push(...createdIds(events));
        return Promise.resolve();
      },
    });
    addListener(t.app, { name: 'steady', events: ['ticket.created'], handle: (events) => Promise.resolve(void steady.push(...createdIds(events))) });
    const ticket = await createTicket(t.app, { subject: 'Grinder broke' });
    await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);

    await waitFor('the flaky listener to succeed', () => Promise.resolve(reacted.length > 0), 10_000);
    await reactions(t.app);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(calls).toBe(3);
    expect(reacted).toEqual([ticket.id]);
    expect(steady).toEqual([ticket.id]);
    expect(await owedTo(database, 'flaky')).toEqual([]);
    // Routing ran once: one rule fired, one push of the new ticket.
    const detail = (await t.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
    expect(detail.events.filter((event) => event.type === 'rule.fired')).toHaveLength(1);
    expect((await realtimeEventsFor(database, ticket.id)).filter((name) => name === 'ticket.created')).toHaveLength(1);
  });

  it('puts the events of a listener that always fails on the dead-letter list, keeps the others working, and delivers them once mended and retried', async () => {
    t = await startTestApp({ database, env: QUICK_RETRIES });
    quietFailures();
    const admin = await t.login();
    let broken = true;
    const handled: string[] = [];
    const steady: string[] = [];
    addListener(t.app, {
      name: 'broken',
      events: ['ticket.created'],
      handle: (events) => {
        if (broken) return Promise.reject(new Error('the CRM answered 503 Service Unavailable'));
        handled.push(...createdIds(events));
        return Promise.resolve();
      },
    });
    addListener(t.app, { name: 'steady', events: ['ticket.created'], handle: (events) => Promise.resolve(void steady.push(...createdIds(events))) });
    const tickets = [await createTicket(t.app, { subject: 'One' }), await createTicket(t.app, { subject: 'Two' })];
    for (const ticket of tickets) await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);

    const health = async () => (await t?.http.get('/api/system/events').auth(admin, { type: 'bearer' }))?.body as EventPipelineHealthDto;
    const dead = await waitFor('both events to be dead letters', async () => {
      const body = await health();
      return body.listeners.find((listener) => listener.name === 'broken')?.dead === 2 ? body : null;
    });
    const brokenRow = dead.listeners.find((listener) => listener.name === 'broken');
    expect(brokenRow).toMatchObject({ pending: 0, retrying: 0, dead: 2, lastError: 'the CRM answered 503 Service Unavailable' });
    expect(brokenRow?.oldestAgeSeconds).toEqual(expect.any(Number));
    expect(dead.deadLetters.map((letter) => [letter.listener, letter.event, letter.payload.ticketId, letter.attempts])).toEqual(
      expect.arrayContaining(tickets.map((ticket) => ['broken', 'ticket.created', ticket.id, 3])),
    );
    expect(dead.listeners.find((listener) => listener.name === 'steady')).toMatchObject({ pending: 0, retrying: 0, dead: 0 });
    expect(steady.sort()).toEqual(tickets.map((ticket) => ticket.id).sort());

    // Agents cannot see or retry; an unknown listener is a 404.
    await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'ada@example.com', name: 'Ada', role: 'agent', password: 'agent-password-1' });
    const agent = await t.login('ada@example.com', 'agent-password-1');
    expect((await t.http.get('/api/system/events').auth(agent, { type: 'bearer' })).status).toBe(403);
    expect((await t.http.post('/api/system/events/listeners/broken/retry').auth(agent, { type: 'bearer' })).status).toBe(403);
    expect((await t.http.post('/api/system/events/listeners/nobody/retry').auth(admin, { type: 'bearer' })).status).toBe(404);

    broken = false;
    const retry = await t.http.post('/api/system/events/listeners/broken/retry').auth(admin, { type: 'bearer' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ listener: 'broken', retried: 2 });
    await waitFor('the mended listener to handle both', () => Promise.resolve(handled.length === 2));
    await reactions(t.app);
    expect(handled.sort()).toEqual(tickets.map((ticket) => ticket.id).sort());
    expect(steady).toHaveLength(2);
    expect((await health()).listeners.find((listener) => listener.name === 'broken')).toMatchObject({ pending: 0, retrying: 0, dead: 0 });
  });
});
