import { DataSource } from 'typeorm';
import type { TeamDto } from '../../contracts/api';
import { ReportDayRollupRepository } from '../../server/src/reports/report-day-rollup.repository';
import { ReportRecut } from '../../server/src/reports/report-recut.service';
import { ReportsRepository, type ReportFilters, type ReportRange } from '../../server/src/reports/reports.repository';
import { startTestApp, type TestApp } from '../support/app';
import { signInAs } from './care-fixtures';
import { ManualClock, ticketSteps, type TicketSteps } from './sla-harness';

/**
 * The per-day rollups give the figures the per-ticket rows give, on a randomized story (a seeded generator, so a
 * failure repeats): tickets of two teams, two agents and two tags over ten days in Europe/Berlin, answered after waits that
 * sit on bucket edges (whole minutes under an hour, 5 minutes under 4 hours, half hours under a day), so even the
 * percentiles agree exactly; with follow-ups, solves, reopens, and team and assignee changes after the figures
 * were first counted, and CSAT answers that move with their ticket. Then the time zone changes and every day is
 * cut anew. Periods of whole months read the per-month rollups, kept from the day rows.
 */
const MINUTE = 60_000;
/** The width of the rollup bucket a duration falls in (report_duration_bucket). */
const bucketWidth = (seconds: number) => (seconds < 3_600 ? 60 : seconds < 14_400 ? 300 : seconds < 86_400 ? 1_800 : seconds < 604_800 ? 7_200 : seconds < 2_592_000 ? 43_200 : 86_400);
const PERCENTILES = new Set(['median', 'p90', 'firstReplyMedian', 'firstReplyBusinessMedian', 'fullResolutionMedian']);

/**
 * The rollup's figures as the rows' wherever they agree as the README promises: counts exactly, percentiles
 * within the width of the bucket the exact value falls in (to a thousandth when the waits sit on bucket edges).
 */
function asPromised(rollup: unknown, row: unknown, onEdges: boolean, key = ''): unknown {
  if (typeof rollup === 'number' && typeof row === 'number') {
    const tolerance = PERCENTILES.has(key) && !onEdges ? bucketWidth(row) : 0.001;
    return Math.abs(rollup - row) < tolerance ? row : rollup;
  }
  if (Array.isArray(rollup) && Array.isArray(row)) return rollup.map((item, index) => asPromised(item, row[index], onEdges));
  if (rollup && row && typeof rollup === 'object' && typeof row === 'object') {
    return Object.fromEntries(Object.entries(rollup).map(([name, item]) => [name, asPromised(item, (row as Record<string, unknown>)[name], onEdges, name)]));
  }
  return rollup;
}
const START = Date.parse('2031-03-02T00:00:00.000Z');

function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

