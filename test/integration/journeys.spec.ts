import type { CustomerDto, TicketDetailDto } from '../../contracts/api';
import type { Customer360Dto } from '../../contracts/customers';
import type { JourneyDto } from '../../contracts/journeys';
import { CareMailer } from '../../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { ManualClock } from './sla-harness';
import { setUpCare, startSmtpSink, subscriptionEvent, switchOnPreset, type CareWorkspace, type SmtpSink } from './journeys-harness';
import { publish, reactions } from '../support/events';

const DAY = 86_400_000;
const START = new Date('2031-01-06T10:00:00.000Z');
const dayOf = (n: number) => new Date(START.getTime() + n * DAY);
const SYSTEM = { type: 'system' as const, id: null };

/** Which preset email a subject belongs to. */
const KINDS: [string, RegExp][] = [
  ['apology', /^Re: /],
  ['check_in_after_problem', /^Is everything right now/],
  ['save_offer', /^Something for your next delivery/],
  ['renewal_reminder', /^Your next delivery ships on/],
  ['day_30', /^One month in/],
  ['day_90', /^Three months together/],
  ['day_180', /^Half a year/],
  ['win_back', /^We miss you/],
  ['skip_offer', /^Would a different rhythm/],
];
const kindOf = (subject: string) => KINDS.find(([, pattern]) => pattern.test(subject))?.[0] ?? `unknown: ${subject}`;

