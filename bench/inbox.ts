/**
 * The ticket list at scale: generates tickets (with a message and tags each) with set-based SQL, then
 * measures the list API for each default view and for full-text search, as an agent sees them.
 * Usage: npm run bench -- inbox [tickets=1000000]
 */
import { Client } from 'pg';
import request from 'supertest';
import { BUILTIN_VIEWS, teamViewFilter, type ViewFilter } from '../contracts/views';
import { benchApp, benchDatabase, memorySampler, percentile } from './support';

const TICKETS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 40;
const AGENT_EMAIL = 'bench.agent.1@careloop.test';
const PASSWORD = 'admin-password-1';
const SEARCHES = ['refund', 'damaged box', 'delivery late', 'invoice charge', 'skip next'];

async function generate(db: Client): Promise<{ teamId: string }> {
  // Bulk load without per-row triggers (the search vector is computed in the insert itself).
  await db.query("SET session_replication_role = 'replica'");
  await db.query(`INSERT INTO teams (name) SELECT 'Team ' || g FROM generate_series(1, 4) g`);
  await db.query(`INSERT INTO users (email, name, role, availability, password_hash)
    SELECT 'bench.agent.' || g || '@careloop.test', 'Agent ' || g, 'agent', 'available', (SELECT password_hash FROM users WHERE role = 'admin' LIMIT 1)
    FROM generate_series(1, 20) g`);
  await db.query(`INSERT INTO team_members (user_id, team_id)
    SELECT u.id, t.id FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE role = 'agent') u
    JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM teams) t ON t.n = (u.n % 4) + 1`);
  await db.query(`INSERT INTO customers (email, name) SELECT 'customer' || g || '@example.com', 'Customer ' || g FROM generate_series(1, 50000) g`);
  await db.query(`INSERT INTO tags (name) SELECT 'tag-' || g FROM generate_series(1, 50) g`);
  await db.query(`CREATE TEMP TABLE words AS SELECT ARRAY['refund','delivery','late','damaged','box','invoice','charge','skip','next','pause','grind','beans','address','coupon','subscription','cancel','missing','order','parcel','tracking'] AS w`);
  await db.query(
    `WITH refs AS (
       SELECT array_agg(id ORDER BY email) AS agents FROM users WHERE role = 'agent'
     ), team_refs AS (SELECT array_agg(id ORDER BY name) AS teams FROM teams),
     customer_refs AS (SELECT array_agg(id) AS customers FROM customers)
     INSERT INTO tickets (subject, status, priority, assignee_id, team_id, customer_id, snippet, message_count, created_at, updated_at, last_activity_at, search_vector)
     SELECT s.subject,
            (ARRAY['new','open','open','pending','on_hold','solved','solved','closed','closed','closed'])[1 + g % 10]::ticket_status,
            (ARRAY['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
            CASE WHEN g % 7 = 0 THEN NULL ELSE refs.agents[1 + g % 20] END,
            team_refs.teams[1 + g % 4],
            customer_refs.customers[1 + g % 50000],
            s.body, 1,
            now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now() - ((g::bigint * 7919) % ($1::int) || ' minutes')::interval,
            setweight(to_tsvector('english', s.subject), 'A') || setweight(to_tsvector('english', s.body), 'B')
     FROM generate_series(1, $1::int) g, refs, team_refs, customer_refs, words,
     LATERAL (SELECT 'Question about ' || words.w[1 + g % 20] || ' ' || words.w[1 + (g / 20) % 20] AS subject,
                     'Hello, my ' || words.w[1 + (g / 7) % 20] || ' ' || words.w[1 + (g / 3) % 20] || ' is a problem since order ' || g AS body) s`,
    [TICKETS],
  );
  await db.query(`INSERT INTO messages (ticket_id, direction, from_address, subject, body_text, created_at)
    SELECT t.id, 'inbound', 'customer@example.com', t.subject, t.snippet, t.created_at FROM tickets t`);
  await db.query(`INSERT INTO ticket_tags (ticket_id, tag_id)
    SELECT t.id, tg.id FROM tickets t JOIN tags tg ON tg.name = 'tag-' || (1 + t.number % 50)
    UNION ALL SELECT t.id, tg.id FROM tickets t JOIN tags tg ON tg.name = 'tag-' || (1 + (t.number / 3) % 50) WHERE t.number % 2 = 0 AND (1 + t.number % 50) <> (1 + (t.number / 3) % 50)`);
  await db.query("SET session_replication_role = 'origin'");
  await db.query('ANALYZE');
  const team = await db.query<{ team_id: string }>(`SELECT team_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, [AGENT_EMAIL]);
  return { teamId: team.rows[0].team_id };
}

function toQuery(filter: ViewFilter): string {
  const params = new URLSearchParams({ limit: '50' });
  for (const [key, value] of Object.entries(filter)) params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  return `/api/tickets?${params.toString()}`;
}

async function main(): Promise<void> {
  const database = await benchDatabase('inbox');
  try {
    const app = await benchApp(database.url, { CARELOOP_WORKERS: 'false' });
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const started = performance.now();
    const { teamId } = await generate(db);
    console.log(`generated ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    await db.end();

    const http = request(app.getHttpServer() as Parameters<typeof request>[0]);
    const login = await http.post('/api/auth/login').send({ email: AGENT_EMAIL, password: PASSWORD });
    const token = (login.body as { token: string }).token;
    const views: [string, ViewFilter][] = [...BUILTIN_VIEWS.map((view) => [view.id, view.filter] as [string, ViewFilter]), ['team', teamViewFilter(teamId)]];
    const memory = memorySampler();
    const timed = async (path: string): Promise<number> => {
      const start = performance.now();
      const response = await http.get(path).auth(token, { type: 'bearer' });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return performance.now() - start;
    };
    const viewP95: Record<string, number> = {};
    for (const [id, filter] of views) {
      const path = toQuery(filter);
      await timed(path);
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) times.push(await timed(path));
      viewP95[id] = Number(percentile(times, 95).toFixed(1));
      console.log(`${id}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${viewP95[id]} ms`);
    }
    const searchTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) searchTimes.push(await timed(`/api/tickets?limit=50&q=${encodeURIComponent(SEARCHES[round % SEARCHES.length])}`));
    memory.stop();
    await app.close();
    console.log(JSON.stringify({ bench: 'inbox', tickets: TICKETS, view_p95_ms: viewP95, search_p95_ms: Number(percentile(searchTimes, 95).toFixed(1)), peak_rss_mb: memory.peak() }));
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
