import type { TeamDto, TicketPageDto, UserDto } from '../../contracts/api';
import type { SlaReportDto, SlaReportRowDto, SlaTargetDto } from '../../contracts/sla';
import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { createCalendar, createPolicy, freshLogin, ManualClock, ticketSteps, weekdays, type TicketSteps } from './sla-harness';
import { addListener, publish, reactions } from '../support/events';

/**
 * A solved ticket that reopens runs its resolution SLA again, on the time it used before the solve: the time it
 * sat solved counts like a pause. The office is open 09:00–17:00 UTC on weekdays; resolution is 8 business hours.
 */
describe('SLA of reopened tickets', () => {
  const clock = new ManualClock(new Date('2026-01-05T08:00:00Z'));
  let t: TestApp;
  let token: () => Promise<string>;
  let steps: TicketSteps;
  let engine: SlaEngine;
  let agent: UserDto;
  const fired: { name: string; ticketId: string; kind: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    token = freshLogin(t, clock);
    const admin = await token();
    steps = ticketSteps(t, clock, token);
    engine = t.app.get(SlaEngine);
    addListener(t.app, {
      name: 'fired-observer',
      events: ['sla.warning', 'sla.breached'],
      inProcessOnly: true,
      handle: (events) => Promise.resolve(events.forEach((event) => (event.name === 'sla.warning' || event.name === 'sla.breached' ? fired.push({ name: event.name, ticketId: event.payload.ticketId, kind: event.payload.kind }) : undefined))),
    });
    agent = (await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'ada@example.com', name: 'Ada', role: 'agent', password: 'agent-password-1' })).body as UserDto;
    const office = await createCalendar(t, admin, { name: 'Office', timeZone: 'UTC', weekly: weekdays([{ start: '09:00', end: '17:00' }]) });
    const escalation = { notifyLead: false, raisePriority: false, reassignTeamId: null };
    await createPolicy(t, admin, { name: 'Replies only', conditions: { tags: ['replies-only'] }, calendarId: office.id, targets: { normal: { firstReply: 240 } }, escalation });
    await createPolicy(t, admin, {
      name: 'Standard',
      calendarId: office.id,
      targets: { normal: { firstReply: 240, nextReply: 120, resolution: 480 }, high: { firstReply: 60, resolution: 960 } },
      warning: { minutesBefore: 60 },
      escalation,
    });
  });

  afterAll(() => t.close());

  async function team(name: string): Promise<TeamDto> {
    return (await t.http.post('/api/teams').auth(await token(), { type: 'bearer' }).send({ name })).body as TeamDto;
  }

  async function at(iso: string, step: () => Promise<void>): Promise<void> {
    clock.set(iso);
    await step();
  }

  /** Opened on Monday `monday` at 09:00, answered at 09:30, solved at 11:00: two of its eight resolution hours used. */
  async function solvedAfterTwoHours(monday: string, teamId: string | null = null): Promise<string> {
    clock.set(`${monday}T09:00:00Z`);
    const ticketId = await steps.open({ subject: 'Reopens', teamId });
    await at(`${monday}T09:30:00Z`, () => steps.message(ticketId, 'outbound', agent.id));
    await at(`${monday}T11:00:00Z`, () => steps.update(ticketId, { status: 'solved' }));
    return ticketId;
  }

  async function resolution(ticketId: string): Promise<SlaTargetDto> {
    const target = (await steps.sla(ticketId)).targets.find((candidate) => candidate.kind === 'resolution');
    if (!target) throw new Error('no resolution target');
    return target;
  }

  async function timelineOf(ticketId: string, ...types: string[]) {
    return (await steps.timeline(ticketId)).filter((event) => types.includes(event.type));
  }

  const firedFor = (ticketId: string) => fired.filter((event) => event.ticketId === ticketId).map((event) => `${event.name} ${event.kind}`);

  async function reportRow(from: string, to: string, teamId: string): Promise<SlaReportRowDto | undefined> {
    const response = await t.http.get('/api/sla/report').query({ from, to, groupBy: 'team' }).auth(await token(), { type: 'bearer' });
    expect(response.status).toBe(200);
    return (response.body as SlaReportDto).rows.find((row) => row.key === teamId);
  }

  it('resumes the resolution target with the time used before the solve, due from the reopen', async () => {
    const ticketId = await solvedAfterTwoHours('2026-01-05');
    expect(await resolution(ticketId)).toMatchObject({ state: 'achieved', spentMinutes: 120 });
    // Nothing fires while it sits solved, though its first due time (Monday 17:00) passes.
    await engine.runDuePass(new Date('2026-01-07T12:00:00Z'));
    expect(firedFor(ticketId)).toEqual([]);

    await at('2026-01-08T14:00:00Z', () => steps.update(ticketId, { status: 'open' }));
    const resumed = await resolution(ticketId);
    // Six hours left: Thursday 14:00–17:00 and Friday 09:00–12:00.
    expect(resumed).toMatchObject({ state: 'active', spentMinutes: 120, targetMinutes: 480, dueAt: '2026-01-09T12:00:00.000Z', warnAt: '2026-01-09T11:00:00.000Z', achievedAt: null });
    const sla = await steps.sla(ticketId);
    expect(sla.policy?.name).toBe('Standard');
    expect(sla.targets.map((target) => [target.kind, target.state])).toEqual([
      ['first_reply', 'achieved'],
      ['resolution', 'active'],
    ]);
    const events = await timelineOf(ticketId, 'sla.resumed', 'sla.policy_applied');
    expect(events.map((event) => [event.type, event.data.kind ?? event.data.policyName])).toEqual([
      ['sla.policy_applied', 'Standard'],
      ['sla.resumed', 'resolution'],
    ]);
    expect(events[1].data).toMatchObject({ targetId: resumed.id, dueAt: '2026-01-09T12:00:00.000Z', spentMinutes: 120 });

    // The inbox's badge and its "breaching soon" view see it again.
    const soon = await t.http.get('/api/tickets').query({ slaDueWithin: 24 * 60 }).auth(await token(), { type: 'bearer' });
    expect((soon.body as TicketPageDto).items.find((item) => item.id === ticketId)?.sla).toEqual({ kind: 'resolution', state: 'active', dueAt: '2026-01-09T12:00:00.000Z', remainingMinutes: 360 });

    // A customer message on the reopened ticket still starts its own next reply target.
    await steps.message(ticketId, 'inbound');
    expect((await steps.sla(ticketId)).targets.map((target) => [target.kind, target.state, target.dueAt])).toEqual([
      ['first_reply', 'achieved', '2026-01-05T13:00:00.000Z'],
      ['resolution', 'active', '2026-01-09T12:00:00.000Z'],
      ['next_reply', 'active', '2026-01-08T16:00:00.000Z'],
    ]);
  });

  it('fires the warning and the breach from the resumed due time, once each', async () => {
    const ticketId = await solvedAfterTwoHours('2026-01-12');
    await at('2026-01-15T14:00:00Z', () => steps.update(ticketId, { status: 'open' }));

    await engine.runDuePass(new Date('2026-01-16T10:59:00Z'));
    expect(firedFor(ticketId)).toEqual([]);
    await engine.runDuePass(new Date('2026-01-16T11:00:00Z'));
    await engine.runDuePass(new Date('2026-01-16T11:30:00Z'));
    expect(firedFor(ticketId)).toEqual(['sla.warning resolution']);

    clock.set('2026-01-16T12:00:00Z');
    await Promise.all([engine.runDuePass(clock.now()), engine.runDuePass(clock.now())]);
    await engine.runDuePass(new Date('2026-01-20T12:00:00Z'));
    expect(firedFor(ticketId)).toEqual(['sla.warning resolution', 'sla.breached resolution']);
    const events = await timelineOf(ticketId, 'sla.warning', 'sla.breached');
    expect(events.map((event) => [event.type, event.data.kind, event.data.dueAt])).toEqual([
      ['sla.warning', 'resolution', '2026-01-16T12:00:00.000Z'],
      ['sla.breached', 'resolution', '2026-01-16T12:00:00.000Z'],
    ]);
    expect(await resolution(ticketId)).toMatchObject({ state: 'breached', breachedAt: '2026-01-16T12:00:00.000Z' });
  });

  it('keeps a breach from before the solve: the target stays breached and breaches no second time', async () => {
    const billing = await team('Late');
    clock.set('2026-01-19T09:00:00Z');
    const ticketId = await steps.open({ subject: 'Late', teamId: billing.id });
    await at('2026-01-19T09:30:00Z', () => steps.message(ticketId, 'outbound', agent.id));
    await engine.runDuePass(new Date('2026-01-20T10:00:00Z'));
    expect(firedFor(ticketId)).toEqual(['sla.warning resolution', 'sla.breached resolution']);
    await at('2026-01-20T11:00:00Z', () => steps.update(ticketId, { status: 'solved' }));

    await at('2026-01-22T14:00:00Z', () => steps.update(ticketId, { status: 'open' }));
    expect(await resolution(ticketId)).toMatchObject({ state: 'breached', achievedAt: null, breachedAt: '2026-01-20T10:00:00.000Z', spentMinutes: 600 });
    expect((await timelineOf(ticketId, 'sla.resumed')).map((event) => event.data.kind)).toEqual(['resolution']);
    await engine.runDuePass(new Date('2026-01-22T15:00:00Z'));
    await engine.runDuePass(new Date('2026-01-23T09:30:00Z'));
    expect(firedFor(ticketId)).toEqual(['sla.warning resolution', 'sla.breached resolution']);
    expect(await timelineOf(ticketId, 'sla.breached')).toHaveLength(1);

    await at('2026-01-23T10:00:00Z', () => steps.update(ticketId, { status: 'solved' }));
    expect(await resolution(ticketId)).toMatchObject({ state: 'breached', achievedAt: '2026-01-23T10:00:00.000Z' });
    // First reply met, resolution breached: each counted once.
    expect(await reportRow('2026-01-19T00:00:00Z', '2026-01-26T00:00:00Z', billing.id)).toMatchObject({ total: 2, met: 1, breached: 1, percentMet: 50 });
  });

  it('achieves the resumed target on the next solve and counts it once, when it is finally met', async () => {
    const support = await team('Support');
    const ticketId = await solvedAfterTwoHours('2026-01-26', support.id);
    // Solved on Monday: first reply and resolution met that day.
    expect(await reportRow('2026-01-26T00:00:00Z', '2026-01-27T00:00:00Z', support.id)).toMatchObject({ total: 2, met: 2 });

    await at('2026-01-29T14:00:00Z', () => steps.update(ticketId, { status: 'open' }));
    // Reopened, its resolution is undecided again: Monday counts the first reply alone.
    expect(await reportRow('2026-01-26T00:00:00Z', '2026-01-27T00:00:00Z', support.id)).toMatchObject({ total: 1, met: 1 });
    await at('2026-01-29T16:00:00Z', () => steps.update(ticketId, { status: 'solved' }));
    expect(await resolution(ticketId)).toMatchObject({ state: 'achieved', spentMinutes: 240, achievedAt: '2026-01-29T16:00:00.000Z' });

    expect(await reportRow('2026-01-26T00:00:00Z', '2026-02-02T00:00:00Z', support.id)).toMatchObject({ total: 2, met: 2, breached: 0, percentMet: 100 });
    expect(await reportRow('2026-01-29T00:00:00Z', '2026-01-30T00:00:00Z', support.id)).toMatchObject({ total: 1, met: 1 });
    await engine.runDuePass(new Date('2026-02-09T12:00:00Z'));
    expect(firedFor(ticketId)).toEqual([]);
  });

  it('resumes under the policy the ticket has now, and not at all when that policy sets no resolution target', async () => {
    const raised = await solvedAfterTwoHours('2026-02-02');
    await at('2026-02-03T10:00:00Z', () => steps.update(raised, { priority: 'high' }));
    await at('2026-02-05T14:00:00Z', () => steps.update(raised, { status: 'open' }));
    // Fourteen of the high target's sixteen hours left: Thursday 14:00–17:00, Friday, Monday 09:00–12:00.
    expect(await resolution(raised)).toMatchObject({ state: 'active', targetMinutes: 960, spentMinutes: 120, dueAt: '2026-02-09T12:00:00.000Z' });

    const repliesOnly = await solvedAfterTwoHours('2026-02-09');
    await at('2026-02-10T10:00:00Z', () => steps.update(repliesOnly, { tags: ['replies-only'] }));
    await at('2026-02-12T14:00:00Z', () => steps.update(repliesOnly, { status: 'open' }));
    expect(await resolution(repliesOnly)).toMatchObject({ state: 'achieved', achievedAt: '2026-02-09T11:00:00.000Z' });
    expect(await timelineOf(repliesOnly, 'sla.resumed')).toEqual([]);
  });

  it('resumes the tickets of a batch of reopens in one reconcile, as ingest delivers them', async () => {
    const reopened = [await solvedAfterTwoHours('2026-03-02'), await solvedAfterTwoHours('2026-03-02')];
    const stillSolved = await solvedAfterTwoHours('2026-03-02');
    clock.set('2026-03-05T14:00:00Z');
    const repository = t.app.get(TicketRepository);
    for (const ticketId of reopened) {
      await repository.transaction(async (manager) =>
        t.app.get(TicketsService).applyChanges((await repository.findForUpdate(ticketId, manager))!, { status: 'open' }, { type: 'system', id: null }, manager),
      );
    }
    const calls = jest.spyOn(engine, 'reconcileMany');
    try {
      const changed = (ticketId: string) => ({ name: 'ticket.updated' as const, payload: { ticketId, eventIds: [], changed: ['status.changed'] } });
      await publish(t.app, [...reopened, stillSolved].map(changed));
      await reactions(t.app);
      expect(calls.mock.calls.map(([ids]) => ids)).toEqual([[...reopened, stillSolved]]);
    } finally {
      calls.mockRestore();
    }
    for (const ticketId of reopened) expect(await resolution(ticketId)).toMatchObject({ state: 'active', spentMinutes: 120, dueAt: '2026-03-06T12:00:00.000Z' });
    expect(await resolution(stillSolved)).toMatchObject({ state: 'achieved', achievedAt: '2026-03-02T11:00:00.000Z' });
    expect(await timelineOf(stillSolved, 'sla.resumed')).toEqual([]);
  });

  it('keeps the clock paused when the ticket reopens to a paused status', async () => {
    const ticketId = await solvedAfterTwoHours('2026-02-16');
    await at('2026-02-19T14:00:00Z', () => steps.update(ticketId, { status: 'pending' }));
    expect(await resolution(ticketId)).toMatchObject({ state: 'paused', spentMinutes: 120, dueAt: null, achievedAt: null });
    await at('2026-02-20T10:00:00Z', () => steps.update(ticketId, { status: 'open' }));
    expect(await resolution(ticketId)).toMatchObject({ state: 'active', spentMinutes: 120, dueAt: '2026-02-20T16:00:00.000Z' });
    expect(await timelineOf(ticketId, 'sla.resumed')).toHaveLength(1);
  });
});
