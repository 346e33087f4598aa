import { DataSource } from 'typeorm';
import type { OverviewDto, ReportTicketPageDto, ReportTicketsDto, ResolutionDto, ResponseTimesDto, SlaAchievementDto, VolumeDto } from '../../contracts/reports';
import { OutboxService } from '../../server/src/outbox/outbox.service';
import { reactions } from '../support/events';
import { ReportRollupService } from '../../server/src/reports/report-rollup.service';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { signInAs } from './care-fixtures';
import { createCalendar, createPolicy, ManualClock, ticketSteps, weekdays, type TicketSteps } from './sla-harness';

/**
 * A hand-built week (Monday 2 June 2031, UTC; business hours Mon–Fri 09:00–17:00 UTC) with known answers:
 * A  Mon 10:00 opened · 10:30 a duplicate (D) arrives and is merged in at 10:45 · 11:30 reply (first: 1.5 h, 1.5 h business)
 *    12:00 customer writes · 12:10 internal note · 13:00 reply (next: 1 h) · 13:05 solved
 * B  Mon 16:00 opened · 16:01 automatic email (not a reply) · Tue 09:50 reply (17 h 50 calendar, 1 h 50 business) · 09:55 solved: one-touch
 * C  Fri 18:00 opened · Sat 10:00 reply (16 h calendar, 0 business) · 10:05 solved · Mon 9 June 08:00 the customer writes, reopened
 *    09:30 reply (next: 1.5 h calendar, 0.5 h business) · 09:35 solved again
 * E  Tue 09:00 opened, no reply yet
 */
const at = (iso: string) => `${iso}:00.000Z`;
const PERIOD = { from: '2031-06-02', to: '2031-06-09' };

