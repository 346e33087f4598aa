/**
 * Realtime delivery: 500 authenticated Socket.IO clients (10 agents, 50 tabs each) connected to the app,
 * ticket updates made through the REST API at a steady rate, and the latency from the API call to the
 * moment each client receives the push. The app runs in this process on a database of its own (created on
 * the PostgreSQL server at DATABASE_URL, dropped afterwards); the clients run in a child process, as
 * browsers would, so their work does not queue behind the server's. Both sides read the same wall clock.
 *
 *   npm run bench -- realtime [--clients=500] [--events=200] [--rate=10]   (rate: updates per second)
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/events';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';
import { CustomerRepository } from '../server/src/customers/customer.repository';
import { TicketRepository } from '../server/src/tickets/ticket.repository';
import { TicketsService } from '../server/src/tickets/tickets.service';

const option = (name: string, fallback: number) => Number(process.argv.find((argument) => argument.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CLIENTS = option('clients', 500);
const EVENTS = option('events', 200);
const RATE = option('rate', 10);
const AGENTS = 10;
const TICKETS = 20;
const WARMUP_EVENTS = 40;
const ADMIN_EMAIL = 'bench-admin@careloop.test';
const PASSWORD = 'bench-password-1';
const CLIENTS_ROLE = 'careloop-bench-realtime-clients';

/** Milliseconds on the wall clock, sub-millisecond precise and comparable between processes. */
const wallClock = () => performance.timeOrigin + performance.now();

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ToClients = { type: 'connect'; url: string; tokens: string[]; count: number } | { type: 'report' };
type FromClients = { type: 'connected'; count: number } | { type: 'arrivals'; arrivals: Record<string, number[]> };

function percentile(sortedValues: number[], fraction: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(fraction * sortedValues.length) - 1))];
}

/** The child process: opens the sockets and notes when each update (identified by its subject) arrives. */
function runClients(): void {
  const sockets: BenchSocket[] = [];
  const arrivals: Record<string, number[]> = {};
  const connect = (url: string, token: string) =>
    new Promise<BenchSocket>((resolve, reject) => {
      const socket: BenchSocket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
      socket.on('ticket.updated', ({ ticket }) => (arrivals[ticket.subject] ??= []).push(wallClock()));
    });

  process.on('message', (message: ToClients) => {
    if (message.type === 'report') {
      for (const socket of sockets) socket.disconnect();
      // Leave only once the (large) report has been handed over.
      process.send?.({ type: 'arrivals', arrivals } satisfies FromClients, () => process.disconnect());
      return;
    }
    void (async () => {
      for (let i = 0; i < message.count; i += 50) {
        const batch = Array.from({ length: Math.min(50, message.count - i) }, (_, j) => connect(message.url, message.tokens[(i + j) % message.tokens.length]));
        sockets.push(...(await Promise.all(batch)));
      }
      process.send?.({ type: 'connected', count: sockets.length } satisfies FromClients);
    })();
  });
}

function ask<T extends FromClients['type']>(child: ChildProcess, message: ToClients, answer: T): Promise<Extract<FromClients, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: FromClients) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply as Extract<FromClients, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`client process exited (${code})`)));
    child.send(message);
  });
}

