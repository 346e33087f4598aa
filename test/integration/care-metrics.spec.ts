import { DataSource } from 'typeorm';
import type { ChurnDto, CohortsDto, Cycle1Dto, DrillDownDto, JourneyEffectsDto, TicketsPreventedDto } from '../../contracts/care-metrics';
import type { SubscriptionEventRequest, WebhookSecretDto } from '../../contracts/customers';
import type { JourneyDto } from '../../contracts/journeys';
import { JourneyEngineRepository } from '../../server/src/journeys/journey-engine.repository';
import type { Journey } from '../../server/src/journeys/journey.entity';
import { holdoutPosition } from '../../server/src/journeys/holdout';
import { startTestApp, type TestApp } from '../support/app';
import { ManualClock } from './sla-harness';
import { signInAs } from './care-fixtures';

const NOW = '2031-07-15T12:00:00.000Z';
const DAY = 86_400_000;

describe('care metrics, known answers on an injected clock', () => {
  const clock = new ManualClock(new Date(NOW));
  let t: TestApp;
  let admin: string;
  let careOwner: string;
  let lead: string;
  let agent: string;
  let secret: string;

  const get = <T>(path: string, query: Record<string, string> = {}, token = careOwner) => t.http.get(`/api/care/metrics/${path}`).query(query).auth(token, { type: 'bearer' }).then((response) => {
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  });
  const send = async (body: SubscriptionEventRequest) => {
    const response = await t.http.post('/api/subscriptions/events').auth(secret, { type: 'bearer' }).send(body);
    expect(response.status).toBe(200);
  };
  const importCsv = async (lines: string[]) => {
    const response = await t.http
      .post('/api/customers/import')
      .auth(careOwner, { type: 'bearer' })
      .attach('file', Buffer.from(['email,status,started_at,cancelled_at,cancellation_kind', ...lines].join('\n')), { filename: 'subscribers.csv', contentType: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.body.refused).toBe(0);
  };
  const day = (start: string, days: number) => new Date(new Date(`${start}T09:00:00.000Z`).getTime() + days * DAY).toISOString();

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    admin = await t.login();
    careOwner = (await signInAs(t, admin, 'care_owner')).token;
    lead = (await signInAs(t, admin, 'lead')).token;
    agent = (await signInAs(t, admin, 'agent')).token;
    secret = ((await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' })).body as WebhookSecretDto).secret;
  });

  afterAll(() => t.close());

  describe('churn, active subscribers and cohorts, as computed by hand', () => {
    beforeAll(async () => {
      let n = 0;
      const event = (email: string, type: SubscriptionEventRequest['type'], date: string, extra: Partial<SubscriptionEventRequest> = {}) =>
        send({ id: `hand_${++n}`, type, occurredAt: `${date}T09:00:00.000Z`, customer: { email: `${email}@hand.test` }, ...extra });
      await event('a', 'created', '2031-01-10');
      await event('a', 'cancelled', '2031-03-05', { cancellation: { kind: 'voluntary', reason: 'too much coffee' } });
      await event('b', 'created', '2031-01-20');
      await event('b', 'renewed', '2031-02-20');
      await event('c', 'created', '2031-02-03');
      await event('c', 'cancelled', '2031-02-20', { cancellation: { kind: 'involuntary' } });
      await event('d', 'created', '2031-02-15');
      await event('d', 'reactivated', '2031-05-01');
      // Delivered after the reactivation although it happened before it.
      await event('d', 'cancelled', '2031-04-10');
      await event('e', 'created', '2031-03-01');
    });

    it('counts churn per month against those active at its start, split by kind', async () => {
      const churn = await get<ChurnDto>('churn', { from: '2031-01', to: '2031-06' });
      expect(churn.activeNow).toBe(3);
      expect(churn.months.map(({ month, activeAtStart, started, cancelled, voluntary, involuntary, unspecified }) => [month, activeAtStart, started, cancelled, voluntary, involuntary, unspecified])).toEqual([
        ['2031-01', 0, 2, 0, 0, 0, 0],
        ['2031-02', 2, 2, 1, 0, 1, 0],
        ['2031-03', 3, 1, 1, 1, 0, 0],
        ['2031-04', 3, 0, 1, 0, 0, 1],
        ['2031-05', 2, 1, 0, 0, 0, 0],
        ['2031-06', 3, 0, 0, 0, 0, 0],
      ]);
      expect(churn.months.map((month) => month.churnRate)).toEqual([null, 0.5, 1 / 3, 1 / 3, 0, 0]);
      expect(churn.months[1]).toMatchObject({ involuntaryRate: 0.5, voluntaryRate: 0, complete: true });
    });

    it('shows each start month’s share still active at day 30, 90, 180 and 365, once that day has come', async () => {
      const { cohorts } = await get<CohortsDto>('cohorts', { from: '2031-01', to: '2031-06' });
      expect(cohorts.map((cohort) => [cohort.month, cohort.size, cohort.cells.map((cell) => [cell.day, cell.eligible, cell.retained, cell.share])])).toEqual([
        ['2031-01', 2, [[30, 2, 2, 1], [90, 2, 1, 0.5], [180, 1, 0, 0], [365, 0, 0, null]]],
        ['2031-02', 2, [[30, 2, 1, 0.5], [90, 2, 1, 0.5], [180, 0, 0, null], [365, 0, 0, null]]],
        ['2031-03', 1, [[30, 1, 1, 1], [90, 1, 1, 1], [180, 0, 0, null], [365, 0, 0, null]]],
      ]);
    });

    it('drills into the customers behind a month, and exports them as CSV', async () => {
      const cancelled = await get<DrillDownDto>('drill-down', { figure: 'cancelled', month: '2031-02' });
      expect(cancelled.total).toBe(1);
      expect(cancelled.rows[0]).toMatchObject({ email: 'c@hand.test', cancellationKind: 'involuntary' });
      const csv = await t.http.get('/api/care/metrics/drill-down').query({ figure: 'cohort', month: '2031-01', format: 'csv' }).auth(careOwner, { type: 'bearer' });
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text.trim().split('\n')).toEqual([
        'email,name,status,started_at,cancelled_at,cancellation_kind,ticket_number,ticket_subject',
        'b@hand.test,,active,2031-01-20T09:00:00.000Z,,,,',
        'a@hand.test,,cancelled,2031-01-10T09:00:00.000Z,2031-03-05T09:00:00.000Z,voluntary,,',
      ]);
    });

    it('is for care owners and leads, and names a missing or bad field', async () => {
      expect((await t.http.get('/api/care/metrics/churn').auth(agent, { type: 'bearer' })).status).toBe(403);
      expect((await get<ChurnDto>('churn', {}, lead)).months).toHaveLength(12);
      const missing = await t.http.get('/api/care/metrics/drill-down').query({ figure: 'started' }).auth(careOwner, { type: 'bearer' });
      expect(missing.status).toBe(400);
      expect(JSON.stringify(missing.body)).toMatch(/month/);
      const bad = await t.http.get('/api/care/metrics/churn').query({ from: '2031-13' }).auth(careOwner, { type: 'bearer' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/from/);
    });
  });

  describe('the cycle-1 question', () => {
    /**
     * Writes a population starting in `month`: per group, how many opened a ticket in their first cycle and how many
     * of each churned within 90 days; openers' tickets are tagged as given, and some non-openers get a ticket later
     * (day 60), which must not make them openers.
     */
    const population = async (month: string, groups: { label: string; openers: boolean; size: number; churned: number; tag?: string }[]) => {
      const lines: string[] = [];
      const tickets: { email: string; at: string; tag: string | null }[] = [];
      for (const group of groups) {
        for (let i = 0; i < group.size; i++) {
          const email = `${group.label}-${i}@${month}.pop`;
          const start = day(`${month}-01`, i % 28);
          const churned = i < group.churned;
          lines.push(`${email},${churned ? 'cancelled' : 'active'},${start},${churned ? day(`${month}-01`, (i % 28) + 45) : ''},${churned ? 'voluntary' : ''}`);
          if (group.openers) tickets.push({ email, at: day(`${month}-01`, (i % 28) + 10), tag: group.tag ?? null });
          else if (i % 4 === 0) tickets.push({ email, at: day(`${month}-01`, (i % 28) + 60), tag: null });
        }
      }
      await importCsv(lines);
      const db = t.app.get(DataSource);
      await db.query("INSERT INTO tags (name) VALUES ('damaged'), ('billing') ON CONFLICT DO NOTHING");
      await db.query(
        `WITH made AS (
           INSERT INTO tickets (subject, status, customer_id, created_at, updated_at, last_activity_at)
           SELECT coalesce(x.tag, 'question'), 'solved', c.id, x.at, x.at, x.at
             FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS x(email, at, tag) JOIN customers c ON c.email = x.email
           RETURNING id, subject
         ) INSERT INTO ticket_tags (ticket_id, tag_id) SELECT m.id, g.id FROM made m JOIN tags g ON g.name = m.subject`,
        [tickets.map((ticket) => ticket.email), tickets.map((ticket) => ticket.at), tickets.map((ticket) => ticket.tag)],
      );
    };

    beforeAll(async () => {
      // Openers churn at twice the rate: 40% against 20%.
      await population('2030-01', [
        { label: 'damaged-churned', openers: true, size: 40, churned: 40, tag: 'damaged' },
        { label: 'damaged-stayed', openers: true, size: 20, churned: 0, tag: 'damaged' },
        { label: 'billing-churned', openers: true, size: 40, churned: 40, tag: 'billing' },
        { label: 'billing-stayed', openers: true, size: 100, churned: 0, tag: 'billing' },
        { label: 'quiet', openers: false, size: 200, churned: 40 },
      ]);
      // No effect: 20% both ways.
      await population('2030-06', [
        { label: 'open', openers: true, size: 200, churned: 40 },
        { label: 'quiet', openers: false, size: 200, churned: 40 },
      ]);
    });

    it('recovers a planted doubling of churn inside its interval, with counts and the split by tag', async () => {
      const answer = await get<Cycle1Dto>('cycle1', { from: '2030-01', to: '2030-01' });
      expect(answer.openers).toEqual({ customers: 200, churned: 80, churnRate: 0.4 });
      expect(answer.others).toEqual({ customers: 200, churned: 40, churnRate: 0.2 });
      expect(answer.difference!.estimate).toBeCloseTo(0.2, 10);
      expect(answer.difference!.low).toBeGreaterThan(0);
      expect(answer.difference!.low).toBeLessThan(0.2);
      expect(answer.difference!.high).toBeGreaterThan(0.2);
      expect(answer.verdict).toMatch(/^Subscribers with a first-cycle ticket churn more than those without: 20 points higher/);
      expect(answer.byTag.map((tag) => [tag.tag, tag.openers.customers, tag.openers.churned])).toEqual([
        ['billing', 140, 40],
        ['damaged', 60, 40],
      ]);
      expect(answer.byTag[1].difference!.low).toBeGreaterThan(0.2);
    });

    it('shows an interval containing zero when there is no effect', async () => {
      const answer = await get<Cycle1Dto>('cycle1', { from: '2030-06', to: '2030-06' });
      expect(answer.difference!.estimate).toBeCloseTo(0, 10);
      expect(answer.difference!.low).toBeLessThan(0);
      expect(answer.difference!.high).toBeGreaterThan(0);
      expect(answer.verdict).toMatch(/^No clear difference yet/);
    });

    it('drills into the openers with a tag who churned', async () => {
      const drill = await get<DrillDownDto>('drill-down', { figure: 'cycle1_openers', from: '2030-01', to: '2030-01', tag: 'damaged', churned: 'true' });
      expect(drill.total).toBe(40);
      expect(drill.rows.every((row) => row.email.startsWith('damaged-churned-'))).toBe(true);
    });
  });

  describe('journeys measured against their holdout', () => {
    const enroll = async (journey: JourneyDto, emails: string[]) => {
      const db = t.app.get(DataSource);
      const engine = t.app.get(JourneyEngineRepository);
      const customers = await db.query<{ id: string; email: string }[]>('SELECT id, email FROM customers WHERE email = ANY($1)', [emails]);
      const entity = (await db.query<Journey[]>('SELECT id, steps FROM journeys WHERE id = $1', [journey.id]))[0];
      return db.transaction(async (manager) => {
        const entered: { customerId: string; email: string; heldOut: boolean }[] = [];
        for (const customer of customers) {
          const enrollment = await engine.enrollOne(entity, customer.id, 'test', null, clock.now(), manager);
          entered.push({ customerId: customer.id, email: customer.email, heldOut: enrollment!.heldOut });
        }
        return entered;
      });
    };
    const createJourney = async (name: string, holdoutPercent: number) => {
      const response = await t.http
        .post('/api/journeys')
        .auth(careOwner, { type: 'bearer' })
        .send({ name, trigger: { type: 'subscription_day', days: 30 }, steps: [{ id: 'tag_1', type: 'tag', tag: 'checked-in' }], holdoutPercent });
      expect(response.status).toBe(201);
      return response.body as JourneyDto;
    };

    it('holds out the same customers the code says, reached customers churning less', async () => {
      const emails = Array.from({ length: 400 }, (_, i) => `member-${i}@journey.test`);
      await importCsv(emails.map((email) => `${email},active,2031-01-01,,`));
      const journey = await createJourney('Day-30 check-in', 25);
      clock.set('2031-02-01T12:00:00.000Z');
      const entered = await enroll(journey, emails);
      clock.set(NOW);
      expect(entered.every((row) => row.heldOut === holdoutPosition(journey.id, row.customerId) < 0.25)).toBe(true);
      const heldOut = entered.filter((row) => row.heldOut);
      const reached = entered.filter((row) => !row.heldOut);
      expect(heldOut.length / entered.length).toBeGreaterThan(0.18);
      expect(heldOut.length / entered.length).toBeLessThan(0.32);
      // Within 90 days of entering, half the held-out customers cancel and a tenth of those reached.
      const leavers = [...heldOut.filter((_, i) => i % 2 === 0), ...reached.filter((_, i) => i % 10 === 0)];
      await importCsv(leavers.map((row) => `${row.email},cancelled,,2031-03-15,voluntary`));
      const { journeys } = await get<JourneyEffectsDto>('journeys');
      const effect = journeys.find((entry) => entry.journeyId === journey.id)!;
      expect(effect.heldOut).toMatchObject({ customers: heldOut.length, churned: Math.ceil(heldOut.length / 2) });
      expect(effect.reached).toMatchObject({ customers: reached.length, churned: Math.ceil(reached.length / 10) });
      expect(effect.churnDifference!.high).toBeLessThan(0);
      expect(effect.verdict).toMatch(/^Reached customers churn less than held-out customers/);
      const drill = await get<DrillDownDto>('drill-down', { figure: 'journey_held_out', id: journey.id });
      expect(drill.total).toBe(heldOut.length);
    });

    it('says so in words while there is not enough data yet', async () => {
      const journey = await createJourney('Renewal reminder', 10);
      clock.set('2031-03-01T12:00:00.000Z');
      await enroll(journey, Array.from({ length: 20 }, (_, i) => `member-${i}@journey.test`));
      clock.set(NOW);
      const effect = (await get<JourneyEffectsDto>('journeys')).journeys.find((entry) => entry.journeyId === journey.id)!;
      expect(effect.churnDifference).toBeNull();
      expect(effect.verdict).toMatch(/^Not enough data yet: \d+ reached customers and \d+ held-out customers have had their 90 days; at least 30 of each are needed\.$/);
    });
  });

  describe('tickets prevented', () => {
    it('lists shipped initiatives with the full weeks since, and nothing prevented when no tickets came either way', async () => {
      expect((await get<TicketsPreventedDto>('prevented')).initiatives).toEqual([]);
      await t.app.get(DataSource).query("INSERT INTO tags (name) VALUES ('damaged') ON CONFLICT DO NOTHING");
      const created = await t.http.post('/api/care/initiatives').auth(careOwner, { type: 'bearer' }).send({ title: 'Stronger bags', tags: ['damaged'] });
      expect(created.status).toBe(201);
      clock.set('2031-05-01T12:00:00.000Z');
      const moved = await t.http.post(`/api/care/initiatives/${created.body.id}/move`).auth(careOwner, { type: 'bearer' }).send({ status: 'shipped', index: 0 });
      expect(moved.status).toBe(201);
      clock.set(NOW);
      const prevented = await get<TicketsPreventedDto>('prevented');
      expect(prevented.initiatives).toEqual([
        expect.objectContaining({ title: 'Stronger bags', shippedAt: '2031-05-01T12:00:00.000Z', weeksAfter: 10, baselineRatePer100: 0, expected: 0, actual: 0, prevented: { estimate: 0, low: 0, high: 0 } }),
      ]);
      expect(prevented.total).toEqual({ estimate: 0, low: 0, high: 0 });
    });
  });
});
