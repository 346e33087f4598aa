/**
 * `npm run bench -- reports [tickets] [runs]`: tickets over two years with an inbound message, replies, solves and
 * CSAT answers (one ticket in ten), written with set-based SQL together with their report rollups (as the
 * reports listener would have left them); then each report endpoint's p95 for a 30- and a 365-day period,
 * unfiltered and filtered by team and by tag; the full-year per-ticket CSV; and how long after a reply the
 * figures include it. Last line: the JSON summary. BENCH_KEEP_DB=1 keeps the database afterwards.
 */
import { Client } from 'pg';
import request from 'supertest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResponseTimesDto } from '../contracts/reports';
import { OutboxService } from '../server/src/outbox/outbox.service';
import { TicketsService } from '../server/src/tickets/tickets.service';
import { benchApp, benchDatabase, memorySampler, percentile } from './support';

const TICKETS = Number(process.argv[2] ?? 1_000_000);
/** Requests per endpoint, period and filter (second argument). */
const RUNS = Number(process.argv[3] ?? 15);
const DAY = 86_400_000;

async function generate(db: Client): Promise<{ teamId: string; tagId: string }> {
  await db.query(`INSERT INTO teams (name) SELECT 'Team ' || g FROM generate_series(1, 5) g`);
  await db.query(`INSERT INTO users (email, name, role, password_hash) SELECT 'agent' || g || '@bench.test', 'Agent ' || g, 'agent', 'x' FROM generate_series(1, 20) g`);
  await db.query(`INSERT INTO tags (name) SELECT 'tag-' || g FROM generate_series(1, 30) g`);
  await db.query(`INSERT INTO customers (email, plan, current_cycle) SELECT 'c' || g || '@bench.test', 'Plan ' || (g % 3), 1 + g % 6 FROM generate_series(1, 50000) g`);
  await db.query("SET session_replication_role = 'replica'");
  // Created over two years; first reply 5 min–2 days later; most solved within a week; one in ten answered a survey.
  await db.query(
    `WITH refs AS (SELECT (SELECT array_agg(id ORDER BY email) FROM users WHERE role = 'agent') AS agents, (SELECT array_agg(id ORDER BY name) FROM teams) AS teams,
                          (SELECT array_agg(id) FROM customers) AS customers, (SELECT array_agg(id ORDER BY name) FROM tags) AS tags)
     INSERT INTO tickets (subject, status, priority, assignee_id, team_id, customer_id, message_count, created_at, updated_at, last_activity_at, first_reply_at, solved_at)
     SELECT 'Ticket ' || g, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'solved' END::ticket_status, (ARRAY['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
            refs.agents[1 + g % 20], refs.teams[1 + g % 5], refs.customers[1 + g % 50000], 3, c.at, c.at, c.at, c.at + c.reply, CASE WHEN g % 10 = 0 THEN NULL ELSE c.at + c.solve END
       FROM generate_series(1, $1::int) g, refs,
       LATERAL (SELECT now() - (((g::bigint * 7919) % (730 * 1440)) || ' minutes')::interval AS at, ((5 + (g * 37) % 2880) || ' minutes')::interval AS reply,
                       ((60 + (g * 53) % 10080) || ' minutes')::interval AS solve) c`,
    [TICKETS],
  );
  await db.query(`INSERT INTO messages (ticket_id, direction, from_address, body_text, created_at) SELECT id, 'inbound', 'c@bench.test', subject, created_at FROM tickets`);
  await db.query(`INSERT INTO messages (ticket_id, direction, author_id, body_text, created_at) SELECT id, 'outbound', assignee_id, 'Reply', first_reply_at FROM tickets`);
  await db.query(
    `INSERT INTO ticket_tags (ticket_id, tag_id) SELECT t.id, (SELECT array_agg(id ORDER BY name) FROM tags)[1 + t.number % 30] FROM tickets t`,
  );
  await db.query(
    `INSERT INTO report_ticket_facts (ticket_id, created_at, first_inbound_at, team_id, assignee_id, mailbox_id, priority, status, plan, first_cycle, tag_ids, first_reply_at, first_reply_by,
       first_reply_seconds, first_reply_business_seconds, first_solved_at, last_solved_at, first_resolution_seconds, full_resolution_seconds, public_replies, reopens, one_touch, merged, csat_score)
     SELECT t.id, t.created_at, t.created_at, t.team_id, t.assignee_id, NULL, t.priority::text, t.status::text, c.plan, c.current_cycle = 1, ARRAY[tt.tag_id], t.first_reply_at, t.assignee_id,
            extract(epoch FROM t.first_reply_at - t.created_at)::int, (extract(epoch FROM t.first_reply_at - t.created_at) / 3)::int, t.solved_at, t.solved_at,
            extract(epoch FROM t.solved_at - t.created_at)::int, extract(epoch FROM t.solved_at - t.created_at)::int, 1, 0, CASE WHEN t.solved_at IS NULL THEN NULL ELSE t.number % 3 = 0 END, false,
            CASE WHEN t.number % 10 = 1 THEN 1 + t.number % 5 END
       FROM tickets t JOIN customers c ON c.id = t.customer_id JOIN ticket_tags tt ON tt.ticket_id = t.id`,
  );
  await db.query(
    `INSERT INTO report_replies (message_id, ticket_id, agent_id, replied_at, waiting_since, wait_seconds, wait_business_seconds, first,
       team_id, assignee_id, mailbox_id, priority, plan, first_cycle, tag_ids)
     SELECT m.id, m.ticket_id, m.author_id, m.created_at, f.created_at, f.first_reply_seconds, f.first_reply_business_seconds, true,
            f.team_id, f.assignee_id, f.mailbox_id, f.priority, f.plan, f.first_cycle, f.tag_ids
       FROM messages m JOIN report_ticket_facts f ON f.ticket_id = m.ticket_id WHERE m.direction = 'outbound'`,
  );
  await db.query(
    `INSERT INTO report_status_changes (event_id, ticket_id, kind, at, merged, team_id, assignee_id, mailbox_id, priority, plan, first_cycle, tag_ids)
     SELECT gen_random_uuid(), ticket_id, 'solved', last_solved_at, merged, team_id, assignee_id, mailbox_id, priority, plan, first_cycle, tag_ids FROM report_ticket_facts WHERE last_solved_at IS NOT NULL`,
  );
  await db.query(
    `INSERT INTO satisfaction_responses (kind, customer_id, ticket_id, score, comment, created_at)
     SELECT 'csat', t.customer_id, t.id, f.csat_score, CASE WHEN f.csat_score < 3 THEN 'Too slow' END, t.solved_at + interval '1 day'
       FROM tickets t JOIN report_ticket_facts f ON f.ticket_id = t.id WHERE f.csat_score IS NOT NULL AND t.solved_at IS NOT NULL`,
  );
  await db.query("SET session_replication_role = 'origin'");
  // The per-day rollups the triggers keep from the rows above (the replica role wrote them without triggers).
  await db.query('SELECT report_rollup_rebuild()');
  // As a live database's autovacuum leaves it: statistics, and visibility maps that allow index-only scans.
  await db.query('VACUUM ANALYZE');
  return benchFilters(db);
}

