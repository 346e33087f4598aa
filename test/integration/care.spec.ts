import { io, type Socket } from 'socket.io-client';
import type { ImpactDto, InitiativeCommentDto, InitiativeDto, InitiativeTicketPageDto, SignalsDto } from '../../contracts/care';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events';
import { startTestApp, type TestApp } from '../support/app';
import { arrive, signInAs, writeHistory } from './care-fixtures';
import { ManualClock } from './sla-harness';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Payload<K extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[K]>[0];

const NOW = new Date('2026-06-10T12:00:00Z');
const DAY_MS = 86_400_000;
/** 20 checkout errors a week for eight weeks, then 10 a week for the three weeks since the fix shipped. */
const HISTORY = Array.from({ length: 11 }, (_, weeksAgo) => ({ tag: 'checkout-error', weeksAgo, tickets: weeksAgo >= 3 ? 20 : 10 }));
const SHIPPED_AT = new Date(NOW.getTime() - 21 * DAY_MS);

function nextEvent<K extends keyof ServerToClientEvents>(socket: ClientSocket, name: K, matches: (payload: Payload<K>) => boolean): Promise<Payload<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${name} within 5 s`)), 5000);
    const listener = (payload: Payload<K>) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      socket.off(name, listener as never);
      resolve(payload);
    };
    socket.on(name, listener as never);
  });
}

describe('care initiatives', () => {
  let t: TestApp;
  let admin: string;
  let careOwner: string;
  let sockets: ClientSocket[];
  let initiative: InitiativeDto;

  const connect = (token: string) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const socket: ClientSocket = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(NOW) });
    sockets = [];
    admin = await t.login();
    careOwner = (await signInAs(t, admin, 'care_owner')).token;
    await writeHistory(t, NOW, HISTORY);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  it('promotes a signal into an initiative linked to the tickets that already match it', async () => {
    const { signals } = (await t.http.get('/api/signals').set(as(careOwner))).body as SignalsDto;
    const signal = signals.find((candidate) => candidate.label === 'checkout-error');
    expect(signal).toBeDefined();
    const created = await t.http
      .post('/api/care/initiatives')
      .set(as(careOwner))
      .send({
        title: 'Fix the checkout error',
        hypothesis: 'The new payment form times out on slow cards',
        tags: [signal?.label],
        targetMetric: 'checkout-error tickets per 100 subscribers, -50%',
        signalKey: signal?.key,
      });
    expect(created.status).toBe(201);
    initiative = created.body as InitiativeDto;
    expect(initiative).toMatchObject({ status: 'proposed', position: 0, tags: ['checkout-error'], signalKey: signal?.key, ticketCount: 190, shippedAt: null });
    const page = (await t.http.get(`/api/care/initiatives/${initiative.id}/tickets`).set(as(careOwner))).body as InitiativeTicketPageDto;
    expect(page.total).toBe(190);
    expect(page.items[0].subject).toMatch(/^checkout-error history 0-/);
  });

  it('shows a new matching ticket on the initiative live', async () => {
    const socket = await connect(careOwner);
    const ticketId = await arrive(t, { subject: 'Checkout spins forever', createdAt: NOW });
    const linked = nextEvent(socket, 'initiative.tickets_linked', (payload) => payload.ticketIds.includes(ticketId));
    await t.http.patch(`/api/tickets/${ticketId}`).set(as(admin)).send({ tags: ['checkout-error'] }).expect(200);
    expect(await linked).toMatchObject({ initiativeId: initiative.id, ticketIds: [ticketId] });
    const page = (await t.http.get(`/api/care/initiatives/${initiative.id}/tickets`).set(as(careOwner))).body as InitiativeTicketPageDto;
    expect(page.items[0].id).toBe(ticketId);
    expect(page.total).toBe(191);
  });

  it('moves cards between columns, live for every care owner, and stamps the shipped day', async () => {
    const watcher = await connect(admin);
    const second = (await t.http.post('/api/care/initiatives').set(as(careOwner)).send({ title: 'Clearer refund emails', tags: ['checkout-error'] })).body as InitiativeDto;
    expect(second.position).toBe(0);
    expect(((await t.http.get(`/api/care/initiatives/${initiative.id}`).set(as(careOwner))).body as InitiativeDto).position).toBe(1);

    const moved = nextEvent(watcher, 'initiative.updated', ({ initiative: card }) => card.id === initiative.id && card.status === 'in_progress');
    const response = await t.http.post(`/api/care/initiatives/${initiative.id}/move`).set(as(careOwner)).send({ status: 'in_progress', index: 0 });
    expect(response.status).toBe(201);
    expect((await moved).initiative).toMatchObject({ status: 'in_progress', position: 0 });
    expect(((await t.http.get(`/api/care/initiatives/${second.id}`).set(as(careOwner))).body as InitiativeDto).position).toBe(0);

    const shipped = (await t.http.post(`/api/care/initiatives/${initiative.id}/move`).set(as(careOwner)).send({ status: 'shipped', index: 5 })).body as InitiativeDto;
    expect(shipped).toMatchObject({ status: 'shipped', position: 0, shippedAt: NOW.toISOString() });
    const board = (await t.http.get('/api/care/initiatives').set(as(careOwner))).body as InitiativeDto[];
    expect(board.map((card) => [card.title, card.status])).toEqual([
      ['Clearer refund emails', 'proposed'],
      ['Fix the checkout error', 'shipped'],
    ]);
  });

  it('measures the change in ticket rate before and after the shipped day', async () => {
    await t.http.patch(`/api/care/initiatives/${initiative.id}`).set(as(careOwner)).send({ shippedAt: SHIPPED_AT.toISOString() }).expect(200);
    const impact = (await t.http.get(`/api/care/initiatives/${initiative.id}/impact`).set(as(careOwner))).body as ImpactDto;
    expect(impact.before).toMatchObject({ weekly: 20, weeks: 8 });
    expect(impact.after).toMatchObject({ weekly: 10, weeks: 3 });
    expect(impact.changePct).toBe(-50);
    // Every history customer has subscribed for over a year, so the rate per 100 subscribers halves too.
    expect(impact.changePctPer100).toBeCloseTo(-50);
    expect(impact.weeks.filter((week) => week.offset < -8).map((week) => week.tickets)).toEqual([0, 0, 0, 0]);
    // The ticket tagged live arrived today, in the running week after the three full ones.
    expect(impact.weeks.at(-1)).toMatchObject({ offset: 3, tickets: 1, partial: true });
    expect(impact.weeks[0].activeSubscribers).toBeGreaterThan(0);
  });

  it('keeps a thread of comments', async () => {
    const socket = await connect(careOwner);
    const live = nextEvent(socket, 'initiative.comment_added', (payload) => payload.initiativeId === initiative.id);
    const posted = await t.http.post(`/api/care/initiatives/${initiative.id}/comments`).set(as(careOwner)).send({ body: 'Shipped with release 4.2' });
    expect(posted.status).toBe(201);
    expect((await live).comment).toMatchObject({ body: 'Shipped with release 4.2', authorName: 'A care_owner' });
    const thread = (await t.http.get(`/api/care/initiatives/${initiative.id}/comments`).set(as(careOwner))).body as InitiativeCommentDto[];
    expect(thread.map((comment) => comment.body)).toEqual(['Shipped with release 4.2']);
  });

  it('tells every open session when tag or care settings change, so the board follows without a reload', async () => {
    const watcher = await connect(admin);
    const { token: agentToken } = await signInAs(t, admin, 'agent');
    const agentSocket = await connect(agentToken);
    const agentHeard: string[] = [];
    agentSocket.on('settings.updated', ({ scope }) => agentHeard.push(scope));

    const careChanged = nextEvent(watcher, 'settings.updated', ({ scope }) => scope === 'care');
    expect((await t.http.patch('/api/care/settings').set(as(careOwner)).send({ weeklyEmailCap: 2 })).status).toBe(200);
    expect((await careChanged).seq).toEqual(expect.any(Number));

    const tagsChanged = [watcher, agentSocket].map((socket) => nextEvent(socket, 'settings.updated', ({ scope }) => scope === 'tags'));
    expect((await t.http.patch('/api/tags/settings').set(as(careOwner)).send({ recurringWeeklyMin: 7 })).status).toBe(200);
    await Promise.all(tagsChanged);
    // The board's rule sentence reads the settings again: the new threshold is there.
    expect((await t.http.get('/api/tags/settings').set(as(admin))).body).toMatchObject({ recurringWeeklyMin: 7 });
    // Care settings are the care room's: the agent heard the tag change only.
    expect(agentHeard).toEqual(['tags']);
  });

  it('is for care owners and admins only', async () => {
    for (const role of ['agent', 'lead'] as const) {
      const { token } = await signInAs(t, admin, role);
      expect((await t.http.get('/api/care/initiatives').set(as(token))).status).toBe(403);
      expect((await t.http.post('/api/care/initiatives').set(as(token)).send({ title: 'x', tags: ['checkout-error'] })).status).toBe(403);
    }
  });
});