async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function api<T>(url: string, method: string, path: string, token: string | null, body: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function startApp(databaseUrl: string): Promise<{ app: INestApplication; url: string }> {
  const config = loadConfig({
    NODE_ENV: 'production',
    CARELOOP_DATA_DIR: mkdtempSync(join(tmpdir(), 'careloop-bench-')),
    CARELOOP_SECRET_KEY: 'bench-secret-key-0123456789',
    CARELOOP_ADMIN_EMAIL: ADMIN_EMAIL,
    CARELOOP_ADMIN_PASSWORD: PASSWORD,
    CARELOOP_DEMO: 'false',
    CARELOOP_LOGIN_LIMIT_PER_MINUTE: '1000',
  });
  const app = await createApp({ config, databaseUrl, logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}` };
}

async function createTickets(app: INestApplication): Promise<string[]> {
  const tickets = app.get(TicketsService);
  const customers = app.get(CustomerRepository);
  const ids: string[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const ticket = await app.get(TicketRepository).transaction(async (manager) => {
      const customer = await customers.upsertByEmail(`bench-${i}@example.com`, null, manager);
      const opened = await tickets.openTicket({ subject: `Bench ticket ${i}`, customerId: customer.id }, manager);
      await tickets.appendMessage(opened, { direction: 'inbound', fromAddress: customer.email, bodyText: 'Where is my order?' }, manager);
      return opened;
    });
    ids.push(ticket.id);
  }
  return ids;
}

async function main(): Promise<Record<string, string | number>> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `careloop_bench_realtime_${process.pid}`;
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));

  const child = fork(__filename, process.argv.slice(2), { env: { ...process.env, CARELOOP_BENCH_ROLE: CLIENTS_ROLE }, execArgv: ['-r', '@swc-node/register'] });
  let app: INestApplication | undefined;
  try {
    const started = await startApp(databaseUrl);
    app = started.app;
    const { url } = started;

    const login = async (email: string) => (await api<{ token: string }>(url, 'POST', '/api/auth/login', null, { email, password: PASSWORD })).token;
    const adminToken = await login(ADMIN_EMAIL);
    const agentTokens: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const email = `bench-agent-${i}@example.com`;
      await api(url, 'POST', '/api/users', adminToken, { email, name: `Bench Agent ${i}`, role: 'agent', password: PASSWORD });
      agentTokens.push(await login(email));
    }
    const ticketIds = await createTickets(app);
    const { count: clients } = await ask(child, { type: 'connect', url, tokens: agentTokens, count: CLIENTS }, 'connected');
    console.log(`${clients} clients connected; sending ${EVENTS} updates at ${RATE}/s`);

    const sentAt = new Map<string, number>();
    const apiDurations: number[] = [];
    const sendUpdates = async (count: number, label: string) => {
      const requests: Promise<unknown>[] = [];
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        await sleep(Math.max(0, start + (i * 1000) / RATE - performance.now()));
        const subject = `${label} ${i}`;
        const sent = wallClock();
        sentAt.set(subject, sent);
        const request = api(url, 'PATCH', `/api/tickets/${ticketIds[i % TICKETS]}`, adminToken, { subject, priority: i % 2 ? 'high' : 'normal' });
        requests.push(request.then(() => apiDurations.push(wallClock() - sent)));
      }
      await Promise.all(requests);
    };
    // Unmeasured: lets the JIT compile the hot paths, as in a server that has been running a while.
    await sendUpdates(WARMUP_EVENTS, 'Warm-up');
    sentAt.clear();
    apiDurations.length = 0;
    await sendUpdates(EVENTS, 'Bench update');
    // Pushes still in flight land well within this.
    await sleep(2_000);
    const { arrivals } = await ask(child, { type: 'report' }, 'arrivals');

    const latencies = [...sentAt].flatMap(([subject, sent]) => (arrivals[subject] ?? []).map((arrived) => arrived - sent)).sort((a, b) => a - b);
    apiDurations.sort((a, b) => a - b);
    // For context: how long the PATCH itself takes to answer, which bounds how soon its push can arrive.
    console.log(`PATCH response p50 ${percentile(apiDurations, 0.5).toFixed(1)} ms, p95 ${percentile(apiDurations, 0.95).toFixed(1)} ms`);
    console.log(`push latency max ${latencies.at(-1)?.toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`);
    return {
      bench: 'realtime',
      clients,
      events: EVENTS,
      p50_ms: Number(percentile(latencies, 0.5).toFixed(1)),
      p95_ms: Number(percentile(latencies, 0.95).toFixed(1)),
      lost: EVENTS * clients - latencies.length,
    };
  } finally {
    if (child.connected) child.kill();
    await app?.close();
    await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

if (process.env.CARELOOP_BENCH_ROLE === CLIENTS_ROLE) {
  runClients();
} else {
  main().then(
    (summary) => {
      // Printed after shutdown, so it is the last line.
      console.log(JSON.stringify(summary));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