describe('report rollups agree with the per-ticket rows', () => {
  let t: TestApp;
  let clock: ManualClock;
  let admin: string;
  let steps: TicketSteps;
  const teams: string[] = [];
  const agents: string[] = [];
  let vip: string;

  /** A wait on a bucket edge, up to a day. */
  const wait = (random: (n: number) => number) => [() => (1 + random(59)) * MINUTE, () => (12 + random(36)) * 5 * MINUTE, () => (8 + random(40)) * 30 * MINUTE][random(3)]();

  beforeAll(async () => {
    clock = new ManualClock(new Date(START - 86_400_000));
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    admin = await t.login();
    expect((await t.http.patch('/api/reports/settings').auth(admin, { type: 'bearer' }).send({ timeZone: 'Europe/Berlin' })).status).toBe(200);
    // The recut job (workers are off here, so it runs when asked).
    expect(await t.app.get(ReportRecut).run()).toBe(true);
    for (const name of ['Billing', 'Shipping']) teams.push(((await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name })).body as TeamDto).id);
    for (let i = 0; i < 2; i++) agents.push((await signInAs(t, admin, 'agent')).user.id);
    steps = ticketSteps(t, clock, () => Promise.resolve(admin));

    // Every step of every ticket, then played in time order.
    const random = generator(20310302);
    const plan: { at: number; run: (ids: string[]) => Promise<unknown> }[] = [];
    for (let i = 0; i < 24; i++) {
      const opened = START + random(10 * 24 * 60) * MINUTE;
      const team = random(3) === 0 ? null : teams[random(2)];
      const agent = agents[random(2)];
      const tags = [['vip'], ['refund'], ['vip', 'refund'], []][random(4)];
      plan.push({ at: opened, run: async (ids) => (ids[i] = await steps.open({ subject: `T${i}`, from: `c${i}@example.com`, teamId: team, assigneeId: agent, tags })) });
      let at = opened + wait(random);
      plan.push({ at, run: (ids) => steps.message(ids[i], 'outbound', agent) });
      if (random(2) === 0) {
        at += (1 + random(50)) * MINUTE;
        plan.push({ at, run: (ids) => steps.message(ids[i], 'inbound') });
        at += wait(random);
        const second = agents[random(2)];
        plan.push({ at, run: (ids) => steps.message(ids[i], 'outbound', second) });
      }
      if (random(5) === 0) continue;
      at += wait(random);
      plan.push({ at, run: (ids) => steps.update(ids[i], { status: 'solved' }) });
      if (random(3) === 0) {
        at += wait(random);
        plan.push({ at, run: (ids) => steps.update(ids[i], { status: 'open' }) });
        if (random(2) === 0) {
          at += wait(random);
          plan.push({ at, run: (ids) => steps.update(ids[i], { status: 'solved' }) });
        }
      }
      if (random(4) === 0) {
        at += wait(random);
        plan.push({ at, run: (ids) => steps.update(ids[i], { teamId: team === teams[0] ? teams[1] : teams[0] }) });
      }
    }
    const ids: string[] = [];
    for (const step of plan.sort((a, b) => a.at - b.at)) {
      clock.set(new Date(step.at).toISOString());
      await step.run(ids);
    }
    // CSAT answers (as the survey page stores them) on every other ticket, one voided, one about no ticket;
    // then two tickets change team: their answers move with them.
    const db = t.app.get(DataSource);
    await db.query(
      `INSERT INTO satisfaction_responses (kind, customer_id, ticket_id, score, created_at, voided_at)
       SELECT 'csat', t.customer_id, t.id, 1 + (t.number * 7) % 5, t.created_at + interval '2 days', CASE WHEN t.number % 11 = 0 THEN t.created_at + interval '3 days' END
         FROM tickets t WHERE t.number % 2 = 0
       UNION ALL SELECT 'csat', (SELECT id FROM customers LIMIT 1), NULL, 5, $1::timestamptz, NULL`,
      [new Date(START + 3 * 86_400_000)],
    );
    clock.set(new Date(START + 13 * 86_400_000).toISOString());
    for (const id of ids.slice(0, 2)) await steps.update(id, { teamId: teams[1] });
    clock.set(new Date(START + 14 * 86_400_000).toISOString());
    admin = await t.login();
    vip = (await t.app.get(DataSource).query<{ id: string }[]>(`SELECT id FROM tags WHERE name = 'vip'`))[0].id;
  }, 180_000);

  afterAll(() => t.close());

  /** Every aggregate both ways, for a period and a set of filters. */
  const figures = async (range: ReportRange, filters: ReportFilters) => {
    const rollups = t.app.get(ReportDayRollupRepository);
    const rows = t.app.get(ReportsRepository);
    const bounds = [3_600, 14_400, 28_800, 86_400, 259_200];
    const both = async <T>(name: string, rollup: Promise<T | null>, row: Promise<T>) => ({ name, rollup: await rollup, row: await row });
    return Promise.all([
      both('volume', rollups.volume(range, filters), rows.volume(range, filters)),
      both('heatmap', rollups.heatmap(range, filters), rows.heatmap(range, filters)),
      both('first reply', rollups.replyStats(range, filters, true), rows.replyStats(range, filters, true)),
      both('next reply', rollups.replyStats(range, filters, false), rows.replyStats(range, filters, false)),
      both('first reply days', rollups.firstReplyDays(range, filters), rows.firstReplyDays(range, filters)),
      both('distribution', rollups.firstReplyDistribution(range, filters, bounds), rows.firstReplyDistribution(range, filters, bounds)),
      both('resolution', rollups.resolution(range, filters), rows.resolution(range, filters)),
      both('resolution days', rollups.resolutionDays(range, filters), rows.resolutionDays(range, filters)),
      both('agents', rollups.agents(range, filters), rows.agents(range, filters)),
      both('csat', rollups.csat(range, filters), rows.csat(range, filters)),
      both('csat days', rollups.csatDays(range, filters), rows.csatDays(range, filters)),
    ]);
  };

  /** Midnight of a day in the zone (Berlin is an hour ahead of UTC until summer time starts on 30 March 2031). */
  const midnight = (day: string, timeZone: string) => new Date(Date.parse(`${day}T00:00:00Z`) - (timeZone === 'Europe/Berlin' ? (day >= '2031-03-31' ? 7_200_000 : 3_600_000) : 0));
  const ranges = (timeZone: string): ReportRange[] => [
    { start: new Date(START - 86_400_000), end: new Date(START + 14 * 86_400_000), timeZone },
    // Cut at midnight in the zone: the rollups' days.
    { start: midnight('2031-03-04', timeZone), end: midnight('2031-03-08', timeZone), timeZone },
    // Whole months: March from the month rows, the days around it from the day rows.
    { start: midnight('2031-03-01', timeZone), end: midnight('2031-04-01', timeZone), timeZone },
    { start: midnight('2031-02-20', timeZone), end: midnight('2031-04-05', timeZone), timeZone },
  ];
  const filterSets = (): ReportFilters[] => [
    {},
    { teamId: teams[0] },
    { teamId: teams[1] },
    { tagId: vip },
    { agentId: agents[0] },
    { teamId: teams[0], agentId: agents[1] },
    { tagId: vip, agentId: agents[0] },
    { teamId: teams[0], tagId: vip },
    { teamId: teams[1], tagId: vip, agentId: agents[1] },
  ];

  const compare = async (timeZone: string) => {
    let compared = 0;
    for (const range of ranges(timeZone)) {
      for (const filters of filterSets()) {
        for (const figure of await figures(range, filters)) {
          // Only the agent filter on a figure not kept per agent has no rollup cell (read from the rows).
          if (figure.rollup === null) {
            expect([figure.name, filters.agentId !== undefined]).toEqual([figure.name, true]);
            continue;
          }
          // Reply waits sit on bucket edges (exact); resolution times are sums of waits (within a bucket).
          const onEdges = figure.name.includes('reply') || figure.name === 'agents';
          expect({ name: figure.name, filters, value: asPromised(figure.rollup, figure.row, onEdges) }).toEqual({ name: figure.name, filters, value: figure.row });
          compared++;
        }
      }
    }
    return compared;
  };

  it('gives every count, median and 90th percentile the rows give, for everyone, a team, a tag, a team and a tag, an agent and an agent in any of them', async () => {
    const first = await t.app.get(ReportsRepository).replyStats(ranges('Europe/Berlin')[0], {}, true);
    expect(first.calendar.count).toBeGreaterThan(20);
    expect(await compare('Europe/Berlin')).toBeGreaterThan(70);
  });

  it('cuts the days anew in a background job when the workspace changes its time zone, and says so until it is done', async () => {
    const changed = await t.http.patch('/api/reports/settings').auth(admin, { type: 'bearer' }).send({ timeZone: 'UTC' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ timeZone: 'UTC', recutting: true });
    const during = await t.http.get('/api/reports/overview').auth(admin, { type: 'bearer' });
    expect(during.body).toMatchObject({ period: { timeZone: 'UTC', recutting: true } });
    // Until the job commits, the rollups still hold Berlin's days.
    expect(await compare('Europe/Berlin')).toBeGreaterThan(70);

    expect(await t.app.get(ReportRecut).run()).toBe(true);
    expect(await t.app.get(ReportRecut).run()).toBe(false);
    expect((await t.http.get('/api/reports/settings').auth(admin, { type: 'bearer' })).body).toMatchObject({ timeZone: 'UTC', recutting: false });
    expect(await compare('UTC')).toBeGreaterThan(70);
  });
});
