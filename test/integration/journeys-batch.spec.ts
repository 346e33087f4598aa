import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { JourneyStepInput } from '../../contracts/journeys';
import { payloadsOf, type DomainEvent } from '../../server/src/common/domain-events';
import { EventPipeline } from '../../server/src/outbox/event-pipeline';
import { CareMailer } from '../../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import type { MessageFlag } from '../../contracts/domain';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { ManualClock } from './sla-harness';
import { setUpCare, startSmtpSink, subscriptionEvent, type CareWorkspace, type SmtpSink } from './journeys-harness';
import { addListener, publish, reactions } from '../support/events';

const START = new Date('2031-07-07T10:00:00.000Z');
const HOUR = 3_600_000;
const SYSTEM = { type: 'system' as const, id: null };
const email = (id: string, subject: string): JourneyStepInput => ({ id, type: 'email', subject, body: `Hello {{ customer.first_name }}, ${subject}.`, marketing: false });

/**
 * The same story twice: once as whole batches (as imported mail publishes them, a missing ticket and message
 * among them), once event by event. Journeys and care initiatives must end up the same.
 */
describe('journeys and care initiatives react to whole batches as to single events', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let care: CareWorkspace;
  let initiativeId: string;
  const clock = new ManualClock(START);
  /** `initiative.tickets_linked` payloads heard since the last `handle`. */
  let linked: DomainEvent[] = [];
  const address = (group: string, name: string) => `${name}.${group}@example.com`;

  /** The domain events `work` raises, held back rather than recorded and told to listeners. */
  async function recorded(work: () => Promise<unknown>): Promise<DomainEvent[]> {
    const held: DomainEvent[] = [];
    const spy = jest.spyOn(t.app.get(EventPipeline), 'record').mockImplementation((raised) => {
      held.push(...raised);
      return Promise.resolve([]);
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return held;
  }

  const handlers: Record<'batch' | 'single', (batch: DomainEvent[]) => Promise<void>> = {
    batch: (batch) => publish(t.app, batch),
    single: async (batch) => {
      for (const event of batch) {
        await publish(t.app, [event]);
        await reactions(t.app);
      }
    },
  };

  /** `initiative.tickets_linked` as told while handling, by customer name. */
  async function handle(group: 'batch' | 'single', batch: DomainEvent[]): Promise<string[][]> {
    linked = [];
    await handlers[group](batch);
    await reactions(t.app);
    const payloads = payloadsOf(linked, 'initiative.tickets_linked');
    expect(payloads.every((payload) => payload.initiativeId === initiativeId)).toBe(true);
    return Promise.all(payloads.map(async ({ ticketIds }) => (await owners(ticketIds)).sort()));
  }

  async function owners(ticketIds: string[]): Promise<string[]> {
    const rows = await t.app.get(DataSource).query<{ name: string }[]>(
      `SELECT split_part(c.email, '.', 1) AS name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY($1::uuid[])`,
      [ticketIds],
    );
    return rows.map((row) => row.name);
  }

  /** Enrollments, care emails, journey entries on timelines and linked tickets of a group, by customer name. */
  async function outcome(group: string): Promise<Record<string, unknown[]>> {
    const db = t.app.get(DataSource);
    const customers = `%.${group}@example.com`;
    return {
      enrollments: await db.query(
        `SELECT split_part(c.email, '.', 1) AS customer, j.name AS journey, e.state, e.exit_reason FROM journey_enrollments e
           JOIN customers c ON c.id = e.customer_id JOIN journeys j ON j.id = e.journey_id WHERE c.email LIKE $1 ORDER BY 1, 2`,
        [customers],
      ),
      touches: await db.query(
        `SELECT split_part(c.email, '.', 1) AS customer, t.subject, t.state, t.replied_at IS NOT NULL AS replied, t.reply_ticket_id IS NOT NULL AS reply_ticket
           FROM care_touches t JOIN customers c ON c.id = t.customer_id WHERE c.email LIKE $1 ORDER BY 1, 2`,
        [customers],
      ),
      timeline: await db.query(
        `SELECT split_part(c.email, '.', 1) AS customer, ev.type, ev.data->>'journeyName' AS journey FROM ticket_events ev
           JOIN tickets t ON t.id = ev.ticket_id JOIN customers c ON c.id = t.customer_id WHERE c.email LIKE $1 AND ev.type LIKE 'journey.%' ORDER BY 1, 2, 3`,
        [customers],
      ),
      linked: await db.query(
        `SELECT split_part(c.email, '.', 1) AS customer FROM care_initiative_tickets it JOIN tickets t ON t.id = it.ticket_id
           JOIN customers c ON c.id = t.customer_id WHERE it.initiative_id = $2 AND c.email LIKE $1 ORDER BY 1`,
        [customers, initiativeId],
      ),
    };
  }

  /** An inbound message on the customer's ticket that answers the care email sent to them. */
  async function answer(ticketId: string, to: string, flags: MessageFlag[] = []): Promise<string> {
    const careEmail = sink.messages.find((mail) => mail.to === to);
    if (!careEmail) throw new Error(`no care email to ${to}`);
    const repository = t.app.get(TicketRepository);
    return repository.transaction(async (manager) => {
      const ticket = await repository.findById(ticketId, manager);
      if (!ticket) throw new Error('ticket gone');
      const message = await t.app
        .get(TicketsService)
        .appendMessage(ticket, { direction: 'inbound', fromAddress: to, bodyText: 'Thanks!', inReplyTo: careEmail.messageId, references: [careEmail.messageId], flags, createdAt: clock.now() }, manager);
      return message.id;
    });
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    addListener(t.app, { name: 'linked-observer', events: ['initiative.tickets_linked'], inProcessOnly: true, handle: (events) => Promise.resolve(void linked.push(...events)) });
    care = await setUpCare(t, sink);
    const journeys = [
      { name: 'Recovery', trigger: { type: 'first_cycle_ticket' }, steps: [email('sorry', 'sorry about {{ ticket.subject }}'), { id: 'week', type: 'wait', wait: { mode: 'duration', days: 7 } }, email('again', 'all good now?')], exitGoals: ['replied'] },
      { name: 'Grinder help', trigger: { type: 'ticket_tagged', tag: 'grinder' }, steps: [{ id: 'days', type: 'wait', wait: { mode: 'duration', days: 3 } }, email('tips', 'grinder tips')] },
    ];
    for (const journey of journeys) {
      const created = await t.http.post('/api/journeys').auth(care.careOwner, { type: 'bearer' }).send(journey);
      expect(created.status).toBe(201);
      expect((await t.http.post(`/api/journeys/${created.body.id}/activate`).auth(care.careOwner, { type: 'bearer' })).status).toBe(200);
    }
    await t.app.get(DataSource).query(`INSERT INTO tags (name) VALUES ('grinder') ON CONFLICT DO NOTHING`);
    const initiative = await t.http.post('/api/care/initiatives').auth(care.careOwner, { type: 'bearer' }).send({ title: 'Fix the grinder', tags: ['grinder'] });
    expect(initiative.status).toBe(201);
    initiativeId = initiative.body.id as string;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('enrolls, links, marks replies and reaches goals alike, and a missing ticket or message stops nothing', async () => {
    const groups = ['batch', 'single'] as const;
    const tickets = { batch: new Map<string, string>(), single: new Map<string, string>() };
    const linkedLive = { batch: [] as string[][][], single: [] as string[][][] };
    const missing = (): DomainEvent[] => [
      { name: 'ticket.created', payload: { ticketId: randomUUID() } },
      { name: 'ticket.updated', payload: { ticketId: randomUUID(), eventIds: [randomUUID()], changed: ['tags.changed'] } },
      { name: 'message.created', payload: { ticketId: randomUUID(), messageId: randomUUID() } },
    ];

    // Ann and Ben are in their first cycle, Cal has no subscription.
    for (const group of groups) {
      for (const name of ['ann', 'ben']) {
        await subscriptionEvent(t, care, { id: `${name}-${group}`, type: 'created', occurredAt: START.toISOString(), customer: { email: address(group, name), name }, subscription: { amount: 20 } });
      }
    }
    clock.set(new Date(START.getTime() + HOUR).toISOString());
    for (const group of groups) {
      const batch: DomainEvent[] = [];
      for (const name of ['ann', 'ben', 'cal']) {
        const ticket = await createTicket(t.app, { from: address(group, name), subject: `${name}'s grinder is stuck`, createdAt: clock.now() });
        tickets[group].set(name, ticket.id);
        batch.push({ name: 'ticket.created', payload: { ticketId: ticket.id } });
      }
      batch.splice(1, 0, ...missing());
      linkedLive[group].push(await handle(group, batch));
    }

    // Ann's and Cal's tickets are tagged; Ben's gets a status change only.
    for (const group of groups) {
      const batch = await recorded(async () => {
        for (const name of ['ann', 'cal']) await t.app.get(TicketsService).update(tickets[group].get(name) as string, { tags: ['grinder'] }, SYSTEM);
        await t.app.get(TicketsService).update(tickets[group].get('ben') as string, { status: 'open' }, SYSTEM);
      });
      expect(batch.filter(({ name }) => name === 'ticket.updated')).toHaveLength(3);
      linkedLive[group].push(await handle(group, [...missing(), ...batch]));
    }
    await t.app.get(JourneyEngine).runDue();
    await t.app.get(CareMailer).drain();

    // Ann answers her care email; Ben's mail server answers his automatically.
    clock.set(new Date(START.getTime() + 2 * HOUR).toISOString());
    for (const group of groups) {
      const annReply = await answer(tickets[group].get('ann') as string, address(group, 'ann'));
      const benAutoReply = await answer(tickets[group].get('ben') as string, address(group, 'ben'), ['auto_reply']);
      const batch: DomainEvent[] = [
        { name: 'message.created', payload: { ticketId: tickets[group].get('ben') as string, messageId: benAutoReply } },
        ...missing(),
        { name: 'message.created', payload: { ticketId: tickets[group].get('ann') as string, messageId: annReply } },
      ];
      linkedLive[group].push(await handle(group, batch));
    }

    const batch = await outcome('batch');
    expect(batch).toEqual(await outcome('single'));
    expect(batch.enrollments).toEqual([
      { customer: 'ann', journey: 'Grinder help', state: 'active', exit_reason: null },
      { customer: 'ann', journey: 'Recovery', state: 'exited', exit_reason: 'replied' },
      { customer: 'ben', journey: 'Recovery', state: 'active', exit_reason: null },
      { customer: 'cal', journey: 'Grinder help', state: 'active', exit_reason: null },
    ]);
    expect(batch.touches).toEqual([
      { customer: 'ann', subject: "sorry about ann's grinder is stuck", state: 'sent', replied: true, reply_ticket: true },
      { customer: 'ben', subject: "sorry about ben's grinder is stuck", state: 'sent', replied: false, reply_ticket: false },
    ]);
    expect(batch.timeline).toEqual(expect.arrayContaining([{ customer: 'ann', type: 'journey.reply', journey: 'Recovery' }]));
    expect(batch.linked).toEqual([{ customer: 'ann' }, { customer: 'cal' }]);
    // Told live once per initiative and batch: both retagged tickets at once, where single events tell them one by one.
    expect(linkedLive.batch).toEqual([[], [['ann', 'cal']], []]);
    expect(linkedLive.single).toEqual([[], [['ann'], ['cal']], []]);
  }, 60_000);
});
