import { io, type Socket } from 'socket.io-client';
import type { TicketPageDto, UserDto } from '../../contracts/api';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events';
import type { NotificationListDto } from '../../contracts/notifications';
import type { CalendarDto, SlaPolicyDto } from '../../contracts/sla';
import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { createCalendar, createPolicy, dueTimes, freshLogin, ManualClock, ticketSteps, weekdays, type TicketSteps } from './sla-harness';

describe('SLA API', () => {
  const clock = new ManualClock(new Date('2026-01-05T08:00:00Z'));
  let t: TestApp;
  let admin: () => Promise<string>;
  let agent: () => Promise<string>;
  let leadToken: () => Promise<string>;
  let steps: TicketSteps;
  let calendar: CalendarDto;
  let standard: SlaPolicyDto;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = freshLogin(t, clock);
    const adminToken = await admin();
    const createUser = async (email: string, role: UserDto['role']) =>
      expect((await t.http.post('/api/users').auth(adminToken, { type: 'bearer' }).send({ email, name: email, role, password: 'some-password-1' })).status).toBe(201);
    await createUser('agent@example.com', 'agent');
    await createUser('lead@example.com', 'lead');
    agent = freshLogin(t, clock, 'agent@example.com', 'some-password-1');
    leadToken = freshLogin(t, clock, 'lead@example.com', 'some-password-1');
    steps = ticketSteps(t, clock, admin);
    calendar = await createCalendar(t, await leadToken(), { name: 'Office', timeZone: 'Europe/London', weekly: weekdays() });
    standard = await createPolicy(t, await leadToken(), { name: 'Standard', calendarId: calendar.id, targets: { normal: { firstReply: 240, resolution: 960 } } });
  });

  afterAll(() => t.close());

  const as = async (token: () => Promise<string>) => ({ type: 'bearer' as const, token: await token() });
  const get = async (path: string, who = admin) => {
    const { token, type } = await as(who);
    return t.http.get(path).auth(token, { type });
  };
  const send = async (method: 'post' | 'patch' | 'put' | 'delete', path: string, body: object, who = leadToken) => {
    const { token, type } = await as(who);
    return t.http[method](path).auth(token, { type }).send(body);
  };

  describe('roles', () => {
    it('lets everyone read the settings and only leads and admins change them', async () => {
      expect(((await get('/api/sla/policies', agent)).body as SlaPolicyDto[]).map((policy) => policy.name)).toEqual(['Standard']);
      expect(((await get('/api/sla/calendars', agent)).body as CalendarDto[]).map((entry) => [entry.name, entry.policyIds])).toEqual([['Office', [standard.id]]]);
      expect((await send('post', '/api/sla/policies', { name: 'Mine', targets: {} }, agent)).status).toBe(403);
      expect((await send('patch', `/api/sla/calendars/${calendar.id}`, { name: 'Renamed' }, agent)).status).toBe(403);
      expect((await send('delete', `/api/sla/policies/${standard.id}`, {}, agent)).status).toBe(403);
      expect((await get('/api/sla/report?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', agent)).status).toBe(403);
      expect((await get('/api/sla/report?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', leadToken)).status).toBe(200);
    });
  });

  describe('validation', () => {
    it('names each bad field of a calendar', async () => {
      const response = await send('post', '/api/sla/calendars', {
        name: 'Broken',
        timeZone: 'Mars/Olympus',
        weekly: { ...weekdays(), 1: [{ start: '25:00', end: '12:00' }] },
        holidays: ['2026-02-30x'],
      });
      expect(response.status).toBe(400);
      expect((response.body.fields as { field: string }[]).map((field) => field.field).sort()).toEqual(['holidays.0', 'timeZone', 'weekly.1.0.start']);
    });

    it('refuses overlapping intervals and a week without open time, naming weekly', async () => {
      const overlapping = await send('post', '/api/sla/calendars', {
        name: 'Overlap',
        timeZone: 'UTC',
        weekly: { ...weekdays(), 2: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] },
      });
      expect(overlapping.status).toBe(400);
      expect(overlapping.body.fields).toEqual([{ field: 'weekly', message: 'weekly[2] 09:00–12:00 overlaps 11:00–13:00' }]);
      const closed = await send('post', '/api/sla/calendars', { name: 'Closed', timeZone: 'UTC', weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } });
      expect((closed.body.fields as { field: string }[]).map((field) => field.field)).toEqual(['weekly']);
    });

    it('names bad policy targets, an unknown calendar and an incomplete order', async () => {
      const response = await send('post', '/api/sla/policies', { name: 'Bad', targets: { high: { firstReply: 0 } }, warning: { percentElapsed: 150 } });
      expect(response.status).toBe(400);
      expect((response.body.fields as { field: string }[]).map((field) => field.field).sort()).toEqual(['targets.high.firstReply', 'warning.percentElapsed']);
      const unknown = await send('post', '/api/sla/policies', { name: 'Bad', targets: {}, calendarId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.body.fields).toEqual([{ field: 'calendarId', message: 'no calendar with this id' }]);
      const order = await send('put', '/api/sla/policies/order', { policyIds: [] });
      expect((order.body.fields as { field: string }[]).map((field) => field.field)).toEqual(['policyIds']);
    });

    it('refuses to delete a calendar a policy counts in', async () => {
      expect((await send('delete', `/api/sla/calendars/${calendar.id}`, {})).status).toBe(409);
    });
  });

  describe('policies', () => {
    it('applies policies in the order leads give them, and a partial update keeps the other fields', async () => {
      const vip = await createPolicy(t, await leadToken(), { name: 'VIP', conditions: { tags: ['vip'] }, targets: { normal: { firstReply: 60 } } });
      const renamed = await send('patch', `/api/sla/policies/${vip.id}`, { name: 'VIP customers' });
      expect(renamed.body).toMatchObject({ name: 'VIP customers', conditions: { tags: ['vip'] }, warning: { minutesBefore: 15 }, calendarId: null });

      clock.set('2026-01-05T09:00:00Z');
      const before = await steps.open({ subject: 'VIP before reorder', tags: ['vip'] });
      expect((await steps.sla(before)).policy?.name).toBe('Standard');

      const reordered = await send('put', '/api/sla/policies/order', { policyIds: [vip.id, standard.id] });
      expect((reordered.body as SlaPolicyDto[]).map((policy) => policy.name)).toEqual(['VIP customers', 'Standard']);
      const after = await steps.open({ subject: 'VIP after reorder', tags: ['vip'] });
      expect(dueTimes(await steps.sla(after))).toEqual({ first_reply: '2026-01-05T10:00:00.000Z' });
      await send('put', '/api/sla/policies/order', { policyIds: [standard.id, vip.id] });
    });

    it('moves open due times when a calendar gains a holiday', async () => {
      clock.set('2026-01-05T16:00:00Z');
      const ticketId = await steps.open({ subject: 'Over the holiday' });
      expect(dueTimes(await steps.sla(ticketId)).first_reply).toBe('2026-01-06T12:00:00.000Z');

      expect((await send('patch', `/api/sla/calendars/${calendar.id}`, { holidays: ['2026-01-06'] })).status).toBe(200);
      const deadline = Date.now() + 10_000;
      let due = dueTimes(await steps.sla(ticketId)).first_reply;
      while (due === '2026-01-06T12:00:00.000Z' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        due = dueTimes(await steps.sla(ticketId)).first_reply;
      }
      expect(due).toBe('2026-01-07T12:00:00.000Z');
    });
  });

  describe('tickets and notifications', () => {
    it('shows the nearest target on each ticket in the list and filters those breaching soon', async () => {
      clock.set('2026-01-12T09:00:00Z');
      const soon = await steps.open({ subject: 'Soon' });
      clock.set('2026-01-12T12:00:00Z');
      const later = await steps.open({ subject: 'Later' });

      const list = (await get('/api/tickets?limit=200')).body as TicketPageDto;
      const badge = (id: string) => list.items.find((item) => item.id === id)?.sla;
      expect(badge(soon)).toEqual({ kind: 'first_reply', state: 'active', dueAt: '2026-01-12T14:00:00.000Z', remainingMinutes: 240 });
      expect(badge(later)?.dueAt).toBe('2026-01-12T17:00:00.000Z');

      // At 12:00, "due within three hours" takes the one due at 14:00, not the one due at 17:00.
      const breaching = (await get('/api/tickets?slaDueWithin=180&limit=200')).body as TicketPageDto;
      const ids = breaching.items.map((item) => item.id);
      expect(ids).toContain(soon);
      expect(ids).not.toContain(later);
    });

    it('splits overdue from due soon, and sorts the list by SLA due time across pages', async () => {
      clock.set('2026-01-13T09:00:00Z');
      const first = await steps.open({ subject: 'Due first' });
      clock.set('2026-01-13T10:00:00Z');
      const second = await steps.open({ subject: 'Due second' });
      const ours = (page: TicketPageDto) => page.items.map((item) => item.id).filter((id) => id === first || id === second);
      const view = async (sla: string) => ours((await get(`/api/tickets?sla=${sla}&limit=200`)).body as TicketPageDto);

      const badges = ((await get('/api/tickets?limit=200')).body as TicketPageDto).items;
      const [firstDue, secondDue] = [first, second].map((id) => Date.parse(badges.find((item) => item.id === id)?.sla?.dueAt ?? ''));
      // Opened an hour apart with the same target: due an hour apart.
      expect(secondDue - firstDue).toBe(3_600_000);
      // Half an hour before the first is due: it is due soon (the second, 90 minutes away, not yet); nothing is overdue.
      clock.set(new Date(firstDue - 1_800_000).toISOString());
      expect({ overdue: await view('overdue'), soon: await view('due_soon') }).toEqual({ overdue: [], soon: [first] });
      // Half an hour after: the first is overdue (and so no longer "due soon"), the second due soon.
      clock.set(new Date(firstDue + 1_800_000).toISOString());
      expect({ overdue: await view('overdue'), soon: await view('due_soon') }).toEqual({ overdue: [first], soon: [second] });

      // Sorted by due time, one ticket a page: the overdue first, then the next due, tickets without a clock last.
      const seen: TicketPageDto['items'] = [];
      let cursor: string | null = null;
      do {
        const page = (await get(`/api/tickets?sort=sla_due_asc&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body as TicketPageDto;
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const all = (await get('/api/tickets?limit=200')).body as TicketPageDto;
      expect(seen.map((item) => item.id).sort()).toEqual(all.items.map((item) => item.id).sort());
      const dueTimes = seen.map((item) => item.sla?.dueAt ?? null);
      const timed = dueTimes.filter((due): due is string => due !== null);
      expect(dueTimes.slice(0, timed.length)).toEqual([...timed].sort());
      expect(dueTimes.slice(timed.length).every((due) => due === null)).toBe(true);
      expect(ours({ items: seen, nextCursor: null })).toEqual([first, second]);
    });

    it('lists a lead their breach notifications and marks them read', async () => {
      clock.set('2026-01-19T09:00:00Z');
      const ticketId = await steps.open({ subject: 'Will breach' });
      clock.set('2026-01-20T09:00:00Z');
      await t.app.get(SlaEngine).runDuePass(clock.now());
      await reactions(t.app);

      const unread = (await get('/api/notifications?unread=true', leadToken)).body as NotificationListDto;
      const mine = unread.items.filter((notification) => notification.ticketId === ticketId);
      // Warning and breach came due in the same pass.
      expect(mine.map((notification) => [notification.kind, notification.ticketSubject]).sort()).toEqual([
        ['sla_breached', 'Will breach'],
        ['sla_warning', 'Will breach'],
      ]);
      expect((await send('post', '/api/notifications/read', { ids: [mine[0].id] })).status).toBe(204);
      const after = (await get('/api/notifications?unread=true', leadToken)).body as NotificationListDto;
      expect(after.items.map((notification) => notification.id)).not.toContain(mine[0].id);
      expect(after.unreadCount).toBe(unread.unreadCount - 1);
      expect(((await get('/api/notifications', agent)).body as NotificationListDto).items).toEqual([]);
    });

    it('pushes a breach live to connected browsers with the ticket\'s new SLA state', async () => {
      clock.set('2026-01-26T09:00:00Z');
      const ticketId = await steps.open({ subject: 'Live breach' });
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(t.url, { auth: { token: await agent() }, transports: ['websocket'], reconnection: false });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        const pushed = new Promise<Parameters<ServerToClientEvents['ticket.updated']>[0]>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no live SLA update within 5 s')), 5000);
          socket.on('ticket.updated', (payload) => {
            if (payload.ticket.id === ticketId && payload.ticket.sla?.state === 'breached') {
              clearTimeout(timer);
              resolve(payload);
            }
          });
        });
        clock.set('2026-01-27T12:00:00Z');
        await t.app.get(SlaEngine).runDuePass(clock.now());
        const payload = await pushed;
        expect(payload.ticket.sla).toMatchObject({ kind: 'first_reply', state: 'breached' });
      } finally {
        socket.close();
      }
    });
  });
});
