import { Client } from 'pg';
import type { CreateJourneyRequest, JourneyDto, JourneyStepInput } from '../../contracts/journeys';
import { CareMailer } from '../../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import { UnsubscribeTokens } from '../../server/src/journeys/unsubscribe-token';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase } from '../support/database';
import { createTicket } from '../support/fixtures';
import { ManualClock } from './sla-harness';
import { setUpCare, startSmtpSink, subscriptionEvent, type CareWorkspace, type SmtpSink } from './journeys-harness';
import { reactions } from '../support/events';

const DAY = 86_400_000;
const START = new Date('2031-03-03T10:00:00.000Z');
const at = (days: number, hours = 0) => new Date(START.getTime() + days * DAY + hours * 3_600_000).toISOString();
const email = (id: string, subject: string, extra: Partial<Extract<JourneyStepInput, { type: 'email' }>> = {}): JourneyStepInput => ({
  id,
  type: 'email',
  subject,
  body: `Hello {{ customer.first_name }}, this is ${subject}.`,
  marketing: false,
  ...extra,
});

interface Scenario {
  t: TestApp;
  clock: ManualClock;
  care: CareWorkspace;
  /** Runs a pass and sends what it queued, at the given moment. */
  runAt(iso: string): Promise<void>;
  journey(request: CreateJourneyRequest): Promise<JourneyDto>;
  subscriber(name: string, extra?: { timeZone?: string; amount?: number }): Promise<string>;
  /** Emails the sink got for this address, by subject. */
  subjectsTo(name: string): string[];
  close(): Promise<void>;
}

