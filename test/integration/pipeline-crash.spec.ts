import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { freePort } from '../support/ports';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Holds the realtime listener's acknowledgement (the DELETE of its delivery row) while `pipeline_test_hold` is
 * set: the process has pushed, but has not yet recorded that it did — the window a crash can hit.
 */
const HOLD_REALTIME_ACK = `
  CREATE TABLE pipeline_test_hold (active boolean NOT NULL);
  INSERT INTO pipeline_test_hold VALUES (true);
  CREATE FUNCTION pipeline_test_hold_ack() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF (SELECT active FROM pipeline_test_hold) THEN
      WHILE (SELECT active FROM pipeline_test_hold) LOOP PERFORM pg_sleep(0.05); END LOOP;
      RAISE EXCEPTION 'held by the test';
    END IF;
    RETURN OLD;
  END $$;
  CREATE TRIGGER pipeline_test_hold_ack BEFORE DELETE ON event_deliveries FOR EACH ROW WHEN (OLD.listener = 'realtime') EXECUTE FUNCTION pipeline_test_hold_ack();`;

describe('a process killed between the commit and its reactions', () => {
  let survivor: TestApp;
  let doomed: ServerProcess | undefined;
  let db: Client;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    survivor = await startTestApp();
    db = new Client({ connectionString: survivor.database.url });
    await db.connect();
  });

  afterAll(async () => {
    socket?.disconnect();
    await doomed?.kill();
    await db?.end();
    await survivor?.close();
  });

  it('leaves them to another running instance, which delivers them within seconds, once, with the seq the push already had', async () => {
    const ticket = await createTicket(survivor.app, { subject: 'Where is my grinder?' });
    await db.query(HOLD_REALTIME_ACK);
    const port = await freePort();
    doomed = startServerProcess(survivor.database.url, { PORT: String(port) });
    const doomedHttp = request(`http://127.0.0.1:${port}`);
    await waitFor('the second instance to listen', async () => (await doomedHttp.get('/api/health')).status === 200, 60_000, 200);
    const login = await doomedHttp.post('/api/auth/login').send({ email: 'admin@careloop.test', password: 'admin-password-1' });
    const token = (login.body as { token: string }).token;

    // A browser connected to the surviving instance; pushes from either instance reach it through the adapter.
    const seen: { seq: number; at: number }[] = [];
    socket = io(survivor.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { Cookie: `careloop_session=${token}` } });
    await new Promise<void>((resolve, reject) => {
      socket?.once('connect', () => resolve());
      socket?.once('connect_error', reject);
    });
    socket.on('ticket.updated', (payload) => void (payload.ticket.id === ticket.id && payload.changed.includes('priority.changed') && seen.push({ seq: payload.seq, at: Date.now() })));

    expect((await doomedHttp.patch(`/api/tickets/${ticket.id}`).auth(token, { type: 'bearer' }).send({ priority: 'urgent' })).status).toBe(200);
    // The doomed instance recorded and pushed the change's live update, then was killed before acknowledging it.
    const [{ id: seq }] = await waitFor('the push to be recorded', async () => {
      const { rows } = await db.query<{ id: string }>("SELECT id FROM realtime_events WHERE name = 'ticket.updated' AND payload->'ticket'->>'id' = $1", [ticket.id]);
      return rows.length ? rows : null;
    });
    await doomed.kill();
    const killedAt = Date.now();
    await db.query('UPDATE pipeline_test_hold SET active = false');

    await waitFor('the surviving instance to deliver it again', async () => {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM event_deliveries WHERE listener = 'realtime'");
      return rows[0].n === 0 && seen.some(({ at }) => at > killedAt);
    }, 30_000, 100);
    const redelivered = seen.find(({ at }) => at > killedAt);
    expect(redelivered?.seq).toBe(Number(seq));
    expect((redelivered?.at ?? Infinity) - killedAt).toBeLessThan(10_000);
    // Every push of it, before and after the kill, carried the one seq: a client that saw it drops the copy.
    expect(new Set(seen.map((push) => push.seq))).toEqual(new Set([Number(seq)]));
    const { rows: logged } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM realtime_events WHERE name = 'ticket.updated' AND payload->'ticket'->>'id' = $1", [ticket.id]);
    expect(logged[0].n).toBe(1);
    // In the end nothing is owed to any listener (one the kill interrupted is taken over after its lease), and nothing was dead-lettered.
    await waitFor('every delivery done', async () => (await db.query('SELECT 1 FROM event_deliveries')).rowCount === 0, 20_000);
  }, 120_000);
});
