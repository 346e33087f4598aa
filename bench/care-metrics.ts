/**
 * The care metrics at scale: subscribers with two years of subscription events (and their spells), tickets
 * (a third tagged), journey entrants with a 10% holdout, all generated with SQL. Measures the dashboard's API
 * calls as a care owner sees them: churn and active subscribers, cohorts, the cycle-1 question, journeys' effect.
 * and NPS answers (a fifth with a comment).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- care-metrics [--subscribers=100000] [--tickets=1000000] [--nps=50000] [--runs=20] [--keep]
 */
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { benchApp, benchDatabase, percentile } from './support';

const argument = (name: string, fallback: number) => Number(process.argv.find((value) => value.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const subscribers = argument('subscribers', 100_000);
const tickets = argument('tickets', 1_000_000);
const npsAnswers = argument('nps', 50_000);
const runs = argument('runs', 20);
/** Leaves the seeded database in place (its URL on stderr) for EXPLAIN ANALYZE. */
const keep = process.argv.includes('--keep');
const TAGS = ['delivery', 'damaged', 'skip', 'billing', 'refund', 'cancellation', 'address-change', 'grind-size'];

async function seed(db: DataSource): Promise<void> {
  await db.query(`INSERT INTO tags (name) SELECT unnest($1::text[])`, [TAGS]);
  // Each subscriber: a start in the last two years, monthly renewals, and for about half a cancellation.
  await db.query(
    `INSERT INTO customers (email, subscription_status, subscription_started_at, cancelled_at, cancellation_kind, current_cycle)
     SELECT 'subscriber' || g || '@bench.test', CASE WHEN ended < now() THEN 'cancelled' ELSE 'active' END::subscription_status, started,
            CASE WHEN ended < now() THEN ended END, CASE WHEN ended < now() THEN (CASE WHEN g % 4 = 0 THEN 'involuntary' ELSE 'voluntary' END) END, 1
       FROM (SELECT g, now() - random() * interval '730 days' AS started FROM generate_series(1, $1) g) s,
            LATERAL (SELECT s.started + (30 + random() * 900) * interval '1 day' AS ended) e`,
    [subscribers],
  );
  await db.query('ANALYZE customers');
  await db.query(
    `INSERT INTO subscription_spells (customer_id, started_at, ended_at, cancellation_kind, first_renewal_at)
     SELECT id, subscription_started_at, cancelled_at, cancellation_kind, subscription_started_at + interval '30 days' FROM customers`,
  );
  await db.query(
    `INSERT INTO subscription_events (event_id, customer_id, type, occurred_at, received_at)
     SELECT 'bench_' || c.id || '_' || k, c.id, CASE WHEN k = 0 THEN 'created' ELSE 'renewed' END, at, at
       FROM customers c, LATERAL generate_series(0, floor(extract(epoch FROM coalesce(c.cancelled_at, now()) - c.subscription_started_at) / 2592000)::int) k,
            LATERAL (SELECT c.subscription_started_at + k * interval '30 days' AS at) a
     UNION ALL
     SELECT 'bench_' || id || '_cancel', id, 'cancelled', cancelled_at, cancelled_at FROM customers WHERE cancelled_at IS NOT NULL`,
  );
  await db.query('ANALYZE subscription_spells, care_subscriber_facts');
  await db.query(
    `WITH numbered AS (SELECT id, subscription_started_at, cancelled_at, row_number() OVER (ORDER BY id) AS n FROM customers)
     INSERT INTO tickets (subject, status, customer_id, created_at, updated_at, last_activity_at)
     SELECT 'Ticket ' || g, 'solved', c.id, at, at, at
       FROM (SELECT g, 1 + (g::bigint * 7919) % $2 AS n FROM generate_series(1, $1) g) s
       JOIN numbered c ON c.n = s.n,
       LATERAL (SELECT c.subscription_started_at + random() * (coalesce(c.cancelled_at, now()) - c.subscription_started_at) AS at) a`,
    [tickets, subscribers],
  );
  // A live database grows slowly and autovacuum keeps its statistics; a bulk load must say so itself, or the
  // rollup triggers below are planned as if tickets were empty.
  await db.query('ANALYZE');
  await db.query('ALTER TABLE ticket_tags DISABLE TRIGGER ticket_tags_rollup');
  await db.query(
    `INSERT INTO ticket_tags (ticket_id, tag_id)
     SELECT t.id, g.id FROM (SELECT id, 1 + floor(random() * $1)::int AS k FROM tickets WHERE random() < 0.33) t JOIN tags g ON g.name = ($2::text[])[t.k]`,
    [TAGS.length, TAGS],
  );
  await db.query('ALTER TABLE ticket_tags ENABLE TRIGGER ticket_tags_rollup');
  await db.query('ANALYZE');
  const [journey] = await db.query<{ id: string }[]>(
    `INSERT INTO journeys (name, status, trigger, steps, holdout_percent) VALUES ('Day-30 check-in', 'active', '{"type":"subscription_day","days":30}', '[{"id":"tag_1","type":"tag","tag":"checked-in"}]', 10) RETURNING id`,
  );
  await db.query(
    `INSERT INTO journey_enrollments (journey_id, customer_id, occurrence_key, state, held_out, created_at)
     SELECT $1, id, 'day:30', CASE WHEN held THEN 'held_out' ELSE 'completed' END, held, subscription_started_at + interval '30 days'
       FROM (SELECT id, subscription_started_at, random() < 0.1 AS held FROM customers WHERE subscription_started_at + interval '30 days' < now()) c`,
    [journey.id],
  );
  await db.query(
    `WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers)
     INSERT INTO satisfaction_responses (kind, customer_id, score, comment, created_at)
     SELECT 'nps', c.id, floor(random() * 11)::int, CASE WHEN g % 5 = 0 THEN 'Comment ' || g END, now() - random() * interval '730 days'
       FROM generate_series(1, $1) g JOIN numbered c ON c.n = 1 + (g::bigint * 7919) % $2`,
    [npsAnswers, subscribers],
  );
  await db.query('ANALYZE');
}

async function main(): Promise<void> {
  const database = await benchDatabase('care_metrics');
  const app = await benchApp(database.url);
  try {
    const db = app.get(DataSource);
    const seedStart = performance.now();
    await seed(db);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const [counts] = await db.query<{ events: number; tickets: number; answers: number }[]>(
      `SELECT (SELECT count(*)::int FROM subscription_events) AS events, (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM satisfaction_responses WHERE kind = 'nps') AS answers`,
    );
    const http = request(app.getHttpServer() as Server);
    const login = await http.post('/api/auth/login').send({ email: 'admin@careloop.local', password: 'admin-password-1' });
    const token = (login.body as { token: string }).token;
    const measure = async (path: string) => {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        const response = await http.get(`/api/care/metrics/${path}`).auth(token, { type: 'bearer' });
        times.push(performance.now() - start);
        if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      }
      return Math.round(percentile(times, 95));
    };
    // The whole two years, as the dashboard's longest period asks.
    const since = new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 7);
    const churn = await measure(`churn?from=${since}`);
    const cohorts = await measure(`cohorts?from=${since}`);
    const nps = await measure(`nps?from=${since}`);
    const cycle1 = await measure(`cycle1?from=${since}`);
    const journeys = await measure('journeys');
    console.error(`seeded in ${seedSeconds} s: ${counts.events} subscription events, ${counts.tickets} tickets, ${counts.answers} NPS answers; ${runs} runs each`);
    console.log(
      JSON.stringify({
        bench: 'care-metrics',
        subscribers,
        tickets: counts.tickets,
        churn_p95_ms: churn,
        cohorts_p95_ms: cohorts,
        nps_p95_ms: nps,
        cycle1_p95_ms: cycle1,
        journey_effect_p95_ms: journeys,
      }),
    );
  } finally {
    await app.close();
    if (keep) console.error(`kept ${database.url}`);
    else await database.drop();
  }
}

void main();