describe('care journeys respect the customer', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  async function scenario(settings: Record<string, unknown> = {}): Promise<Scenario> {
    const clock = new ManualClock(new Date(START.getTime() - 3_600_000));
    const t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    const care = await setUpCare(t, sink, settings);
    const label = Math.random().toString(36).slice(2, 8);
    return {
      t,
      clock,
      care,
      async runAt(iso) {
        clock.set(iso);
        await reactions(t.app);
        await t.app.get(JourneyEngine).runDue();
        await t.app.get(CareMailer).drain();
      },
      async journey(request) {
        const created = await t.http.post('/api/journeys').auth(care.careOwner, { type: 'bearer' }).send(request);
        if (created.status !== 201) throw new Error(`journey not created: ${JSON.stringify(created.body)}`);
        const activated = await t.http.post(`/api/journeys/${created.body.id}/activate`).auth(care.careOwner, { type: 'bearer' });
        return activated.body as JourneyDto;
      },
      async subscriber(name, extra = {}) {
        const address = `${name}.${label}@example.com`;
        await subscriptionEvent(t, care, {
          id: `${address}-created`,
          type: 'created',
          occurredAt: START.toISOString(),
          customer: { email: address, name, ...(extra.timeZone ? { timeZone: extra.timeZone } : {}) },
          subscription: { amount: extra.amount ?? 20, nextRenewalAt: at(30) },
        });
        return address;
      },
      subjectsTo: (name) => sink.messages.filter((mail) => mail.to.startsWith(`${name}.${label}@`)).map((mail) => mail.subject),
      close: () => t.close(),
    };
  }

  it('sends at most the weekly cap of care emails and holds the rest until a place frees up', async () => {
    const s = await scenario({ weeklyEmailCap: 2 });
    await s.journey({ name: 'Three tips', trigger: { type: 'subscription_day', days: 1 }, steps: [email('a', 'Tip one'), email('b', 'Tip two'), email('c', 'Tip three')] });
    await s.subscriber('cap');
    await s.runAt(at(1));
    // Emails of one pass may reach the SMTP sink in either order; which ones went out is what counts.
    expect([...s.subjectsTo('cap')].sort()).toEqual(['Tip one', 'Tip two']);
    await s.runAt(at(7, 23));
    expect(s.subjectsTo('cap')).toHaveLength(2);
    await s.runAt(at(8));
    expect([...s.subjectsTo('cap')].sort()).toEqual(['Tip one', 'Tip three', 'Tip two']);
    await s.close();
  });

  it('keeps quiet hours in the customer’s own time zone', async () => {
    const s = await scenario({ quietHoursStart: 21, quietHoursEnd: 8 });
    await s.journey({ name: 'Hello', trigger: { type: 'subscription_day', days: 1 }, steps: [email('hello', 'Hello from us')] });
    await s.subscriber('tokyo', { timeZone: 'Asia/Tokyo' });
    await s.subscriber('paris', { timeZone: 'Europe/Paris' });
    // 13:00 UTC is 22:00 in Tokyo (quiet) and 14:00 in Paris.
    await s.runAt(at(1, 3));
    expect([s.subjectsTo('tokyo'), s.subjectsTo('paris')]).toEqual([[], ['Hello from us']]);
    await s.runAt(at(1, 12.99));
    expect(s.subjectsTo('tokyo')).toEqual([]);
    // 08:00 in Tokyo is 23:00 UTC.
    await s.runAt(at(1, 13));
    expect(s.subjectsTo('tokyo')).toEqual(['Hello from us']);
    await s.close();
  });

  it('holds marketing-like steps back from customers with an open ticket, unless the journey says otherwise', async () => {
    const s = await scenario();
    await s.journey({ name: 'Offer', trigger: { type: 'subscription_day', days: 1 }, steps: [email('offer', 'An offer', { marketing: true }), email('note', 'A service note')] });
    await s.journey({ name: 'Offer anyway', sendWhileTicketOpen: true, trigger: { type: 'subscription_day', days: 1 }, steps: [email('offer', 'An offer anyway', { marketing: true })] });
    const busy = await s.subscriber('busy');
    await s.subscriber('calm');
    await createTicket(s.t.app, { from: busy, subject: 'Where is my box?', createdAt: s.clock.now() });
    await s.runAt(at(1));
    expect(s.subjectsTo('busy').sort()).toEqual(['A service note', 'An offer anyway']);
    expect(s.subjectsTo('calm').sort()).toEqual(['A service note', 'An offer', 'An offer anyway']);
    const journeys = (await s.t.http.get('/api/journeys').auth(s.care.careOwner, { type: 'bearer' })).body as JourneyDto[];
    const offer = journeys.find((journey) => journey.name === 'Offer') as JourneyDto;
    expect(offer.figures.steps.find((step) => step.stepId === 'offer')).toEqual({ stepId: 'offer', done: 1, skipped: 1 });
    await s.close();
  });

  it('honours an unsubscribe at once, even for an email already queued', async () => {
    const s = await scenario();
    await s.journey({ name: 'Hello', trigger: { type: 'subscription_day', days: 1 }, steps: [email('hello', 'Hello'), { id: 'wait', type: 'wait', wait: { mode: 'duration', days: 2 } }, email('again', 'Hello again')] });
    await s.subscriber('leaver');
    s.clock.set(at(1));
    await s.t.app.get(JourneyEngine).runDue();
    const db = new Client({ connectionString: s.t.database.url });
    await db.connect();
    const { rows } = await db.query<{ id: string; customer_id: string }>("SELECT id, customer_id FROM care_touches WHERE state = 'queued'");
    expect(rows).toHaveLength(1);
    const token = s.t.app.get(UnsubscribeTokens).sign({ customerId: rows[0].customer_id, touchId: rows[0].id });
    const page = await s.t.http.get(`/api/care/unsubscribe/${token}`);
    expect(page.text).toContain('<form method="post">');
    expect((await s.t.http.post(`/api/care/unsubscribe/${token}`)).status).toBe(200);
    await s.t.app.get(CareMailer).drain();
    await s.runAt(at(4));
    expect(s.subjectsTo('leaver')).toEqual([]);
    const states = await db.query<{ state: string }>('SELECT state FROM care_touches');
    expect(states.rows.map((row) => row.state)).toEqual(['suppressed']);
    expect((await s.t.http.post('/api/care/unsubscribe/forged.token')).status).toBe(404);
    await db.end();
    await s.close();
  });

  it('ends a journey when its exit goal is reached: the customer replied', async () => {
    const s = await scenario();
    const journey = await s.journey({
      name: 'Nudges',
      trigger: { type: 'subscription_day', days: 1 },
      exitGoals: ['replied'],
      steps: [email('first', 'First nudge'), { id: 'wait', type: 'wait', wait: { mode: 'duration', days: 3 } }, email('second', 'Second nudge')],
    });
    const replier = await s.subscriber('replier');
    await s.subscriber('silent');
    await s.runAt(at(1));
    s.clock.set(at(2));
    // The answer is found from the stored message itself, even with no event delivered.
    await createTicket(s.t.app, { from: replier, subject: 'Re: First nudge', createdAt: s.clock.now() });
    await s.runAt(at(4));
    expect(s.subjectsTo('replier')).toEqual(['First nudge']);
    expect(s.subjectsTo('silent')).toEqual(['First nudge', 'Second nudge']);
    const figures = (await s.t.http.get(`/api/journeys/${journey.id}`).auth(s.care.careOwner, { type: 'bearer' })).body as JourneyDto;
    expect(figures.figures).toMatchObject({ entered: 2, goalReached: 1, completed: 1 });
    await s.close();
  });

  it('branches on customer fields and tags the customer', async () => {
    const s = await scenario();
    await s.journey({
      name: 'Big spenders',
      trigger: { type: 'subscription_day', days: 1 },
      steps: [
        { id: 'big', type: 'branch', condition: { field: 'lifetime_value', op: 'gte', value: 100 }, ifTrue: 'next', ifFalse: 'end' },
        { id: 'vip', type: 'tag', tag: 'VIP' },
        email('thanks', 'Thank you, {{ customer.first_name }}'),
      ],
    });
    const big = await s.subscriber('big', { amount: 150 });
    const small = await s.subscriber('small', { amount: 20 });
    await s.runAt(at(1));
    expect([s.subjectsTo('big'), s.subjectsTo('small')]).toEqual([['Thank you, big'], []]);
    const tagsOf = async (address: string) => ((await s.t.http.get('/api/customers').query({ q: address }).auth(s.care.admin, { type: 'bearer' })).body as { tags: string[] }[])[0].tags;
    expect([await tagsOf(big), await tagsOf(small)]).toEqual([['vip'], []]);
    await s.close();
  });

  // A low satisfaction answer starting a journey is tested with the survey that records it (surveys.spec.ts).
  it('starts journeys from a tag put on a ticket', async () => {
    const s = await scenario();
    await s.journey({ name: 'Damaged goods', trigger: { type: 'ticket_tagged', tag: 'damaged' }, steps: [email('sorry', 'Re: {{ ticket.subject }}')] });
    const tagged = await s.subscriber('tagged');
    const untagged = await s.subscriber('untagged');
    const ticket = await createTicket(s.t.app, { from: tagged, subject: 'Dented tin', createdAt: s.clock.now() });
    await createTicket(s.t.app, { from: untagged, subject: 'Where is my box?', createdAt: s.clock.now() });
    const patched = await s.t.http.patch(`/api/tickets/${ticket.id}`).auth(s.care.admin, { type: 'bearer' }).send({ tags: ['damaged'] });
    expect(patched.status).toBe(200);
    await s.runAt(at(0, 1));
    expect([s.subjectsTo('tagged'), s.subjectsTo('untagged')]).toEqual([['Re: Dented tin'], []]);
    await s.close();
  });

  it('refuses journeys that could loop or do not parse, and is for care owners only', async () => {
    const s = await scenario();
    const create = (steps: JourneyStepInput[], token = s.care.careOwner) =>
      s.t.http.post('/api/journeys').auth(token, { type: 'bearer' }).send({ name: 'Bad', trigger: { type: 'subscription_day', days: 1 }, steps });
    const backwards = await create([email('a', 'A'), { id: 'b', type: 'branch', condition: { field: 'plan', op: 'eq', value: 'x' }, ifTrue: 'a', ifFalse: 'end' }]);
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body.fields)).toContain('a branch may only jump to a later step');
    const broken = await create([email('a', 'Hello {{ customer.name ')]);
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/steps\.0\.subject: is not a valid Liquid template/);
    await s.t.http.post('/api/users').auth(s.care.admin, { type: 'bearer' }).send({ email: 'agent@careloop.test', name: 'Agent', role: 'agent', password: 'password-12345' });
    expect((await create([email('a', 'A')], await s.t.login('agent@careloop.test', 'password-12345'))).status).toBe(403);
    await s.close();
  });

  it('runs each step once and sends one email per customer when two instances work at the same time', async () => {
    const database = await createTestDatabase();
    const clocks = [new ManualClock(new Date(START.getTime() - 3_600_000)), new ManualClock(new Date(START.getTime() - 3_600_000))];
    const first = await startTestApp({ database, clock: clocks[0], env: { CARELOOP_WORKERS: 'false' } });
    const second = await startTestApp({ database, clock: clocks[1], env: { CARELOOP_WORKERS: 'false' } });
    const care = await setUpCare(first, sink, { weeklyEmailCap: 10 });
    const created = await first.http
      .post('/api/journeys')
      .auth(care.careOwner, { type: 'bearer' })
      .send({ name: 'Welcome', trigger: { type: 'subscription_day', days: 1 }, steps: [{ id: 'settle', type: 'wait', wait: { mode: 'duration', hours: 1 } }, email('welcome', 'Welcome')] });
    await first.http.post(`/api/journeys/${created.body.id}/activate`).auth(care.careOwner, { type: 'bearer' });
    const cohort = Array.from({ length: 1200 }, (_, i) => `twin${i}@example.com`);
    const csv = ['email,status,started_at', ...cohort.map((address) => `${address},active,${START.toISOString()}`)].join('\n');
    await first.http.post('/api/customers/import').auth(care.careOwner, { type: 'bearer' }).attach('file', Buffer.from(csv), 'cohort.csv');
    for (const clock of clocks) clock.set(at(1));
    await first.app.get(JourneyEngine).runDue();

    const before = sink.messages.length;
    for (const clock of clocks) clock.set(at(1, 1));
    const run = async (t: TestApp) => {
      const { claimed } = await t.app.get(JourneyEngine).runDue();
      await t.app.get(CareMailer).drain();
      return claimed;
    };
    const [claimedByFirst, claimedBySecond] = await Promise.all([run(first), run(second)]);
    expect(claimedByFirst).toBeGreaterThan(0);
    expect(claimedBySecond).toBeGreaterThan(0);
    expect(claimedByFirst + claimedBySecond).toBe(cohort.length);
    const mails = sink.messages.slice(before);
    expect(mails).toHaveLength(cohort.length);
    expect(new Set(mails.map((mail) => mail.to)).size).toBe(cohort.length);
    await second.close();
    await first.close();
    await database.drop();
  });
});