describe('service reports over a hand-built story', () => {
  let t: TestApp;
  let clock: ManualClock;
  let admin: string;
  let steps: TicketSteps;
  let agentId: string;
  let calendarId: string;
  const ids: Record<string, string> = {};

  const get = async <T>(path: string, query: Record<string, string> = {}, token = admin): Promise<T> => {
    const response = await t.http.get(path).query({ ...PERIOD, ...query }).auth(token, { type: 'bearer' });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as T;
  };
  const settled = () => reactions(t.app);
  const when = async (iso: string, step: () => Promise<unknown>) => {
    clock.set(at(iso));
    await step();
    await settled();
  };
  const automaticEmail = async (ticketId: string) => {
    const repository = t.app.get(TicketRepository);
    await t.app.get(OutboxService).transaction(async (manager, raise) => {
      const ticket = await repository.findForUpdate(ticketId, manager);
      if (!ticket) throw new Error('no ticket');
      const message = await t.app.get(TicketsService).appendMessage(ticket, { direction: 'outbound', automatic: true, bodyText: 'We got your email' }, manager);
      raise({ name: 'message.created', payload: { ticketId, messageId: message.id } });
    });
  };
  const note = async (ticketId: string) => {
    const repository = t.app.get(TicketRepository);
    await t.app.get(OutboxService).transaction(async (manager, raise) => {
      const ticket = await repository.findForUpdate(ticketId, manager);
      if (!ticket) throw new Error('no ticket');
      const message = await t.app.get(TicketsService).appendMessage(ticket, { direction: 'note', authorId: agentId, bodyText: 'checking stock' }, manager);
      raise({ name: 'message.created', payload: { ticketId, messageId: message.id } });
    });
  };

  beforeAll(async () => {
    clock = new ManualClock(new Date(at('2031-06-01T12:00')));
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    admin = await t.login();
    agentId = (await signInAs(t, admin, 'agent')).user.id;
    const calendar = await createCalendar(t, admin, { name: 'Office', timeZone: 'UTC', weekly: weekdays([{ start: '09:00', end: '17:00' }]), holidays: [] });
    calendarId = calendar.id;
    await createPolicy(t, admin, { name: 'Standard', calendarId, targets: { normal: { firstReply: 120, nextReply: 120, resolution: 4_800 } } });
    steps = ticketSteps(t, clock, () => Promise.resolve(admin));
    const reply = (ticketId: string) => steps.message(ticketId, 'outbound', agentId);

    await when('2031-06-02T10:00', async () => (ids.A = await steps.open({ subject: 'A: wrong grind', from: 'ann@example.com' })));
    await when('2031-06-02T10:30', async () => (ids.D = await steps.open({ subject: 'D: wrong grind (again)', from: 'ann@example.com' })));
    await when('2031-06-02T10:45', () => t.http.post(`/api/tickets/${ids.A}/merge`).auth(admin, { type: 'bearer' }).send({ sourceIds: [ids.D] }).expect(200));
    await when('2031-06-02T11:30', () => reply(ids.A));
    await when('2031-06-02T12:00', () => steps.message(ids.A, 'inbound'));
    await when('2031-06-02T12:10', () => note(ids.A));
    await when('2031-06-02T13:00', () => reply(ids.A));
    await when('2031-06-02T13:05', () => steps.update(ids.A, { status: 'solved' }));
    await when('2031-06-02T16:00', async () => (ids.B = await steps.open({ subject: 'B: late delivery', from: 'ben@example.com' })));
    await when('2031-06-02T16:01', () => automaticEmail(ids.B));
    await when('2031-06-03T09:00', async () => (ids.E = await steps.open({ subject: 'E: still waiting', from: 'eve@example.com' })));
    await when('2031-06-03T09:50', () => reply(ids.B));
    await when('2031-06-03T09:55', () => steps.update(ids.B, { status: 'solved' }));
    await when('2031-06-06T18:00', async () => (ids.C = await steps.open({ subject: 'C: refund', from: 'cat@example.com' })));
    await when('2031-06-07T10:00', () => reply(ids.C));
    await when('2031-06-07T10:05', () => steps.update(ids.C, { status: 'solved' }));
    await when('2031-06-09T08:00', async () => {
      await steps.message(ids.C, 'inbound');
      await steps.update(ids.C, { status: 'open' });
    });
    await when('2031-06-09T09:30', () => reply(ids.C));
    await when('2031-06-09T09:35', () => steps.update(ids.C, { status: 'solved' }));
    clock.set(at('2031-06-10T12:00'));
  }, 120_000);

  afterAll(() => t.close());

  it('gives the first and next reply times in calendar time and in business hours', async () => {
    const times = await get<ResponseTimesDto>('/api/reports/response-times');
    expect(times.firstReply.calendar).toEqual({ median: 57_600, p90: 62_880, count: 3 });
    expect(times.firstReply.business).toEqual({ median: 5_400, p90: 6_360, count: 3 });
    expect(times.nextReply.calendar).toEqual({ median: 4_500, p90: 5_220, count: 2 });
    expect(times.nextReply.business).toEqual({ median: 2_700, p90: 3_420, count: 2 });
    expect(times.waiting.count).toBe(1);
    expect(times.waiting.oldest[0]).toEqual(expect.objectContaining({ ticketId: ids.E, waitingSeconds: 7 * 86_400 + 3 * 3_600 }));
    expect(times.distribution.map((bucket) => bucket.count)).toEqual([0, 1, 0, 2, 0, 0]);
  });

  it('gives resolution, replies to resolve and one-touch, leaving the merged duplicate out', async () => {
    const resolution = await get<ResolutionDto>('/api/reports/resolution');
    expect(resolution.firstResolution).toEqual({ median: 57_900, p90: 63_180, count: 3 });
    expect(resolution.fullResolution).toEqual({ median: 64_500, p90: 196_020, count: 3 });
    expect(resolution.repliesToResolve).toEqual({ median: 2, p90: 2, count: 3 });
    expect(resolution.oneTouch).toEqual({ solved: 3, oneTouch: 1, percent: 33.3 });
    const oneTouch = await get<ReportTicketsDto>('/api/reports/tickets', { metric: 'one_touch' });
    expect(oneTouch.tickets.map((ticket) => ticket.id)).toEqual([ids.B]);
    const slowest = await get<ReportTicketsDto>('/api/reports/tickets', { metric: 'first_reply' });
    expect(slowest.tickets.map((ticket) => [ticket.id, ticket.firstReplySeconds, ticket.firstReplyBusinessSeconds])).toEqual([
      [ids.B, 64_200, 6_600],
      [ids.C, 57_600, 0],
      [ids.A, 5_400, 5_400],
    ]);
    const mondayCreated = await get<ReportTicketsDto>('/api/reports/tickets', { metric: 'created', day: '2031-06-02' });
    expect(new Set(mondayCreated.tickets.map((ticket) => ticket.id))).toEqual(new Set([ids.A, ids.B, ids.D]));
  });

  it('lists the tickets behind a number for the inbox, in the report\'s order, a page at a time', async () => {
    const first = await get<ReportTicketPageDto>('/api/reports/tickets/page', { metric: 'first_reply', limit: '2' });
    expect(first.items.map((ticket) => [ticket.id, ticket.subject])).toEqual([
      [ids.B, 'B: late delivery'],
      [ids.C, 'C: refund'],
    ]);
    expect(first.total).toBe(3);
    const rest = await get<ReportTicketPageDto>('/api/reports/tickets/page', { metric: 'first_reply', limit: '2', cursor: first.nextCursor as string });
    expect(rest.items.map((ticket) => ticket.id)).toEqual([ids.A]);
    expect(rest.nextCursor).toBeNull();
    // The backlog bar of Monday: B was the one ticket still unsolved at the end of that day (A solved, D merged).
    const backlog = await get<ReportTicketPageDto>('/api/reports/tickets/page', { metric: 'unsolved', day: '2031-06-02' });
    expect(backlog.items.map((ticket) => ticket.id)).toEqual([ids.B]);
  });

  it('counts volume and the backlog by day, and the SLA achievement from the SLA records', async () => {
    const volume = await get<VolumeDto>('/api/reports/volume');
    expect(volume.days.map(({ day, created, solved, reopened, backlog }) => [day, created, solved, reopened, backlog])).toEqual([
      ['2031-06-02', 3, 1, 0, 1],
      ['2031-06-03', 1, 1, 0, 1],
      ['2031-06-04', 0, 0, 0, 1],
      ['2031-06-05', 0, 0, 0, 1],
      ['2031-06-06', 1, 0, 0, 2],
      ['2031-06-07', 0, 1, 0, 1],
      ['2031-06-08', 0, 0, 0, 1],
      ['2031-06-09', 0, 1, 1, 1],
    ]);
    expect(volume.heatmap).toEqual(expect.arrayContaining([{ weekday: 1, hour: 10, count: 2 }, { weekday: 5, hour: 18, count: 1 }]));
    const sla = await get<SlaAchievementDto>('/api/reports/sla');
    // A, B, C answered inside 2 business hours; the duplicate D's target ended met when the merge closed it (as the SLA engine records it).
    expect(sla.kinds.find((kind) => kind.kind === 'first_reply')).toEqual({ kind: 'first_reply', total: 4, met: 4, breached: 0, percentMet: 100, previousPercentMet: null });
    const next = sla.kinds.find((kind) => kind.kind === 'next_reply');
    expect(next).toEqual(expect.objectContaining({ breached: 0 }));
  });

  it('keeps the business-hours figures when the calendar is edited afterwards', async () => {
    const before = await get<OverviewDto>('/api/reports/overview');
    const edited = await t.http.patch(`/api/sla/calendars/${calendarId}`).auth(admin, { type: 'bearer' }).send({ weekly: weekdays([{ start: '06:00', end: '22:00' }]) });
    expect(edited.status).toBe(200);
    await t.app.get(ReportRollupService).refresh(Object.values(ids));
    const after = await get<OverviewDto>('/api/reports/overview');
    const business = (overview: OverviewDto) => overview.headlines.find((headline) => headline.key === 'first_reply_business')?.value;
    expect([business(before), business(after)]).toEqual([5_400, 5_400]);
    const times = await get<ResponseTimesDto>('/api/reports/response-times');
    expect(times.firstReply.business).toEqual({ median: 5_400, p90: 6_360, count: 3 });
  });

  it('shows an agent only their own figures and refuses a bad filter by name', async () => {
    const other = await signInAs(t, admin, 'agent');
    const own = await get<ResponseTimesDto>('/api/reports/response-times', {}, other.token);
    expect(own.firstReply.calendar.count).toBe(0);
    const bad = await t.http.get('/api/reports/overview').query({ from: '2031-06-09', to: '2031-06-02' }).auth(admin, { type: 'bearer' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('to');
  });

  it('exports the per-ticket CSV with the same figures the API gives', async () => {
    const csv = await t.http.get('/api/reports/export/tickets').query(PERIOD).auth(admin, { type: 'bearer' }).buffer(true).parse((response, done) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => done(null, text));
    });
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('ticket_number,subject,status,team,assignee,created_at,first_reply_seconds,first_reply_business_seconds,full_resolution_seconds,public_replies,reopens,one_touch,csat_score');
    expect(lines).toHaveLength(6);
    const b = lines.find((line) => line.includes('B: late delivery'));
    expect(b?.split(',').slice(6)).toEqual(['64200', '6600', '64500', '1', '0', 'true', '']);
    const db = t.app.get(DataSource);
    expect((await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM report_ticket_facts`))[0].n).toBe(5);
  });
});
