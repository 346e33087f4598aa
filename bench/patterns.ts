/**
 * Signals at scale: 1,000,000 tickets over two years with 200 tags (skewed: a few tags carry most tickets, as in
 * real helpdesks), 90% of them tagged, from 50,000 customers, and one tag tripling in the last week. Measures the
 * signals query (everything GET /api/signals runs) and the rollup update per new tagged ticket (the ticket_tags
 * insert with its trigger, in its own transaction). Rows are written set-based; the history's rollups are built
 * with one GROUP BY instead of a million trigger calls, then the trigger is back on for the measured inserts.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- patterns [--tickets=1000000]
 */
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../server/src/auth/auth.decorators';
import { SignalsService } from '../server/src/tags/signals/signals.service';
import { benchApp, benchDatabase, percentile } from './support';

const ticketCount = Number(process.argv.find((argument) => argument.startsWith('--tickets='))?.slice('--tickets='.length) ?? 1_000_000);
const TAGS = 200;
const CUSTOMERS = 50_000;
const DAYS = 730;
const RISING_TAG = 'tag-007';
const SIGNAL_RUNS = 40;
const ROLLUP_RUNS = 300;
const ADMIN: AuthUser = { id: '00000000-0000-0000-0000-000000000000', email: 'bench@careloop.test', name: 'Bench', role: 'admin', teamIds: [] };

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await work();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

async function seed(db: DataSource): Promise<void> {
  await db.query(`INSERT INTO tags (name) SELECT 'tag-' || lpad(g::text, 3, '0') FROM generate_series(0, $1 - 1) g`, [TAGS]);
  await db.query(
    `INSERT INTO customers (email, subscription_status, subscription_started_at, current_cycle)
     SELECT 'customer' || g || '@bench.test', 'active', now() - (g % 700) * interval '1 day', (g % 700) / 30 + 1 FROM generate_series(1, $1) g`,
    [CUSTOMERS],
  );
  await timed('tickets', () =>
    db.query(
      `INSERT INTO tickets (subject, status, customer_id, created_at, updated_at, last_activity_at)
       SELECT 'Ticket ' || g, 'solved', c.id, at, at, at
         FROM (SELECT g, now() - random() * $2 * interval '1 day' AS at, 1 + (g::bigint * 7919) % $3 AS customer FROM generate_series(1, $1) g) s
         JOIN customers c ON c.email = 'customer' || s.customer || '@bench.test'`,
      [ticketCount, DAYS, CUSTOMERS],
    ),
  );
  await db.query('ALTER TABLE ticket_tags DISABLE TRIGGER ticket_tags_rollup');
  await timed('ticket_tags', async () => {
    // Tag k gets a share falling off like 1/(k+1)^0.8-ish: random()^2 piles the draws onto the first tags.
    await db.query(
      `INSERT INTO ticket_tags (ticket_id, tag_id)
       SELECT t.id, g.id FROM (SELECT id, floor($1 * random() ^ 2)::int AS k FROM tickets WHERE random() < 0.9) t
         JOIN tags g ON g.name = 'tag-' || lpad(t.k::text, 3, '0')`,
      [TAGS],
    );
    // The rising pattern: the last week brings twice the usual tickets again on top.
    await db.query(
      `WITH extra AS (
         INSERT INTO tickets (subject, status, customer_id, created_at, updated_at, last_activity_at)
         SELECT 'Checkout fails ' || g, 'open', c.id, at, at, at
           FROM (SELECT g, now() - random() * interval '7 days' AS at FROM generate_series(1, 2 * (SELECT count(*) FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id
                  WHERE g.name = $1) * 7 / $2) g) s
           JOIN customers c ON c.email = 'customer' || (1 + (g * 31) % $3) || '@bench.test'
         RETURNING id
       )
       INSERT INTO ticket_tags (ticket_id, tag_id) SELECT extra.id, (SELECT id FROM tags WHERE name = $1) FROM extra`,
      [RISING_TAG, DAYS, CUSTOMERS],
    );
  });
  await timed('rollups (one GROUP BY)', async () => {
    await db.query(
      `INSERT INTO tag_daily_counts (tag_id, day, tickets, first_cycle_tickets, example_ticket_ids)
       SELECT tt.tag_id, (t.created_at AT TIME ZONE 'UTC')::date, count(*),
              count(*) FILTER (WHERE c.subscription_status = 'active' AND c.current_cycle = 1), (array_agg(t.id ORDER BY t.created_at DESC))[1:3]
         FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
        GROUP BY 1, 2`,
    );
    await db.query(
      `INSERT INTO tag_daily_customers (tag_id, day, customer_id, tickets)
       SELECT tt.tag_id, (t.created_at AT TIME ZONE 'UTC')::date, t.customer_id, count(*)
         FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id WHERE t.customer_id IS NOT NULL
        GROUP BY 1, 2, 3`,
    );
  });
  await db.query('ALTER TABLE ticket_tags ENABLE TRIGGER ticket_tags_rollup');
  await timed('analyze', () => db.query('ANALYZE'));
}

async function main(): Promise<void> {
  const database = await benchDatabase('patterns');
  const app = await benchApp(database.url, { CARELOOP_WORKERS: 'false' });
  try {
    const db = app.get(DataSource);
    await seed(db);
    const [{ tickets }] = await db.query<{ tickets: number }[]>('SELECT count(*)::int AS tickets FROM tickets');

    const signals = app.get(SignalsService);
    const signalTimes: number[] = [];
    let top = '';
    for (let run = 0; run < SIGNAL_RUNS; run++) {
      const start = performance.now();
      const result = await signals.list(30, ADMIN);
      signalTimes.push(performance.now() - start);
      top = `${result.signals[0]?.label} (rising ${result.signals[0]?.rising}, ${result.signals.length} signals)`;
    }
    console.log(`top signal: ${top}`);

    // New tickets of random tags, each tagged in its own transaction as an agent's edit would.
    const tagIds = (await db.query<{ id: string }[]>('SELECT id FROM tags')).map((row) => row.id);
    const fresh = await db.query<{ id: string }[]>(
      `INSERT INTO tickets (subject, status, customer_id) SELECT 'New ' || g, 'new', (SELECT id FROM customers OFFSET g LIMIT 1) FROM generate_series(1, $1) g RETURNING id`,
      [ROLLUP_RUNS],
    );
    const rollupTimes: number[] = [];
    for (const [index, { id }] of fresh.entries()) {
      const start = performance.now();
      await db.transaction((manager) => manager.query('INSERT INTO ticket_tags (ticket_id, tag_id) VALUES ($1, $2)', [id, tagIds[(index * 37) % tagIds.length]]));
      rollupTimes.push(performance.now() - start);
    }

    // Medians too: on a shared machine the tail says as much about the neighbours as about the code.
    console.log(`signals p50 ${percentile(signalTimes, 50).toFixed(1)} ms; rollup update p50 ${percentile(rollupTimes, 50).toFixed(2)} ms`);
    console.log(
      JSON.stringify({
        bench: 'patterns',
        tickets,
        tags: TAGS,
        signals_p95_ms: Number(percentile(signalTimes, 95).toFixed(1)),
        rollup_update_p95_ms: Number(percentile(rollupTimes, 95).toFixed(2)),
      }),
    );
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