/** The team and the tag the filtered runs use. */
async function benchFilters(db: Client): Promise<{ teamId: string; tagId: string }> {
  const [team, tag] = await Promise.all([db.query<{ id: string }>(`SELECT id FROM teams ORDER BY name LIMIT 1`), db.query<{ id: string }>(`SELECT id FROM tags ORDER BY name LIMIT 1`)]);
  return { teamId: team.rows[0].id, tagId: tag.rows[0].id };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function main(): Promise<void> {
  // BENCH_DB_URL re-uses a database an earlier run kept (BENCH_KEEP_DB=1), migrated on start, instead of generating one.
  const reused = process.env.BENCH_DB_URL;
  const database = reused ? { url: reused, drop: () => Promise.resolve() } : await benchDatabase('reports');
  try {
    const app = await benchApp(database.url, { CARELOOP_WORKERS: 'false' });
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const started = performance.now();
    let filterIds: { teamId: string; tagId: string };
    let ticketCount = TICKETS;
    if (reused) {
      await db.query('VACUUM ANALYZE');
      filterIds = await benchFilters(db);
      ticketCount = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0].n;
      console.log(`re-using ${reused}: ${ticketCount} tickets`);
    } else {
      filterIds = await generate(db);
      console.log(`generated ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const { teamId, tagId } = filterIds;
    const http = request(`http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`);
    const login = await http.post('/api/auth/login').send({ email: 'admin@careloop.local', password: 'admin-password-1' });
    const token = (login.body as { token: string }).token;
    const now = Date.now();
    const periods = { '30d': { from: isoDay(now - 29 * DAY), to: isoDay(now) }, '365d': { from: isoDay(now - 364 * DAY), to: isoDay(now) } };
    const filters = { unfiltered: {}, team: { teamId }, tag: { tagId }, 'team+tag': { teamId, tagId } };
    const p95: Record<string, number> = {};
    for (const endpoint of ['overview', 'response-times', 'volume', 'agents']) {
      const times: number[] = [];
      for (const [periodName, period] of Object.entries(periods)) {
        for (const [filterName, filter] of Object.entries(filters)) {
          const variant: number[] = [];
          for (let run = 0; run < RUNS; run++) {
            const begin = performance.now();
            const response = await http.get(`/api/reports/${endpoint}`).query({ ...period, ...filter }).auth(token, { type: 'bearer' });
            if (response.status !== 200) throw new Error(`${endpoint}: ${response.status} ${JSON.stringify(response.body)}`);
            variant.push(performance.now() - begin);
          }
          console.log(`${endpoint} ${periodName} ${filterName}: p50 ${percentile(variant, 50).toFixed(0)} ms, p95 ${percentile(variant, 95).toFixed(0)} ms`);
          times.push(...variant);
        }
      }
      p95[endpoint] = Number(percentile(times, 95).toFixed(1));
    }

    const memory = memorySampler();
    const exportStarted = performance.now();
    let bytes = 0;
    let lines = 0;
    await http
      .get('/api/reports/export/tickets')
      .query(periods['365d'])
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((response, done) => {
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === 10) lines++;
        });
        response.on('end', () => done(null, null));
      });
    const csvSeconds = (performance.now() - exportStarted) / 1000;
    memory.stop();
    console.log(`per-ticket CSV, 365 days: ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${csvSeconds.toFixed(1)} s, peak RSS ${memory.peak()} MB`);

    // Freshness: a new ticket answered now, through the services and the event a reply raises.
    const tickets = app.get(TicketsService);
    const agent = await db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'agent' LIMIT 1`);
    const today = { from: isoDay(Date.now()), to: isoDay(Date.now()) };
    const before = ((await http.get('/api/reports/response-times').query(today).auth(token, { type: 'bearer' })).body as ResponseTimesDto).firstReply.calendar.count;
    const replyAt = performance.now();
    await app.get(OutboxService).transaction(async (manager, raise) => {
      const ticket = await tickets.openTicket({ subject: 'Freshness probe' }, manager);
      await tickets.appendMessage(ticket, { direction: 'inbound', bodyText: 'Hello' }, manager);
      const reply = await tickets.appendMessage(ticket, { direction: 'outbound', authorId: agent.rows[0].id, bodyText: 'Hi' }, manager);
      raise({ name: 'message.created', payload: { ticketId: ticket.id, messageId: reply.id } });
    });
    let freshness = Number.NaN;
    while (performance.now() - replyAt < 30_000) {
      const count = ((await http.get('/api/reports/response-times').query(today).auth(token, { type: 'bearer' })).body as ResponseTimesDto).firstReply.calendar.count;
      if (count > before) {
        freshness = (performance.now() - replyAt) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await db.end();
    await app.close();
    console.log(
      JSON.stringify({
        bench: 'reports',
        tickets: ticketCount,
        overview_p95_ms: p95.overview,
        response_times_p95_ms: p95['response-times'],
        volume_p95_ms: p95.volume,
        agents_p95_ms: p95.agents,
        csv_export_s: Number(csvSeconds.toFixed(1)),
        freshness_s: Number(freshness.toFixed(2)),
      }),
    );
  } finally {
    // BENCH_KEEP_DB=1 keeps the generated database for EXPLAIN ANALYZE (its URL is printed); dropped otherwise.
    if (process.env.BENCH_KEEP_DB || reused) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
