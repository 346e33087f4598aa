import { DataSource } from 'typeorm';
import type { TeamDto, TicketDetailDto, UserDto } from '../../contracts/api';
import { DRILL_METRICS, REPORT_TABLES } from '../../contracts/reports';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { receiveTicket } from '../support/fixtures';

/**
 * Marks that appear only in the private ticket: its subject, its first message, a note; and in a ticket that
 * routing has not placed yet (it may be about to move into a private team). (The customer's record is shared
 * by every team, so their address is not one.)
 */
const SECRETS = ['Quiet-subject-7731', 'quiet-body-4410', 'quiet-note-9902'];
const UNROUTED = 'Unrouted-subject-5581';
const CUSTOMER = 'quiet.victim@example.com';

/** The running app's route table: every GET under /api, as Express holds it. */
function readRoutes(t: TestApp): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack.flatMap((layer) => (layer.route?.path.startsWith('/api/') && layer.route.methods.get ? [layer.route.path] : []));
}

/**
 * Attacks from outside: an agent outside a private team walks every GET route of the running app with every
 * id they could know (the ticket's, its message's, its customer's, the team's …) and the queries a list takes,
 * and must never read a word of the team's ticket. A team member reading the same routes sees it (the probe
 * would find it).
 */
describe('no read route shows a private team\'s ticket to an agent outside it', () => {
  let t: TestApp;
  let admin: string;
  let outsider: string;
  let careOwner: string;
  let member: string;
  let ids: Record<string, string>;
  let team: TeamDto;

  const createAgent = async (email: string, teamIds: string[]) => {
    const response = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name: email.split('@')[0], role: 'agent', password: 'agent-password-1', teamIds });
    expect(response.status).toBe(201);
    return { user: response.body as UserDto, token: await t.login(email, 'agent-password-1') };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    team = (await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Fraud', isPrivate: true })).body as TeamDto;
    const memberAgent = await createAgent('member@example.com', [team.id]);
    member = memberAgent.token;
    const outsiderAgent = await createAgent('outsider@example.com', []);
    outsider = outsiderAgent.token;
    expect((await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'care@example.com', name: 'Care Owner', role: 'care_owner', password: 'agent-password-1' })).status).toBe(201);
    careOwner = await t.login('care@example.com', 'agent-password-1');
    const ticket = await receiveTicket(t.app, { subject: SECRETS[0], body: SECRETS[1], from: CUSTOMER });
    await reactions(t.app);
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId: team.id, assigneeId: memberAgent.user.id })).status).toBe(200);
    expect((await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: SECRETS[2] })).status).toBe(201);
    await reactions(t.app);
    const detail = (await t.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
    // Routing failed for this one (its event dead-lettered): it stays awaiting routing.
    const unrouted = await receiveTicket(t.app, { subject: `${UNROUTED} quiet`, body: UNROUTED, from: CUSTOMER });
    await reactions(t.app);
    await t.app.get(DataSource).query('UPDATE tickets SET awaiting_routing = true WHERE id = $1', [unrouted.id]);
    // A care initiative whose query matches the ticket links it (care boards and metrics list linked tickets).
    const initiative = await t.http.post('/api/care/initiatives').auth(careOwner, { type: 'bearer' }).send({ title: 'Quiet complaints', query: 'quiet' });
    expect(initiative.status).toBe(201);
    ids = {
      ticket: ticket.id,
      message: detail.messages[0].id,
      note: detail.messages[1].id,
      customer: detail.customer?.id ?? '',
      team: team.id,
      member: memberAgent.user.id,
      outsider: outsiderAgent.user.id,
      initiative: (initiative.body as { id: string }).id,
      unrouted: unrouted.id,
    };
  });

  afterAll(() => t.close());

  /** Every concrete URL to try for a route: each known id in each parameter, with and without list queries. */
  const urlsFor = (route: string): string[] => {
    const params = route.match(/:[A-Za-z]+/g) ?? [];
    let paths = [route];
    for (const param of params) paths = paths.flatMap((path) => (param === ':table' ? REPORT_TABLES : Object.values(ids)).map((value) => path.replace(param, value)));
    // The report and care-metric drill-downs list the tickets behind each figure.
    if (route === '/api/reports/tickets') return DRILL_METRICS.map((metric) => `${route}?metric=${metric}`);
    if (route === '/api/care/metrics/drill-down') return ['', '&format=csv'].map((format) => `${route}?figure=initiative_tickets&id=${ids.initiative}${format}`);
    const queries = ['', `?q=${encodeURIComponent(SECRETS[0])}`, `?customer=${ids.customer}`, `?team=${ids.team}`, `?email=${encodeURIComponent(CUSTOMER)}`];
    return paths.flatMap((path) => queries.map((query) => path + query));
  };

  const leaks = async (token: string): Promise<string[]> => {
    const found: string[] = [];
    for (const route of readRoutes(t)) {
      for (const url of urlsFor(route)) {
        const response = await t.http.get(url).auth(token, { type: 'bearer' }).buffer(true);
        const text = response.text ?? (Buffer.isBuffer(response.body) ? response.body.toString('utf8') : JSON.stringify(response.body));
        // An error may echo the query it was given; only an answer can show the ticket.
        const secret = [...SECRETS, UNROUTED].find((mark) => text.toLowerCase().includes(mark.toLowerCase()));
        if (secret && response.status < 400) found.push(`${url} → ${response.status} shows ${secret}`);
      }
    }
    return found;
  };

  it('an agent outside the team reads nothing of it on any route', async () => {
    expect(readRoutes(t).length).toBeGreaterThan(40);
    expect(await leaks(outsider)).toEqual([]);
  }, 120_000);

  it('nor does a care owner outside it (care boards, metrics and reports included)', async () => {
    expect(await leaks(careOwner)).toEqual([]);
  }, 120_000);

  it('a member of the team does see it, and a lead in the care drill-down (the probe finds the ticket where it is readable)', async () => {
    const seen = await leaks(member);
    expect(seen).toEqual(expect.arrayContaining([expect.stringContaining(`/api/tickets/${ids.ticket}`)]));
    expect(seen.filter((leak) => leak.includes(UNROUTED))).toEqual([]);
    expect((await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'lead@example.com', name: 'Lead', role: 'lead', password: 'agent-password-1' })).status).toBe(201);
    const lead = await t.login('lead@example.com', 'agent-password-1');
    const drill = await t.http.get(`/api/care/metrics/drill-down?figure=initiative_tickets&id=${ids.initiative}`).auth(lead, { type: 'bearer' });
    expect(drill.text).toContain(SECRETS[0]);
    expect(drill.text).toContain(UNROUTED);
    // Leads and admins read a ticket routing has not placed (to place it by hand); it is in their inbox too.
    expect((await t.http.get(`/api/tickets/${ids.unrouted}`).auth(lead, { type: 'bearer' })).status).toBe(200);
    expect(JSON.stringify((await t.http.get(`/api/tickets?q=${UNROUTED}`).auth(lead, { type: 'bearer' })).body)).toContain(UNROUTED);
  }, 120_000);
});
