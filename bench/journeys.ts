/**
 * Care journeys at scale: 100,000 subscribers reach day 30 at the same moment and the day-30 check-in preset
 * runs for all of them. Measures the due pass (enrolling every subscriber and running each one's email step,
 * with its step run, care email and send job in the claiming transaction) and then the sending of every email
 * to a plain SMTP server on loopback that counts Message-IDs, so duplicates and misses show.
 * Job workers are off so only the measured work runs; the clock is injected.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- journeys [--subscribers=100000]
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/src/app';
import { Clock } from '../server/src/common/clock';
import { loadConfig } from '../server/src/config/config';
import { CareMailer } from '../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../server/src/journeys/journey-engine.service';
import { benchDatabase, memorySampler } from './support';

const subscribers = Number(process.argv.find((argument) => argument.startsWith('--subscribers='))?.slice('--subscribers='.length) ?? 100_000);
const DAY = 86_400_000;

class BenchClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
}

/** Runs in its own process (the second core), counting every message it accepts by Message-ID. */
function runCountingSmtp(): void {
  const received = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'bench' }),
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1] ?? 'missing';
        received.set(id, (received.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.server.address() as AddressInfo).port }));
  process.on('message', () => process.send?.({ received: [...received] }, () => process.exit(0)));
}

/** The counting SMTP server as a child process; `report` ends it and returns how often each Message-ID arrived. */
async function startCountingSmtp(): Promise<{ port: number; report(): Promise<Map<string, number>> }> {
  const child = fork(__filename, ['--smtp-sink'], { execArgv: ['-r', '@swc-node/register'] });
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
  return {
    port,
    report: () =>
      new Promise((resolve) => {
        child.once('message', (message: { received: [string, number][] }) => resolve(new Map(message.received)));
        child.send('report');
      }),
  };
}

async function main(): Promise<void> {
  const database = await benchDatabase('journeys');
  const smtp = await startCountingSmtp();
  const start = new Date();
  const clock = new BenchClock(start);
  const config = loadConfig({
    NODE_ENV: 'production',
    CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-bench-')),
    CARELOOP_SECRET_KEY: 'bench-secret-key-0123456789',
    CARELOOP_ADMIN_PASSWORD: 'admin-password-1',
    CARELOOP_DEMO: 'false',
    CARELOOP_WORKERS: 'false',
  });
  const app = await createApp({ config, databaseUrl: database.url, clock, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const memory = memorySampler();
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    const http = request(app.getHttpServer() as Parameters<typeof request>[0]);
    const token = ((await http.post('/api/auth/login').send({ email: 'admin@careloop.local', password: 'admin-password-1' })).body as { token: string }).token;
    const as = <T extends { auth: (token: string, options: { type: 'bearer' }) => T }>(test: T) => test.auth(token, { type: 'bearer' });
    await as(http.post('/api/mailboxes')).send({ name: 'Care', address: 'care@bench.test', imapHost: '127.0.0.1', imapPort: 1, imapUser: 'care', imapPassword: 'x', smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpTls: false, smtpUser: 'care', smtpPassword: 'x' });
    await as(http.patch('/api/care/settings')).send({ quietHoursStart: null, quietHoursEnd: null });
    const switchedOn = await as(http.post('/api/journeys/presets/day_30_check_in')).send({ activate: true });
    if (switchedOn.status !== 201) throw new Error(`preset not switched on: ${JSON.stringify(switchedOn.body)}`);

    console.log(`creating ${subscribers} subscribers…`);
    const startedAt = new Date(start.getTime() + 60_000 - 30 * DAY);
    await db.query(
      `INSERT INTO customers (email, name, subscription_status, subscription_started_at, current_cycle, next_renewal_at, plan)
       SELECT 'subscriber' || n || '@bench.test', 'Subscriber ' || n, 'active', $1, 1, $1::timestamptz + interval '30 days', 'Beans 1kg' FROM generate_series(1, $2) AS n`,
      [startedAt, subscribers],
    );
    await db.query('ANALYZE');

    clock.at = new Date(start.getTime() + 60_000);
    const passStart = performance.now();
    const pass = await app.get(JourneyEngine).runDue();
    const passSeconds = (performance.now() - passStart) / 1000;
    console.log(`due pass: ${pass.enrolled} enrolled, ${pass.claimed} steps in ${passSeconds.toFixed(1)} s`);

    const sendStart = performance.now();
    const handled = await app.get(CareMailer).drain();
    const sendSeconds = (performance.now() - sendStart) / 1000;
    console.log(`sending: ${handled} emails in ${sendSeconds.toFixed(1)} s`);

    const received = await smtp.report();
    const stepRuns = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM journey_step_runs')).rows[0].n;
    const touches = await db.query<{ message_id: string }>("SELECT message_id FROM care_touches WHERE state = 'sent'");
    const duplicates = [...received.values()].reduce((sum, count) => sum + (count - 1), 0) + Math.max(0, stepRuns - subscribers);
    const missed = subscribers - touches.rows.filter((row) => received.has(row.message_id)).length;
    console.log(`peak memory: ${memory.peak()} MB; step runs: ${stepRuns}`);
    console.log(JSON.stringify({ bench: 'journeys', subscribers, steps_per_s: Math.round(pass.claimed / passSeconds), emails_per_s: Math.round(handled / sendSeconds), duplicates, missed }));
  } finally {
    memory.stop();
    await db.end();
    await app.close();
    await database.drop();
  }
}

if (process.argv.includes('--smtp-sink')) {
  runCountingSmtp();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