describe('care journeys over a simulated 180-day lifecycle', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let care: CareWorkspace;
  const clock = new ManualClock(new Date(START.getTime() - 3_600_000));
  const received: { day: number; to: string; kind: string }[] = [];
  const journeys = new Map<string, JourneyDto>();

  const customer = (name: string) => `${name}@example.com`;
  const event = (id: string, type: 'created' | 'renewed' | 'skipped' | 'cancelled' | 'reactivated', email: string, day: number) =>
    subscriptionEvent(t, care, {
      id,
      type,
      occurredAt: dayOf(day).toISOString(),
      customer: { email, name: email.split('@')[0].replace(/^./, (c) => c.toUpperCase()) },
      subscription: type === 'cancelled' ? {} : { plan: 'Beans 1kg', amount: 24.9, nextRenewalAt: dayOf(day + 30).toISOString() },
    });
  const ticketFrom = async (email: string, subject: string) => {
    const ticket = await createTicket(t.app, { from: email, subject, createdAt: clock.now() });
    await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);
    await reactions(t.app);
    return ticket.id;
  };

  const overviewOf = async (email: string): Promise<Customer360Dto> => {
    const [found] = (await t.http.get('/api/customers').query({ q: email }).auth(care.admin, { type: 'bearer' })).body as CustomerDto[];
    const response = await t.http.get(`/api/customers/${found.id}/overview`).auth(care.careOwner, { type: 'bearer' });
    expect(response.status).toBe(200);
    return response.body as Customer360Dto;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    // Workers off: the test drives passes and sending itself, day by day, on its own clock.
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    care = await setUpCare(t, sink);
    for (const key of ['cycle_1_recovery', 'day_30_check_in', 'day_90_check_in', 'day_180_check_in', 'pre_renewal_reminder', 'win_back', 'skip_twice_offer']) {
      journeys.set(key, await switchOnPreset(t, care, key));
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('sends every preset email on the right day to the right subscriber, and nothing more', async () => {
    const ticketIds = new Map<string, string>();
    const actions: Record<number, (() => Promise<void>)[]> = {
      0: ['ann', 'ben', 'cas', 'dan', 'eve', 'fay'].map((name) => () => event(`${name}-created`, 'created', customer(name), 0)),
      1: [
        async () => void ticketIds.set('eve', await ticketFrom(customer('eve'), 'Beans arrived ground, not whole')),
        async () => void ticketIds.set('fay', await ticketFrom(customer('fay'), 'Box never arrived')),
      ],
      2: [
        async () => void ticketIds.set('ben', await ticketFrom(customer('ben'), 'My first box was crushed')),
        async () => void (await t.app.get(TicketsService).update(ticketIds.get('fay') as string, { status: 'solved' }, SYSTEM)),
      ],
      3: [
        // Eve uses the one-click unsubscribe of the apology she got.
        async () => {
          const apology = sink.messages.find((mail) => mail.to === customer('eve'));
          const link = /<([^>]+)>/.exec(apology?.headers.get('list-unsubscribe') ?? '')?.[1] as string;
          const response = await t.http.post(new URL(link).pathname).type('form').send('List-Unsubscribe=One-Click');
          expect(response.status).toBe(200);
        },
      ],
      4: [() => event('fay-cancelled', 'cancelled', customer('fay'), 4)],
      5: [async () => void (await t.app.get(TicketsService).update(ticketIds.get('ben') as string, { status: 'solved' }, SYSTEM))],
      30: [() => event('ann-r1', 'renewed', customer('ann'), 30), () => event('ben-r1', 'renewed', customer('ben'), 30), () => event('cas-r1', 'renewed', customer('cas'), 30), () => event('dan-s1', 'skipped', customer('dan'), 30)],
      40: [() => event('cas-cancelled', 'cancelled', customer('cas'), 40)],
      60: [() => event('ann-r2', 'renewed', customer('ann'), 60), () => event('ben-r2', 'renewed', customer('ben'), 60), () => event('dan-s2', 'skipped', customer('dan'), 60)],
    };
    for (const day of [90, 120, 150, 180]) {
      actions[day] = ['ann', 'ben', 'dan'].map((name) => () => event(`${name}-r${day}`, 'renewed', customer(name), day));
    }

    for (let day = 0; day <= 180; day++) {
      clock.set(dayOf(day).toISOString());
      for (const action of actions[day] ?? []) await action();
      await reactions(t.app);
      await t.app.get(JourneyEngine).runDue();
      const before = sink.messages.length;
      await t.app.get(CareMailer).drain();
      for (const mail of sink.messages.slice(before)) received.push({ day, to: mail.to.split('@')[0], kind: kindOf(mail.subject) });
    }

    const reminders = (...days: number[]) => days.map((day) => [day, 'renewal_reminder']);
    const expected: Record<string, (string | number)[][]> = {
      ann: [...reminders(27, 57, 87, 117, 147, 177), [30, 'day_30'], [90, 'day_90'], [180, 'day_180']],
      // Cycle-1 recovery: apology at once, check-in a week later, save offer 3 days before the renewal.
      ben: [[2, 'apology'], [9, 'check_in_after_problem'], [27, 'save_offer'], ...reminders(27, 57, 87, 117, 147, 177), [30, 'day_30'], [90, 'day_90'], [180, 'day_180']],
      cas: [[27, 'renewal_reminder'], [30, 'day_30'], [54, 'win_back']],
      // Skipping moves the renewal date on; the second skip in a row brings the frequency offer.
      dan: [...reminders(27, 57, 87, 117, 147, 177), [30, 'day_30'], [60, 'skip_offer'], [90, 'day_90'], [180, 'day_180']],
      // Unsubscribed on day 3: nothing after the apology.
      eve: [[1, 'apology']],
      // Cancelled on day 4: the recovery journey stops (exit goal), the win-back follows 14 days later.
      fay: [[1, 'apology'], [18, 'win_back']],
    };
    const byCustomer = (entries: { day: number; to: string; kind: string }[], name: string) =>
      entries
        .filter((entry) => entry.to === name)
        .map((entry) => [entry.day, entry.kind])
        .sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])));
    for (const [name, emails] of Object.entries(expected)) {
      expect([name, byCustomer(received, name)]).toEqual([name, emails.sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])))]);
    }
    expect(new Set(sink.messages.map((mail) => mail.messageId)).size).toBe(sink.messages.length);
    // Half a year later the sessions have expired: log in again for the API checks below.
    care.admin = await t.login();
    care.careOwner = await t.login('carla@careloop.test', 'password-12345');
  }, 180_000);

  it('marks every care email as automatic and offers one-click unsubscribe', () => {
    const mail = sink.messages[0];
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('list-unsubscribe')).toMatch(new RegExp(`^<${t.config.publicUrl}/api/care/unsubscribe/[\\w-]+\\.[\\w-]+>$`));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain('Unsubscribe:');
  });

  it('counts per journey who entered, each step, goals reached, unsubscribes and emails', async () => {
    const response = await t.http.get('/api/journeys').auth(care.careOwner, { type: 'bearer' });
    const figures = new Map((response.body as JourneyDto[]).map((journey) => [journey.presetKey, journey.figures]));
    const recovery = figures.get('cycle_1_recovery');
    expect(recovery).toMatchObject({ entered: 3, completed: 1, goalReached: 1, unsubscribed: 1, emailsSent: 5 });
    expect(Object.fromEntries((recovery?.steps ?? []).map((step) => [step.stepId, step.done]))).toEqual({
      apology: 3,
      confirm_remedy: 3,
      wait_a_week: 3,
      check_in: 1,
      until_before_renewal: 1,
      save_offer: 1,
    });
    expect(figures.get('pre_renewal_reminder')).toMatchObject({ emailsSent: 19 });
    expect(figures.get('win_back')).toMatchObject({ entered: 2, completed: 2, emailsSent: 2 });
  });

  it('gives the care owner a task ticket for each first-cycle complaint, and shows the journey on the complaint', async () => {
    const list = await t.http.get('/api/tickets').query({ q: 'Confirm a replacement' }).auth(care.admin, { type: 'bearer' });
    expect(list.body.items).toHaveLength(3);
    const overview = await overviewOf('ben@example.com');
    const complaint = (await t.http.get(`/api/tickets/${overview.tickets[0].id}`).auth(care.admin, { type: 'bearer' })).body as TicketDetailDto;
    expect(complaint.events.map((event) => event.type)).toEqual(expect.arrayContaining(['journey.entered', 'journey.email_queued', 'journey.task_created']));
  });

  it('shows the whole story on the customer 360; agents read it but may not change the customer', async () => {
    const overview = await overviewOf('fay@example.com');
    expect(overview.customer).toMatchObject({ email: 'fay@example.com', subscriptionStatus: 'cancelled' });
    expect(overview.subscriptionEvents.map((event) => event.type)).toEqual(['cancelled', 'created']);
    expect(overview.tickets).toHaveLength(1);
    expect(overview.careTouches.map((touch) => [touch.journeyName, touch.state])).toEqual([
      ['Win-back', 'sent'],
      ['Cycle-1 recovery', 'sent'],
    ]);
    const recovery = overview.journeys.find((journey) => journey.journeyName === 'Cycle-1 recovery');
    expect(recovery).toMatchObject({ state: 'exited', exitReason: 'cancelled' });
    expect(recovery?.steps.map((step) => step.stepId)).toEqual(['apology', 'confirm_remedy', 'wait_a_week']);
    const agent = await t.http.post('/api/users').auth(care.admin, { type: 'bearer' }).send({ email: 'agent@careloop.test', name: 'Agent', role: 'agent', password: 'password-12345' });
    expect(agent.status).toBe(201);
    const agentToken = await t.login('agent@careloop.test', 'password-12345');
    const asAgent = await t.http.get(`/api/customers/${overview.customer.id}/overview`).auth(agentToken, { type: 'bearer' });
    expect(asAgent.status).toBe(200);
    expect((asAgent.body as Customer360Dto).careTouches).toHaveLength(2);
    expect((await t.http.patch(`/api/customers/${overview.customer.id}`).auth(agentToken, { type: 'bearer' }).send({ name: 'Fay F.' })).status).toBe(403);
  });
});
