import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { setUpCare, startSmtpSink, type SmtpSink } from './journeys-harness';

const SUBSCRIBERS = 1500;
const STEPS = ['First', 'Second', 'Third'];
const DAY = 86_400_000;

describe('journeys survive a killed process', () => {
  let sink: SmtpSink;
  let api: TestApp;
  let db: Client;
  const servers: ServerProcess[] = [];

  const stepRuns = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM journey_step_runs')).rows[0].n;

  beforeAll(async () => {
    sink = await startSmtpSink();
    // This process only sets up through the API; the journeys run in separate processes on the real clock.
    api = await startTestApp({ env: { CARELOOP_WORKERS: 'false' } });
    const care = await setUpCare(api, sink, { weeklyEmailCap: 10, quietHoursStart: null, quietHoursEnd: null });
    const journey = await api.http
      .post('/api/journeys')
      .auth(care.careOwner, { type: 'bearer' })
      .send({
        name: 'Three in a row',
        trigger: { type: 'subscription_day', days: 30 },
        steps: STEPS.map((subject, i) => ({ id: `step${i}`, type: 'email', subject, body: `${subject} email`, marketing: false })),
      });
    await api.http.post(`/api/journeys/${journey.body.id}/activate`).auth(care.careOwner, { type: 'bearer' });
    // Day 30 of these subscriptions comes a moment after the journey was switched on.
    const startedAt = new Date(Date.now() + 1000 - 30 * DAY).toISOString();
    const csv = ['email,status,started_at', ...Array.from({ length: SUBSCRIBERS }, (_, i) => `crash${i}@example.com,active,${startedAt}`)].join('\n');
    const imported = await api.http.post('/api/customers/import').auth(care.careOwner, { type: 'bearer' }).attach('file', Buffer.from(csv), 'cohort.csv');
    expect(imported.body.created).toBe(SUBSCRIBERS);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    db = new Client({ connectionString: api.database.url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await db?.end();
    await api?.close();
    await sink?.close();
  });

  it('runs every step and sends every email exactly once across a SIGKILL mid-journey and a restart', async () => {
    const first = startServerProcess(api.database.url);
    servers.push(first);
    await waitFor('the first instance part-way through the journey', async () => (await stepRuns()) >= SUBSCRIBERS, 60_000, 20);
    // Stall the mail server so the kill lands with emails in flight, none of them acknowledged.
    sink.hold();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.kill();
    const runsAtKill = await stepRuns();
    const sentAtKill = sink.messages.length;
    expect(runsAtKill).toBeLessThan(SUBSCRIBERS * STEPS.length);
    sink.release();

    const second = startServerProcess(api.database.url);
    servers.push(second);
    await waitFor('every email', () => Promise.resolve(sink.messages.length >= SUBSCRIBERS * STEPS.length), 120_000, 200);
    // Give any stray duplicate a moment to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(sink.messages).toHaveLength(SUBSCRIBERS * STEPS.length);
    expect(new Set(sink.messages.map((mail) => mail.messageId)).size).toBe(SUBSCRIBERS * STEPS.length);
    const perCustomer = new Map<string, string[]>();
    for (const mail of sink.messages) perCustomer.set(mail.to, [...(perCustomer.get(mail.to) ?? []), mail.subject]);
    expect(perCustomer.size).toBe(SUBSCRIBERS);
    expect([...perCustomer.values()].every((subjects) => subjects.join() === STEPS.join())).toBe(true);
    expect(await stepRuns()).toBe(SUBSCRIBERS * STEPS.length);
    const touches = await db.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM care_touches GROUP BY state');
    expect(touches.rows).toEqual([{ state: 'sent', n: SUBSCRIBERS * STEPS.length }]);
    expect(sentAtKill).toBeLessThan(SUBSCRIBERS * STEPS.length);
  }, 240_000);
});
