import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { TeamDto, TicketSummaryDto, UserDto } from '../../contracts/api';
import type { ReplayedEvent, TicketPresence } from '../../contracts/events';
import { DataSource } from 'typeorm';
import { RealtimeLog } from '../../server/src/realtime/realtime-log.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { publish } from '../support/events';
import { connectSocket, nextEvent, recordLogged, type ClientSocket } from '../support/sockets';

const openSockets: ClientSocket[] = [];
const connect = (url: string, options: Partial<ManagerOptions & SocketOptions>) => connectSocket(url, options, openSockets);

/** Resolves once `count` logged events about matching tickets have arrived. */
function receiveLogged(socket: ClientSocket, count: number, matches: (ticketId: string) => boolean, timeoutMs = 2000): Promise<void> {
  const received = recordLogged(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} events within ${timeoutMs} ms`)), timeoutMs);
    socket.onAny(() => {
      if (received.filter((event) => matches(event.ticketId)).length < count) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

const viewerNames = (presence: TicketPresence) => presence.viewers.map((viewer) => `${viewer.name}:${viewer.typing ?? '-'}`);

describe('realtime', () => {
  let t: TestApp;
  let admin: string;
  let member: { user: UserDto; token: string };
  let outsider: { user: UserDto; token: string };
  let security: TeamDto;

  const createAgent = async (name: string) => {
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`;
    const response = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name, role: 'agent', password: 'agent-password-1' });
    expect(response.status).toBe(201);
    return { user: response.body as UserDto, token: await t.login(email, 'agent-password-1') };
  };
  const patch = async (ticketId: string, body: object, token = admin) => {
    const response = await t.http.patch(`/api/tickets/${ticketId}`).auth(token, { type: 'bearer' }).send(body);
    expect(response.status).toBe(200);
    return response.body as TicketSummaryDto;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    member = await createAgent('Mira Member');
    outsider = await createAgent('Otto Outsider');
    const team = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Security', isPrivate: true, memberIds: [member.user.id] });
    expect(team.status).toBe(201);
    security = team.body as TeamDto;
  });

  afterEach(() => {
    for (const socket of openSockets.splice(0)) socket.disconnect();
  });

  afterAll(() => t.close());

  describe('handshake', () => {
    it('refuses a socket without a session, or with an unknown one', async () => {
      await expect(connect(t.url, {})).rejects.toThrow('Log in first');
      await expect(connect(t.url, { auth: { token: 'not-a-session' } })).rejects.toThrow('Log in first');
    });

    it('accepts the API session cookie as well as auth.token', async () => {
      const socket = await connect(t.url, { extraHeaders: { Cookie: `careloop_session=${member.token}` } });
      expect(socket.connected).toBe(true);
    });
  });

  describe('pushes', () => {
    it('delivers a PATCH through the API to a connected client within a second, with the change', async () => {
      const ticket = await createTicket(t.app, { subject: 'Where is my parcel?' });
      const socket = await connect(t.url, { auth: { token: outsider.token } });
      const started = Date.now();
      const pushed = nextEvent(socket, 'ticket.updated', ({ ticket: { id } }) => id === ticket.id);
      await patch(ticket.id, { status: 'pending', priority: 'high', assigneeId: member.user.id, tags: ['shipping'] });
      const update = await pushed;

      expect(Date.now() - started).toBeLessThan(1000);
      expect(update.ticket).toMatchObject({ id: ticket.id, status: 'pending', priority: 'high', assigneeId: member.user.id, tags: ['shipping'] });
      expect(update.changed.sort()).toEqual(['assignee.changed', 'priority.changed', 'status.changed', 'tags.changed']);
      expect(update.events.map((event) => event.type).sort()).toEqual(update.changed);
      expect(update.seq).toEqual(expect.any(Number));
    });

    it('delivers new tickets and messages, an internal note as a note', async () => {
      const socket = await connect(t.url, { auth: { token: outsider.token } });
      const ticket = await createTicket(t.app, { subject: 'Double charge' });
      const created = nextEvent(socket, 'ticket.created', ({ ticket: { id } }) => id === ticket.id);
      await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);
      expect((await created).ticket).toMatchObject({ subject: 'Double charge', messageCount: 1 });

      const message = nextEvent(socket, 'message.created', ({ ticketId }) => ticketId === ticket.id);
      const note = await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Refund approved' });
      expect(note.status).toBe(201);
      expect((await message).message).toMatchObject({ direction: 'note', bodyText: 'Refund approved' });
    });

    it("pushes a message's later changes and a ticket's deletion", async () => {
      const socket = await connect(t.url, { auth: { token: outsider.token } });
      const ticket = await createTicket(t.app, { subject: 'Spam' });
      const note = await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Looks like spam' });
      const updated = nextEvent(socket, 'message.updated', ({ message }) => message.id === note.body.id);
      // As the mail sender does when a reply's delivery state changes.
      await publish(t.app, [{ name: 'message.updated', payload: { ticketId: ticket.id, messageId: note.body.id as string } }]);
      expect((await updated).message.bodyText).toBe('Looks like spam');

      const deleted = nextEvent(socket, 'ticket.deleted', ({ ticketId }) => ticketId === ticket.id);
      expect((await t.http.delete(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
      await deleted;
    });

    it("sends a private team's tickets only to its members, leads and admins", async () => {
      const [memberSocket, outsiderSocket, adminSocket] = await Promise.all([
        connect(t.url, { auth: { token: member.token } }),
        connect(t.url, { auth: { token: outsider.token } }),
        connect(t.url, { auth: { token: admin } }),
      ]);
      const outsiderReceived = recordLogged(outsiderSocket);
      const secret = await createTicket(t.app, { subject: 'Suspicious login', teamId: security.id });
      const open = await createTicket(t.app, { subject: 'Open question' });

      const memberGot = nextEvent(memberSocket, 'ticket.updated', ({ ticket }) => ticket.id === secret.id);
      const adminGot = nextEvent(adminSocket, 'ticket.updated', ({ ticket }) => ticket.id === secret.id);
      await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: secret.id } }]);
      await patch(secret.id, { priority: 'urgent' });
      expect((await memberGot).ticket.priority).toBe('urgent');
      await adminGot;

      // A later public push reaches the outsider on the same socket, so the private ones would have arrived first.
      const barrier = nextEvent(outsiderSocket, 'ticket.updated', ({ ticket }) => ticket.id === open.id);
      await patch(open.id, { status: 'open' });
      await barrier;
      expect(outsiderReceived.filter((event) => event.ticketId === secret.id)).toEqual([]);
    });

    it('tells those who lose sight of a ticket moved into a private team to drop it', async () => {
      const [memberSocket, outsiderSocket] = await Promise.all([connect(t.url, { auth: { token: member.token } }), connect(t.url, { auth: { token: outsider.token } })]);
      const memberReceived = recordLogged(memberSocket);
      const ticket = await createTicket(t.app, { subject: 'Account takeover?' });
      const hidden = nextEvent(outsiderSocket, 'ticket.hidden', ({ ticketId }) => ticketId === ticket.id);
      const updated = nextEvent(memberSocket, 'ticket.updated', (update) => update.ticket.id === ticket.id);
      await patch(ticket.id, { teamId: security.id });
      await Promise.all([hidden, updated]);
      expect(memberReceived.filter((event) => event.ticketId === ticket.id).map((event) => event.name)).toEqual(['ticket.updated']);
    });
  });

  describe('access changes', () => {
    it("closes a user's sockets when their teams change, and the new connection gets the new team's pushes (and loses them again)", async () => {
      const created = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Billing', isPrivate: true });
      expect(created.status).toBe(201);
      const billing = created.body as TeamDto;
      const ticket = await createTicket(t.app, { subject: 'Double charge', teamId: billing.id });
      const setMembers = async (memberIds: string[]) => expect((await t.http.patch(`/api/teams/${billing.id}`).auth(admin, { type: 'bearer' }).send({ memberIds })).status).toBe(200);
      const closedByServer = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const reconnect = (socket: ClientSocket) =>
        new Promise<void>((resolve) => {
          socket.once('connect', () => resolve());
          socket.connect();
        });

      const socket = await connect(t.url, { auth: { token: outsider.token } });
      const received = recordLogged(socket);
      await patch(ticket.id, { priority: 'high' });
      let closed = closedByServer(socket);
      await setMembers([outsider.user.id]);
      expect(await closed).toBe('io server disconnect');
      // Before joining, the private team's ticket never reached the socket.
      expect(received.filter((event) => event.ticketId === ticket.id)).toEqual([]);

      await reconnect(socket);
      const seen = nextEvent(socket, 'ticket.updated', ({ ticket: { id } }) => id === ticket.id);
      await patch(ticket.id, { priority: 'urgent' });
      expect((await seen).ticket.priority).toBe('urgent');

      closed = closedByServer(socket);
      await setMembers([]);
      expect(await closed).toBe('io server disconnect');
      await reconnect(socket);
      const before = received.length;
      const adminSocket = await connect(t.url, { auth: { token: admin } });
      const adminSeen = nextEvent(adminSocket, 'ticket.updated', ({ ticket: { id } }) => id === ticket.id);
      await patch(ticket.id, { priority: 'low' });
      await adminSeen;
      expect(received.slice(before).filter((event) => event.ticketId === ticket.id)).toEqual([]);
    });
  });

  describe('presence', () => {
    it('shows who views a ticket and who types a reply or a note, and clears on disconnect', async () => {
      const ticket = await createTicket(t.app, { subject: 'Cancel my subscription', teamId: security.id });
      const [adminSocket, memberSocket] = await Promise.all([connect(t.url, { auth: { token: admin } }), connect(t.url, { auth: { token: member.token } })]);
      const presence = (socket: ClientSocket, expected: string[]) => nextEvent(socket, 'ticket.presence', (p) => p.ticketId === ticket.id && viewerNames(p).join() === expected.join());

      const adminSeesSelf = presence(adminSocket, ['Admin:-']);
      adminSocket.emit('ticket.view', { ticketId: ticket.id });
      await adminSeesSelf;

      const adminSeesBoth = presence(adminSocket, ['Admin:-', 'Mira Member:-']);
      memberSocket.emit('ticket.view', { ticketId: ticket.id });
      await adminSeesBoth;

      const seesNote = presence(adminSocket, ['Admin:-', 'Mira Member:note']);
      memberSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'note', active: true });
      await seesNote;

      const seesReply = presence(adminSocket, ['Admin:-', 'Mira Member:reply']);
      memberSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'reply', active: true });
      await seesReply;

      const memberSeesAdminReply = presence(memberSocket, ['Admin:reply', 'Mira Member:reply']);
      adminSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'reply', active: true });
      await memberSeesAdminReply;

      const gone = presence(adminSocket, ['Admin:reply']);
      memberSocket.disconnect();
      await gone;
    });

    it('answers a viewer that asks again (its heartbeat) with the current presence, without telling the room', async () => {
      const ticket = await createTicket(t.app, { subject: 'Missing grinder', teamId: security.id });
      const [adminSocket, memberSocket] = await Promise.all([connect(t.url, { auth: { token: admin } }), connect(t.url, { auth: { token: member.token } })]);
      const bothSeen = nextEvent(adminSocket, 'ticket.presence', (p) => p.ticketId === ticket.id && p.viewers.length === 2);
      adminSocket.emit('ticket.view', { ticketId: ticket.id });
      await nextEvent(adminSocket, 'ticket.presence', (p) => p.ticketId === ticket.id);
      memberSocket.emit('ticket.view', { ticketId: ticket.id });
      await bothSeen;

      const adminAfterwards: TicketPresence[] = [];
      adminSocket.on('ticket.presence', (p) => adminAfterwards.push(p));
      const answer = nextEvent(memberSocket, 'ticket.presence', (p) => p.ticketId === ticket.id);
      memberSocket.emit('ticket.view', { ticketId: ticket.id });
      expect(viewerNames(await answer)).toEqual(['Admin:-', 'Mira Member:-']);
      // A later broadcast proves the admin's socket was listening: it is the only presence the admin got.
      const typed = nextEvent(adminSocket, 'ticket.presence', (p) => p.viewers.some((viewer) => viewer.typing === 'note'));
      memberSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'note', active: true });
      await typed;
      expect(adminAfterwards.map(viewerNames)).toEqual([['Admin:-', 'Mira Member:note']]);
    });

    it('keeps someone who may not see the ticket out of its presence', async () => {
      const ticket = await createTicket(t.app, { subject: 'Internal audit', teamId: security.id });
      const [memberSocket, outsiderSocket] = await Promise.all([connect(t.url, { auth: { token: member.token } }), connect(t.url, { auth: { token: outsider.token } })]);
      const outsiderPresence: TicketPresence[] = [];
      outsiderSocket.on('ticket.presence', (p) => outsiderPresence.push(p));

      outsiderSocket.emit('ticket.view', { ticketId: ticket.id });
      const memberAlone = nextEvent(memberSocket, 'ticket.presence', (p) => p.ticketId === ticket.id);
      memberSocket.emit('ticket.view', { ticketId: ticket.id });
      expect(viewerNames(await memberAlone)).toEqual(['Mira Member:-']);
      memberSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'reply', active: true });
      await nextEvent(memberSocket, 'ticket.presence', (p) => p.viewers[0]?.typing === 'reply');
      expect(outsiderPresence).toEqual([]);
    });
  });

  describe('catch-up after a dropped connection', () => {
    it('replays every missed event the socket may see exactly once, in order', async () => {
      const ticket = await createTicket(t.app, { subject: 'Wrong size' });
      const secret = await createTicket(t.app, { subject: 'Breach report', teamId: security.id });
      const socket = await connect(t.url, { auth: { token: outsider.token } });
      const { latest: since } = await socket.emitWithAck('sync', { since: null });
      socket.disconnect();

      // An admin who stays connected sees all five changes live, so they are all logged before the reconnect.
      const observer = await connect(t.url, { auth: { token: admin } });
      const observed = receiveLogged(observer, 5, (ticketId) => ticketId === ticket.id || ticketId === secret.id);
      await patch(ticket.id, { status: 'open' });
      await patch(secret.id, { status: 'open' });
      await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Exchange sent' });
      await patch(ticket.id, { tags: ['exchange'] });
      await patch(ticket.id, { status: 'solved' });
      await observed;

      socket.connect();
      await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
      const replay = await socket.emitWithAck('sync', { since });

      // A replay repeats a little of what came before `since`; clients skip seqs they already have.
      const missed = replay.events.filter((event) => event.payload.seq > since);
      expect(missed.map(describeReplayed)).toEqual(['ticket.updated open', 'message.created note', 'ticket.updated open', 'ticket.updated solved']);
      const seqs = missed.map((event) => event.payload.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      expect(replay).toMatchObject({ hasMore: false, reset: false, latest: expect.any(Number) });
      expect(replay.latest).toBeGreaterThanOrEqual(Math.max(...seqs));
      expect(missed.every((event) => event.name !== 'ticket.updated' || event.payload.ticket.id === ticket.id)).toBe(true);
    });

    it('asks for a reload when the missed events are no longer kept', async () => {
      const socket = await connect(t.url, { auth: { token: admin } });
      const ticket = await createTicket(t.app, { subject: 'Old news' });
      const pushed = nextEvent(socket, 'ticket.updated', (update) => update.ticket.id === ticket.id);
      await patch(ticket.id, { priority: 'low' });
      await pushed;
      const { latest } = await socket.emitWithAck('sync', { since: null });
      // A day later, pruning has removed them.
      await t.app.get(DataSource).query(`UPDATE realtime_events SET created_at = created_at - interval '25 hours'`);
      await t.app.get(RealtimeLog).prune();
      const replay = await socket.emitWithAck('sync', { since: latest - 1 });
      expect(replay).toMatchObject({ events: [], reset: true, latest });
    });
  });

  it('works over long-polling where WebSockets are blocked', async () => {
    const socket = await connect(t.url, { transports: ['polling'], extraHeaders: { Cookie: `careloop_session=${outsider.token}` } });
    expect(socket.io.engine.transport.name).toBe('polling');
    const ticket = await createTicket(t.app, { subject: 'Behind a proxy' });
    const pushed = nextEvent(socket, 'ticket.updated', (update) => update.ticket.id === ticket.id);
    await patch(ticket.id, { status: 'on_hold' });
    expect((await pushed).ticket.status).toBe('on_hold');
  });

  describe('two instances on one database', () => {
    let second: TestApp;

    beforeAll(async () => {
      second = await startTestApp({ database: t.database });
    });

    afterAll(() => second.close());

    it('delivers an update made through one instance to clients of the other', async () => {
      const ticket = await createTicket(t.app, { subject: 'Across instances' });
      const onSecond = await connect(second.url, { auth: { token: outsider.token } });
      const onFirst = await connect(t.url, { auth: { token: member.token } });
      const [secondGot, firstGot] = [nextEvent(onSecond, 'ticket.updated', (u) => u.ticket.id === ticket.id), nextEvent(onFirst, 'ticket.updated', (u) => u.ticket.id === ticket.id)];
      await patch(ticket.id, { status: 'open', tags: ['cluster'] });
      const [a, b] = await Promise.all([secondGot, firstGot]);
      expect(a).toEqual(b);
      expect(a.ticket).toMatchObject({ status: 'open', tags: ['cluster'] });
    });

    it('shows presence across instances', async () => {
      const ticket = await createTicket(t.app, { subject: 'Shared view' });
      const onFirst = await connect(t.url, { auth: { token: admin } });
      const onSecond = await connect(second.url, { auth: { token: outsider.token } });
      const firstSeesSelf = nextEvent(onFirst, 'ticket.presence', (p) => p.ticketId === ticket.id);
      onFirst.emit('ticket.view', { ticketId: ticket.id });
      await firstSeesSelf;

      const firstSeesBoth = nextEvent(onFirst, 'ticket.presence', (p) => viewerNames(p).join() === 'Admin:-,Otto Outsider:note');
      onSecond.emit('ticket.view', { ticketId: ticket.id });
      onSecond.emit('ticket.typing', { ticketId: ticket.id, mode: 'note', active: true });
      await firstSeesBoth;

      const secondAlone = nextEvent(onSecond, 'ticket.presence', (p) => viewerNames(p).join() === 'Otto Outsider:note');
      onFirst.disconnect();
      await secondAlone;
    });
  });
});

function describeReplayed(event: ReplayedEvent): string {
  switch (event.name) {
    case 'ticket.updated':
      return `${event.name} ${event.payload.ticket.status}`;
    case 'message.created':
      return `${event.name} ${event.payload.message.direction}`;
    default:
      return event.name;
  }
}
