import fc from 'fast-check';
import type { TeamDto, UserDto } from '../../contracts/api';
import type { NotificationListDto } from '../../contracts/notifications';
import type { SlaReportDto } from '../../contracts/sla';
import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { createCalendar, createPolicy, dueTimes, freshLogin, ManualClock, ticketSteps, until, weekdays, type TicketSteps } from './sla-harness';
import { addListener, reactions } from '../support/events';

describe('SLA engine', () => {
  const clock = new ManualClock(new Date('2026-01-05T08:00:00Z'));
  let t: TestApp;
  let admin: string;
  let adminToken: () => Promise<string>;
  let steps: TicketSteps;
  let engine: SlaEngine;
  let billing: TeamDto;
  let escalations: TeamDto;
  let lead: UserDto;
  const fired: { name: string; ticketId: string }[] = [];

  beforeAll(async () => {
    // Escalations run as jobs. The minute cron may also run a pass on this clock: harmless, each fires once.
    t = await startTestApp({ clock });
    admin = await t.login();
    adminToken = freshLogin(t, clock);
    steps = ticketSteps(t, clock, adminToken);
    engine = t.app.get(SlaEngine);
    addListener(t.app, {
      name: 'fired-observer',
      events: ['sla.warning', 'sla.breached'],
      inProcessOnly: true,
      handle: (events) => Promise.resolve(events.forEach((event) => (event.name === 'sla.warning' || event.name === 'sla.breached' ? fired.push({ name: event.name, ticketId: event.payload.ticketId }) : undefined))),
    });

    const post = (path: string, body: object) => t.http.post(path).auth(admin, { type: 'bearer' }).send(body);
    billing = (await post('/api/teams', { name: 'Billing' })).body as TeamDto;
    escalations = (await post('/api/teams', { name: 'Escalations' })).body as TeamDto;
    lead = (await post('/api/users', { email: 'lena@example.com', name: 'Lena Lead', role: 'lead', password: 'lead-password-1', teamIds: [billing.id] })).body as UserDto;

    const london = await createCalendar(t, admin, { name: 'London', timeZone: 'Europe/London', weekly: weekdays(), holidays: ['2026-04-03', '2026-04-06'] });
    const berlin = await createCalendar(t, admin, { name: 'Berlin', timeZone: 'Europe/Berlin', weekly: weekdays([{ start: '09:00', end: '17:00' }]) });
    const pacific = await createCalendar(t, admin, { name: 'Kiritimati', timeZone: 'Pacific/Kiritimati', weekly: weekdays([{ start: '09:00', end: '17:00' }]) });

    await createPolicy(t, admin, {
      name: 'Urgent',
      conditions: { priorities: ['urgent'] },
      targets: { urgent: { firstReply: 30, resolution: 240 } },
      warning: { minutesBefore: 10 },
      escalation: { notifyLead: true, raisePriority: false, reassignTeamId: escalations.id },
    });
    await createPolicy(t, admin, { name: 'Berlin office', conditions: { tags: ['berlin'] }, calendarId: berlin.id, targets: { normal: { firstReply: 120 } } });
    await createPolicy(t, admin, { name: 'Pacific office', conditions: { tags: ['pacific'] }, calendarId: pacific.id, targets: { normal: { firstReply: 480 } } });
    await createPolicy(t, admin, {
      name: 'Standard',
      calendarId: london.id,
      targets: { normal: { firstReply: 240, nextReply: 120, resolution: 960 }, high: { firstReply: 120, nextReply: 60, resolution: 480 } },
      warning: { percentElapsed: 75 },
      escalation: { notifyLead: true, raisePriority: true, reassignTeamId: null },
    });
  });

  afterAll(() => t.close());

  async function openAt(iso: string, fixture: Parameters<TicketSteps['open']>[0]): Promise<string> {
    clock.set(iso);
    return steps.open(fixture);
  }

  describe('due times', () => {
    it.each([
      ['several intervals a day and a weekend', '2026-01-09T15:00:00Z', [], { first_reply: '2026-01-12T11:00:00.000Z', resolution: '2026-01-13T17:00:00.000Z' }],
      ['Good Friday and Easter Monday closed', '2026-04-02T14:00:00Z', [], { first_reply: '2026-04-07T10:00:00.000Z', resolution: '2026-04-08T16:00:00.000Z' }],
      ['a weekend that springs forward', '2026-03-27T15:00:00Z', ['berlin'], { first_reply: '2026-03-30T08:00:00.000Z' }],
      ['a weekend that falls back', '2026-10-23T14:00:00Z', ['berlin'], { first_reply: '2026-10-26T09:00:00.000Z' }],
      ['a zone fourteen hours ahead', '2026-01-05T20:00:00Z', ['pacific'], { first_reply: '2026-01-06T20:00:00.000Z' }],
    ])('counts %s in the policy calendar', async (_case, createdAt, tags, expected) => {
      const ticketId = await openAt(createdAt, { subject: 'Due time', tags });
      const sla = await steps.sla(ticketId);
      expect(dueTimes(sla)).toEqual(expected);
      expect(sla.targets.every((target) => target.state === 'active')).toBe(true);
    });

    it('applies the first matching policy and says so on the timeline', async () => {
      const ticketId = await openAt('2026-01-05T09:00:00Z', { subject: 'Outage', priority: 'urgent' });
      const sla = await steps.sla(ticketId);
      expect(sla.policy?.name).toBe('Urgent');
      expect(dueTimes(sla)).toEqual({ first_reply: '2026-01-05T09:30:00.000Z', resolution: '2026-01-05T13:00:00.000Z' });
      const applied = (await steps.timeline(ticketId)).filter((event) => event.type === 'sla.policy_applied');
      expect(applied.map((event) => event.data.policyName)).toEqual(['Urgent']);
    });
  });

  describe('clock changes', () => {
    it('pauses while pending on the customer and resumes with the time already used', async () => {
      const ticketId = await openAt('2026-01-05T09:00:00Z', { subject: 'Pause me' });
      expect(dueTimes(await steps.sla(ticketId)).first_reply).toBe('2026-01-05T14:00:00.000Z');

      clock.set('2026-01-05T10:00:00Z');
      await steps.update(ticketId, { status: 'pending' });
      clock.set('2026-01-06T10:00:00Z');
      const paused = await steps.sla(ticketId);
      expect(paused.targets.map((target) => [target.kind, target.state, target.spentMinutes, target.dueAt])).toEqual([
        ['first_reply', 'paused', 60, null],
        ['resolution', 'paused', 60, null],
      ]);

      clock.set('2026-01-07T10:00:00Z');
      await steps.update(ticketId, { status: 'open' });
      clock.set('2026-01-07T11:00:00Z');
      const resumed = await steps.sla(ticketId);
      expect(dueTimes(resumed).first_reply).toBe('2026-01-07T14:00:00.000Z');
      expect(resumed.targets.map((target) => [target.state, target.spentMinutes])).toEqual([
        ['active', 120],
        ['active', 120],
      ]);
    });

    it('re-applies the policy after a priority change, keeping the time spent', async () => {
      const ticketId = await openAt('2026-01-19T09:00:00Z', { subject: 'Getting worse' });
      clock.set('2026-01-19T10:00:00Z');
      await steps.update(ticketId, { priority: 'high' });
      const sla = await steps.sla(ticketId);
      // 120 minutes for a high first reply, 60 used; 480 to resolve, 60 used, over lunch and the evening.
      expect(dueTimes(sla)).toEqual({ first_reply: '2026-01-19T11:00:00.000Z', resolution: '2026-01-20T10:00:00.000Z' });
      expect(sla.targets.map((target) => target.targetMinutes)).toEqual([120, 480]);
    });

    it('moves to another policy when tags change, keeping the time spent on the old calendar', async () => {
      const ticketId = await openAt('2026-01-21T09:00:00Z', { subject: 'To Berlin' });
      clock.set('2026-01-21T09:30:00Z');
      await steps.update(ticketId, { tags: ['berlin'] });
      const sla = await steps.sla(ticketId);
      expect(sla.policy?.name).toBe('Berlin office');
      // 30 of 120 minutes used; Berlin is open 08:00–16:00 UTC in winter, without lunch.
      expect(dueTimes(sla)).toEqual({ first_reply: '2026-01-21T11:00:00.000Z' });
    });

    it('achieves reply targets on agent replies and starts a next reply target per customer message', async () => {
      const agentId = lead.id;
      const ticketId = await openAt('2026-01-26T09:00:00Z', { subject: 'Question', assigneeId: agentId });
      clock.set('2026-01-26T09:30:00Z');
      await steps.message(ticketId, 'outbound', agentId);
      clock.set('2026-01-26T10:00:00Z');
      await steps.message(ticketId, 'inbound');
      expect((await steps.sla(ticketId)).targets.map((target) => [target.kind, target.state, target.dueAt])).toEqual([
        ['first_reply', 'achieved', '2026-01-26T14:00:00.000Z'],
        ['resolution', 'active', '2026-01-28T11:00:00.000Z'],
        ['next_reply', 'active', '2026-01-26T12:00:00.000Z'],
      ]);
      clock.set('2026-01-26T10:45:00Z');
      await steps.message(ticketId, 'outbound', agentId);
      clock.set('2026-01-26T11:00:00Z');
      await steps.update(ticketId, { status: 'solved' });
      const sla = await steps.sla(ticketId);
      expect(sla.targets.map((target) => [target.kind, target.state, target.spentMinutes])).toEqual([
        ['first_reply', 'achieved', 30],
        ['resolution', 'achieved', 120],
        ['next_reply', 'achieved', 45],
      ]);

      const report = await t.http
        .get('/api/sla/report')
        .query({ from: '2026-01-26T00:00:00Z', to: '2026-01-27T00:00:00Z', groupBy: 'agent' })
        .auth(await adminToken(), { type: 'bearer' });
      expect(report.status).toBe(200);
      expect((report.body as SlaReportDto).rows.find((row) => row.key === agentId)).toEqual({ key: agentId, label: 'Lena Lead', total: 3, met: 3, breached: 0, percentMet: 100 });
    });
  });

  describe('warnings and breaches', () => {
    it('fires a warning, then a breach, once each, on the timeline, with the escalation', async () => {
      const ticketId = await openAt('2026-02-02T09:00:00Z', { subject: 'Down', priority: 'urgent', teamId: billing.id });
      const ofTicket = () => fired.filter((event) => event.ticketId === ticketId).map((event) => event.name);

      await engine.runDuePass(new Date('2026-02-02T09:15:00Z'));
      expect(ofTicket()).toEqual([]);
      await engine.runDuePass(new Date('2026-02-02T09:20:00Z'));
      await engine.runDuePass(new Date('2026-02-02T09:25:00Z'));
      expect(ofTicket()).toEqual(['sla.warning']);

      // Two instances' passes at once: the breach still fires once.
      clock.set('2026-02-02T09:30:00Z');
      await Promise.all([engine.runDuePass(clock.now()), engine.runDuePass(clock.now())]);
      await engine.runDuePass(clock.now());
      expect(ofTicket()).toEqual(['sla.warning', 'sla.breached']);

      await until(async () => (await steps.timeline(ticketId)).some((event) => event.type === 'team.changed'));
      const timeline = await steps.timeline(ticketId);
      expect(timeline.filter((event) => event.type.startsWith('sla.') && event.type !== 'sla.policy_applied').map((event) => [event.type, event.data.kind])).toEqual([
        ['sla.warning', 'first_reply'],
        ['sla.breached', 'first_reply'],
      ]);
      expect(timeline.find((event) => event.type === 'team.changed')?.data).toEqual({ from: billing.id, to: escalations.id });
      const sla = await steps.sla(ticketId);
      expect(sla.targets.find((target) => target.kind === 'first_reply')).toMatchObject({ state: 'breached', breachedAt: '2026-02-02T09:30:00.000Z' });

      const leadToken = await freshLogin(t, clock, 'lena@example.com', 'lead-password-1')();
      // The lead of the ticket's team hears of the warning, the breach and the escalation that moved it.
      await reactions(t.app);
      const notifications = await t.http.get('/api/notifications').auth(leadToken, { type: 'bearer' });
      const aboutTicket = (notifications.body as NotificationListDto).items.filter((notification) => notification.ticketId === ticketId);
      expect(aboutTicket.map((notification) => notification.kind).sort()).toEqual(['escalated', 'sla_breached', 'sla_warning']);
    });

    it('raises the priority on breach and re-applies the policy for it', async () => {
      const ticketId = await openAt('2026-02-09T09:00:00Z', { subject: 'Slow' });
      clock.set('2026-02-09T14:00:00Z');
      await engine.runDuePass(clock.now());
      await until(async () => (await steps.sla(ticketId)).targets.some((target) => target.kind === 'resolution' && target.targetMinutes === 480));
      const detail = await t.http.get(`/api/tickets/${ticketId}`).auth(await adminToken(), { type: 'bearer' });
      expect(detail.body.priority).toBe('high');
      const sla = await steps.sla(ticketId);
      // Resolution now has the high target (480 minutes), 240 of them used.
      expect(sla.targets.map((target) => [target.kind, target.state, target.targetMinutes])).toEqual([
        ['first_reply', 'breached', 120],
        ['resolution', 'active', 480],
      ]);
      expect(dueTimes(sla).resolution).toBe('2026-02-10T10:00:00.000Z');
    });

    it('fires nothing for targets achieved or paused in time', async () => {
      const ticketId = await openAt('2026-02-16T09:00:00Z', { subject: 'Handled' });
      clock.set('2026-02-16T09:10:00Z');
      await steps.message(ticketId, 'outbound', lead.id);
      await steps.update(ticketId, { status: 'pending' });
      await engine.runDuePass(new Date('2026-03-16T09:00:00Z'));
      expect(fired.filter((event) => event.ticketId === ticketId)).toEqual([]);
    });

    it('never breaches without a warning before it, and fires each at most once, whatever happens to the ticket (property)', async () => {
      const step = fc.oneof(
        fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 600 }) }),
        fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom('open' as const, 'pending' as const) }),
        fc.record({ kind: fc.constant('priority' as const), priority: fc.constantFrom('normal' as const, 'high' as const) }),
      );
      let start = Date.parse('2026-06-01T08:00:00Z');
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (plan) => {
          start += 14 * 24 * 60 * 60_000;
          let now = start;
          const ticketId = await openAt(new Date(now).toISOString(), { subject: 'Property' });
          for (const action of plan) {
            if (action.kind === 'wait') {
              now += action.minutes * 60_000;
              clock.set(new Date(now).toISOString());
              await engine.runDuePass(clock.now());
            } else if (action.kind === 'status') await steps.update(ticketId, { status: action.status });
            else await steps.update(ticketId, { priority: action.priority });
          }
          await steps.update(ticketId, { status: 'open' });
          await engine.runDuePass(new Date(now + 30 * 24 * 60 * 60_000));
          const timeline = await steps.timeline(ticketId);
          const sla = await steps.sla(ticketId);
          for (const target of sla.targets) {
            const of = (type: string) => timeline.filter((event) => event.type === type && event.data.targetId === target.id);
            const [warnings, breaches] = [of('sla.warning'), of('sla.breached')];
            // Escalation jobs may still move a target after the last pass, so "at most once" is what holds here.
            expect(warnings.length).toBeLessThanOrEqual(1);
            expect(breaches.length).toBeLessThanOrEqual(1);
            if (breaches.length) {
              expect(warnings.length).toBe(1);
              expect(Date.parse(warnings[0].createdAt)).toBeLessThanOrEqual(Date.parse(breaches[0].createdAt));
            }
          }
        }),
        { numRuns: 12 },
      );
    });
  });
});
