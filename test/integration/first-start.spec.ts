import type { ChurnDto, CohortsDto, Cycle1Dto } from '../../contracts/care-metrics';
import type { MessageDto, TicketDetailDto, TicketPageDto, UserDto } from '../../contracts/api';
import type { CapturedEmailDto } from '../../contracts/mail';
import { DataSource } from 'typeorm';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { waitFor } from '../support/wait';

describe('first start', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { CARELOOP_DEMO: 'true', CARELOOP_LOGIN_LIMIT_PER_MINUTE: '8' } });
  });

  afterAll(() => t.close());

  it('creates the admin and a demo workspace a newcomer can log into', async () => {
    const token = await t.login();
    const tickets = (await t.http.get('/api/tickets?limit=200').auth(token, { type: 'bearer' })).body as TicketPageDto;
    // The inbox's current work: 50 conversations of the last month; older ones are the subscribers' history.
    expect(tickets.items.filter((ticket) => Date.now() - new Date(ticket.createdAt).getTime() < 31 * 86_400_000)).toHaveLength(50);
    expect(tickets.items.some((ticket) => ticket.tags.length > 0 && ticket.messageCount > 1 && ticket.customer !== null)).toBe(true);

    const users = (await t.http.get('/api/users').auth(token, { type: 'bearer' })).body as UserDto[];
    expect(users.map((user) => user.role).sort()).toEqual(['admin', 'agent', 'agent', 'care_owner', 'lead']);
    const teams = (await t.http.get('/api/teams').auth(token, { type: 'bearer' })).body as { name: string }[];
    expect(teams.map((team) => team.name)).toEqual(['Billing', 'Support']);

    const agentToken = await t.login('alex@careloop.local', ADMIN_PASSWORD);
    expect((await t.http.get('/api/auth/me').auth(agentToken, { type: 'bearer' })).body.role).toBe('agent');

    const dataSource = t.app.get(DataSource);
    const [counts] = await dataSource.query<{ macros: number; policies: number }[]>('SELECT (SELECT count(*)::int FROM macros) AS macros, (SELECT count(*)::int FROM sla_policies) AS policies');
    expect(counts).toEqual({ macros: 1, policies: 1 });
    // One password for the demo, but every account its own salt and hash.
    const [hashes] = await dataSource.query<{ accounts: number; hashes: number }[]>('SELECT count(*)::int AS accounts, count(DISTINCT password_hash)::int AS hashes FROM users');
    expect(hashes).toEqual({ accounts: 5, hashes: 5 });
  });

  it("runs the demo tickets through what arriving mail gets: their open ones carry SLA clocks", async () => {
    await reactions(t.app);
    const token = await t.login();
    const open = (await t.http.get('/api/tickets?status=new,open&limit=200').auth(token, { type: 'bearer' })).body as TicketPageDto;
    expect(open.items.length).toBeGreaterThan(0);
    // Every open demo ticket has an SLA badge to show; most are days old, so some are already breached.
    expect(open.items.filter((ticket) => ticket.sla === null)).toEqual([]);
    const [targets] = await t.app.get(DataSource).query<{ tickets: number; closed_tickets: number }[]>(
      `SELECT count(DISTINCT s.ticket_id)::int AS tickets, count(DISTINCT s.ticket_id) FILTER (WHERE k.status = 'closed')::int AS closed_tickets
         FROM sla_targets s JOIN tickets k ON k.id = s.ticket_id`,
    );
    expect(targets.tickets).toBeGreaterThanOrEqual(open.items.length);
    expect(targets.closed_tickets).toBe(0);
  });

  it('keeps a reply from the demo mailbox in the demo outbox, with its headers, instead of failing to send it', async () => {
    const token = await t.login();
    const [ticket] = ((await t.http.get('/api/tickets?status=new,open&limit=1').auth(token, { type: 'bearer' })).body as TicketPageDto).items;
    const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(token, { type: 'bearer' }).send({ body: 'Trying the demo: a new bag is on its way.' });
    expect(reply.status).toBe(201);
    const sent = await waitFor('the reply to leave the queue', async () => {
      const detail = (await t.http.get(`/api/tickets/${ticket.id}`).auth(token, { type: 'bearer' })).body as TicketDetailDto;
      const message = detail.messages.find((candidate) => candidate.id === (reply.body as MessageDto).id);
      return message?.deliveryState === 'queued' ? undefined : message;
    });
    expect({ state: sent?.deliveryState, error: sent?.deliveryError }).toEqual({ state: 'sent', error: null });

    const outbox = (await t.http.get('/api/mailboxes/demo-outbox').auth(token, { type: 'bearer' })).body as CapturedEmailDto[];
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ mailboxName: 'Demo support', envelopeFrom: 'support@careloop.local', envelopeTo: [ticket.customer?.email], bodyText: 'Trying the demo: a new bag is on its way.' });
    const header = (name: string) => outbox[0].headers.find((candidate) => candidate.name === name)?.value;
    expect(header('Subject')).toContain(ticket.subject);
    expect(header('To')).toContain(ticket.customer?.email);
    expect(header('Message-ID')).toMatch(/^<.+@careloop\.local>$/);
    // Agents do not read the outbox; leads and admins do.
    expect((await t.http.get('/api/mailboxes/demo-outbox').auth(await t.login('alex@careloop.local', ADMIN_PASSWORD), { type: 'bearer' })).status).toBe(403);
  });

  it('does not seed again on the next start', async () => {
    const again = await startTestApp({ database: t.database, env: { CARELOOP_DEMO: 'true' } });
    try {
      const token = await again.login();
      const count = async (app: typeof t) => (await app.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM tickets'))[0].n;
      expect(await count(again)).toBe(await count(t));
      expect((await again.http.get('/api/tickets?limit=200').auth(token, { type: 'bearer' })).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it('carries a year of subscribers the care metrics can tell a true story about', async () => {
    const token = await t.login('carla@careloop.local', ADMIN_PASSWORD);
    const churn = (await t.http.get('/api/care/metrics/churn').auth(token, { type: 'bearer' })).body as ChurnDto;
    expect(churn.activeNow).toBeGreaterThan(100);
    expect(churn.months.filter((month) => month.cancelled > 0 && month.started > 0).length).toBeGreaterThan(6);
    expect(churn.months.some((month) => month.involuntary > 0) && churn.months.some((month) => month.voluntary > 0)).toBe(true);
    const cohorts = (await t.http.get('/api/care/metrics/cohorts').auth(token, { type: 'bearer' })).body as CohortsDto;
    expect(cohorts.cohorts.filter((cohort) => cohort.cells[1].share !== null).length).toBeGreaterThan(6);
    const cycle1 = (await t.http.get('/api/care/metrics/cycle1').auth(token, { type: 'bearer' })).body as Cycle1Dto;
    expect(cycle1.openers.customers).toBeGreaterThan(30);
    expect(cycle1.difference!.estimate).toBeGreaterThan(0);
  });

  it('rate-limits login attempts', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      statuses.push((await t.http.post('/api/auth/login').send({ email: 'someone@example.com', password: 'guess-number-' + attempt })).status);
    }
    expect(statuses).toContain(401);
    expect(statuses.slice(-1)).toEqual([429]);
  });
});
