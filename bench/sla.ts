/**
 * SLA engine at scale: 100,000 open tickets (two targets each) under three policies and two business calendars.
 * Measures the scheduler pass that finds and fires everything due, minute by minute through a working hour, and
 * the recompute of every open due time after a calendar change. Runs the real application (job workers off, so
 * only the measured passes fire) against a fresh database on DATABASE_URL's server.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- sla [--tickets=100000]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { WeeklySchedule } from '../contracts/sla';
import { createApp } from '../server/src/app';
import { Clock } from '../server/src/common/clock';
import { loadConfig } from '../server/src/config/config';
import { dataSourceOptions } from '../server/src/database/data-source-options';
import { SlaEngine } from '../server/src/sla/sla-engine.service';
import { toBusinessCalendar } from '../server/src/sla/sla-rules';
import { reactions } from '../test/support/events';

const ticketCount = Number(process.argv.find((argument) => argument.startsWith('--tickets='))?.slice('--tickets='.length) ?? 100_000);
const PASS_MINUTES = 60;
// A Tuesday morning in London and Berlin, so both calendars are open and targets fall due throughout.
const START = new Date('2026-03-10T09:00:00Z');

class BenchClock extends Clock {
  at = START;
  now(): Date {
    return new Date(this.at);
  }
}

const weekdays = (intervals: { start: string; end: string }[]): WeeklySchedule => ({ 1: intervals, 2: intervals, 3: intervals, 4: intervals, 5: intervals, 6: [], 7: [] });
const LONDON = { timeZone: 'Europe/London', weekly: weekdays([{ start: '09:00', end: '12:30' }, { start: '13:30', end: '17:30' }]), holidays: ['2026-04-03'] };
const BERLIN = { timeZone: 'Europe/Berlin', weekly: weekdays([{ start: '08:00', end: '18:00' }]), holidays: [] as string[] };

function percentile(sortedValues: number[], fraction: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1)];
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Calendars, policies and tickets written straight into the tables: the bench measures the engine, not the import. */
async function seed(dataSource: DataSource): Promise<string[]> {
  const [london, berlin] = await Promise.all(
    [
      ['London', LONDON],
      ['Berlin', BERLIN],
    ].map(async ([name, calendar]) => {
      const { timeZone, weekly, holidays } = calendar as typeof LONDON;
      const [row] = await dataSource.query<{ id: string }[]>('INSERT INTO business_calendars (name, time_zone, weekly, holidays) VALUES ($1, $2, $3, $4) RETURNING id', [
        name,
        timeZone,
        JSON.stringify(weekly),
        holidays,
      ]);
      return row.id;
    }),
  );
  const targets = (firstReply: number, resolution: number) => ({ firstReply, nextReply: firstReply, resolution });
  const byPriority = JSON.stringify({ low: targets(480, 4800), normal: targets(240, 2400), high: targets(120, 960), urgent: targets(30, 480) });
  const policyIds: string[] = [];
  for (const [position, name, calendarId, escalation] of [
    [0, 'Enterprise', london, { notifyLead: true, raisePriority: true, reassignTeamId: null }],
    [1, 'Standard', london, { notifyLead: true, raisePriority: false, reassignTeamId: null }],
    [2, 'Europe', berlin, { notifyLead: false, raisePriority: false, reassignTeamId: null }],
  ] as const) {
    const [row] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO sla_policies (name, position, targets, calendar_id, warning, escalation) VALUES ($1, $2, $3, $4, '{"percentElapsed":75}', $5) RETURNING id`,
      [name, position, byPriority, calendarId, JSON.stringify(escalation)],
    );
    policyIds.push(row.id);
  }
  await dataSource.query(`INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead', 'x', 'lead')`);
  // Tickets opened over the last working days, spread over priorities and policies.
  await dataSource.query(
    `INSERT INTO tickets (subject, status, priority, created_at, updated_at, last_activity_at, message_count)
     SELECT 'Bench ticket ' || g, 'open', (ARRAY['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority, t, t, t, 1
     FROM generate_series(1, $1) g, LATERAL (SELECT $2::timestamptz - (g % 5760) * interval '1 minute' AS t) created`,
    [ticketCount, START],
  );
  // Rough clocks; the first recompute below turns them into the calendars' exact due times.
  await dataSource.query(
    `INSERT INTO sla_targets (ticket_id, policy_id, kind, target_minutes, spent_minutes, running_since, due_at, warn_at, created_at)
     SELECT k.id, ($1::uuid[])[1 + k.number % 3], kind, minutes, 0, k.created_at, k.created_at, k.created_at, k.created_at
     FROM tickets k CROSS JOIN LATERAL (VALUES
       ('first_reply'::sla_target_kind, CASE k.priority WHEN 'low' THEN 480 WHEN 'normal' THEN 240 WHEN 'high' THEN 120 ELSE 30 END),
       ('resolution'::sla_target_kind, CASE k.priority WHEN 'low' THEN 4800 WHEN 'normal' THEN 2400 WHEN 'high' THEN 960 ELSE 480 END)
     ) AS t(kind, minutes)`,
    [policyIds],
  );
  await dataSource.query('ANALYZE');
  return policyIds;
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `careloop_bench_sla_${process.pid}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const clock = new BenchClock();
  const rss = { peak: 0, sample: () => (rss.peak = Math.max(rss.peak, process.memoryUsage().rss)) };
  const sampler = setInterval(rss.sample, 50);
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-bench-')),
      CARELOOP_SECRET_KEY: 'bench-secret-key-0123456789',
      CARELOOP_ADMIN_PASSWORD: 'bench-password-1',
      CARELOOP_DEMO: 'false',
      CARELOOP_WORKERS: 'false',
    });
    const app = await createApp({ config, databaseUrl: url.toString(), clock, logger: ['error'] });
    await app.init();
    const engine = app.get(SlaEngine);
    const dataSource = new DataSource(dataSourceOptions(url.toString()));
    await dataSource.initialize();

    let started = performance.now();
    const policyIds = await seed(dataSource);
    console.log(`seeded ${ticketCount} tickets, ${ticketCount * 2} targets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const initial = Object.fromEntries(policyIds.map((id, index) => [id, toBusinessCalendar(index < 2 ? LONDON : BERLIN)]));
    await engine.rebasePolicies(initial, START);
    console.log(`initial due times computed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The engine's first pass catches up on what fell due before START; the measured passes then run minute by minute.
    started = performance.now();
    const catchUp = await engine.runDuePass(START);
    console.log(`catch-up pass: ${catchUp.warnings} warnings, ${catchUp.breaches} breaches in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await reactions(app);
    rss.peak = 0;

    const passMs: number[] = [];
    let fired = 0;
    for (let minute = 1; minute <= PASS_MINUTES; minute++) {
      clock.at = new Date(START.getTime() + minute * 60_000);
      const passStart = performance.now();
      const result = await engine.runDuePass(clock.now());
      passMs.push(performance.now() - passStart);
      fired += result.warnings + result.breaches;
      await reactions(app);
    }
    passMs.sort((a, b) => a - b);
    console.log(`${PASS_MINUTES} passes fired ${fired} warnings and breaches; p50 ${percentile(passMs, 0.5).toFixed(1)} ms, max ${passMs[passMs.length - 1].toFixed(1)} ms`);

    // A lead adds a holiday to the London calendar: every open target of its two policies moves.
    const changedAt = clock.now();
    await dataSource.query(`UPDATE business_calendars SET holidays = holidays || '{2026-03-11}' WHERE name = 'London'`);
    started = performance.now();
    const moved = await engine.rebasePolicies({ [policyIds[0]]: toBusinessCalendar(LONDON), [policyIds[1]]: toBusinessCalendar(LONDON) }, changedAt);
    const recomputeSeconds = (performance.now() - started) / 1000;
    console.log(`recomputed ${moved} open targets after the calendar change`);

    await dataSource.destroy();
    await app.close();
    rss.sample();
    console.log(
      JSON.stringify({
        bench: 'sla',
        open_tickets: ticketCount,
        pass_p95_ms: Number(percentile(passMs, 0.95).toFixed(1)),
        recompute_s: Number(recomputeSeconds.toFixed(1)),
        peak_rss_mb: Math.round(rss.peak / 1024 / 1024),
      }),
    );
  } finally {
    clearInterval(sampler);
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
