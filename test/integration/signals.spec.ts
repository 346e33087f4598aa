import { DataSource } from 'typeorm';
import type { SignalDto, SignalsDto, TicketFlagDto } from '../../contracts/care';
import { startTestApp, type TestApp } from '../support/app';
import { waitFor } from '../support/wait';
import { arrive, signInAs, writeHistory } from './care-fixtures';
import { ManualClock } from './sla-harness';

const NOW = new Date('2026-06-10T12:00:00Z');
const FLAT = Array.from({ length: 12 }, (_, weeksAgo) => ({ tag: 'shipping-delay', weeksAgo, tickets: 30 }));
const NOISE = [4, 2, 1, 3, 2, 2, 1, 3, 2].map((tickets, weeksAgo) => ({ tag: 'login-noise', weeksAgo, tickets }));
const SPIKE = [{ tag: 'checkout-error', weeksAgo: 0, tickets: 45, firstCycle: 15 }, ...Array.from({ length: 8 }, (_, index) => ({ tag: 'checkout-error', weeksAgo: index + 1, tickets: 10 }))];

const DAMAGED = [
  'Order 1234 arrived damaged, the box was crushed',
  'order 98 arrived damaged - box crushed',
  'Re: Order 5521 arrived damaged, box was crushed in transit',
  'My order 777 arrived damaged and the box was crushed',
  'Order #4410 arrived damaged, box crushed',
];
const UNRELATED = ['How do I change my email address?', 'Invoice for March missing VAT number'];

describe('signals', () => {
  let t: TestApp;
  let careOwner: string;
  let agent: string;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(NOW) });
    const admin = await t.login();
    careOwner = (await signInAs(t, admin, 'care_owner')).token;
    agent = (await signInAs(t, admin, 'agent')).token;
    db = t.app.get(DataSource);
    await writeHistory(t, NOW, [...FLAT, ...NOISE, ...SPIKE]);
  });

  afterAll(() => t.close());

  const signals = async () => {
    const response = await t.http.get('/api/signals').auth(careOwner, { type: 'bearer' });
    expect(response.status).toBe(200);
    return (response.body as SignalsDto).signals;
  };
  const byLabel = (list: SignalDto[], label: string) => list.find((signal) => signal.label === label);

  it('puts a sharply rising tag at the top, with its volume, baseline, customers and first-cycle share', async () => {
    const [top] = await signals();
    expect(top).toMatchObject({ kind: 'tag', label: 'checkout-error', rising: true, volume: 45, baselineWeekly: 10, changePct: 350, customers: 45 });
    expect(top.firstCycleShare).toBeCloseTo(1 / 3);
    expect(top.pValue).toBeLessThan(1e-6);
    expect(top.weekly).toEqual([0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10, 45]);
    expect(top.examples).toHaveLength(3);
    expect(top.examples[0].subject).toMatch(/^checkout-error history 0-/);
  });

  it('does not call a flat tag rising (it recurs), nor a noisy small one', async () => {
    const list = await signals();
    expect(byLabel(list, 'shipping-delay')).toMatchObject({ rising: false, recurring: true, volume: 30, changePct: 0 });
    expect(byLabel(list, 'login-noise')?.rising ?? false).toBe(false);
  });

  it('is for leads and care owners', async () => {
    expect((await t.http.get('/api/signals').auth(agent, { type: 'bearer' })).status).toBe(403);
  });

  it('clusters similar untagged tickets together, apart from unrelated ones, and counts only the untagged', async () => {
    const damaged: string[] = [];
    for (const subject of DAMAGED) damaged.push(await arrive(t, { subject, body: 'Please send a replacement.', createdAt: NOW }));
    const unrelated = await Promise.all(UNRELATED.map((subject) => arrive(t, { subject, body: subject, createdAt: NOW })));
    const clusterOf = await waitFor('every ticket clustered', async () => {
      const rows = await db.query<{ ticket_id: string; cluster_id: string }[]>('SELECT ticket_id, cluster_id FROM ticket_cluster_members WHERE ticket_id = ANY($1)', [
        [...damaged, ...unrelated],
      ]);
      return rows.length === damaged.length + unrelated.length && new Map(rows.map((row) => [row.ticket_id, row.cluster_id]));
    });
    const damagedClusters = new Set(damaged.map((id) => clusterOf.get(id)));
    expect(damagedClusters.size).toBe(1);
    for (const id of unrelated) expect(damagedClusters.has(clusterOf.get(id))).toBe(false);

    const cluster = (await signals()).find((signal) => signal.kind === 'cluster');
    expect(cluster).toMatchObject({ label: DAMAGED[0], volume: 5, rising: true, customers: 1 });
    expect(cluster?.examples).toHaveLength(3);

    await t.http.patch(`/api/tickets/${damaged[0]}`).auth(careOwner, { type: 'bearer' }).send({ tags: ['damaged-in-transit'] }).expect(200);
    expect((await signals()).find((signal) => signal.kind === 'cluster')?.volume).toBe(4);
  });

  it('counts an agent\'s "this keeps happening" flag in the signal of the ticket\'s tag', async () => {
    const [ticket] = await db.query<{ id: string }[]>("SELECT id FROM tickets WHERE subject LIKE 'checkout-error history 0-%' LIMIT 1");
    const flagged = await t.http.post(`/api/tickets/${ticket.id}/flag`).auth(agent, { type: 'bearer' }).send({ note: 'third one today' });
    expect(flagged.status).toBe(200);
    expect(flagged.body as TicketFlagDto).toEqual({ ticketId: ticket.id, flags: 1, flaggedByMe: true });
    await t.http.post(`/api/tickets/${ticket.id}/flag`).auth(agent, { type: 'bearer' }).send({}).expect(200);
    expect(byLabel(await signals(), 'checkout-error')?.flags).toBe(1);

    const unflagged = await t.http.delete(`/api/tickets/${ticket.id}/flag`).auth(agent, { type: 'bearer' });
    expect(unflagged.body as TicketFlagDto).toEqual({ ticketId: ticket.id, flags: 0, flaggedByMe: false });
  });
});
