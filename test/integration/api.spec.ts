import { startTestApp, type TestApp, ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/app';
import { createTicket, indexForSearch } from '../support/fixtures';
import type { TicketPageDto, TicketDetailDto, UserDto, TeamDto } from '../../contracts/api';

describe('REST API', () => {
  let t: TestApp;
  let admin: string;
  let agent: UserDto;
  let agentToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    const created = await t.http
      .post('/api/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'Agent.One@Example.com', name: 'Agent One', role: 'agent', password: 'agent-password-1' });
    expect(created.status).toBe(201);
    agent = created.body as UserDto;
    agentToken = await t.login('agent.one@example.com', 'agent-password-1');
  });

  afterAll(() => t.close());

  describe('auth', () => {
    it('logs in with a cookie session that the API accepts', async () => {
      const response = await t.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(response.status).toBe(200);
      const cookie = response.headers['set-cookie'] as unknown as string[];
      expect(cookie[0]).toMatch(/^careloop_session=[^;]+;.*HttpOnly/);
      const me = await t.http.get('/api/auth/me').set('Cookie', cookie[0].split(';')[0]);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    });

    it('refuses a wrong password with 401 and no session', async () => {
      const response = await t.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: 'wrong-password' });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('Email or password is incorrect');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('requires a session for everything but login and health', async () => {
      expect((await t.http.get('/api/tickets')).status).toBe(401);
      expect((await t.http.get('/api/users')).status).toBe(401);
      expect((await t.http.get('/api/health')).body).toEqual({ status: 'ok', database: 'up' });
    });

    it('ends the session on logout', async () => {
      const token = await t.login();
      expect((await t.http.post('/api/auth/logout').auth(token, { type: 'bearer' })).status).toBe(204);
      expect((await t.http.get('/api/auth/me').auth(token, { type: 'bearer' })).status).toBe(401);
    });

    it('never returns a password hash', async () => {
      const users = await t.http.get('/api/users').auth(admin, { type: 'bearer' });
      expect(users.status).toBe(200);
      expect(JSON.stringify(users.body)).not.toMatch(/argon2|passwordHash|password/i);
    });
  });

  describe('roles', () => {
    it('does not let an agent create users', async () => {
      const response = await t.http.post('/api/users').auth(agentToken, { type: 'bearer' }).send({ email: 'x@example.com', name: 'X', role: 'admin', password: 'password-123456' });
      expect(response.status).toBe(403);
    });

    it('does not let an agent promote themselves', async () => {
      const response = await t.http.patch(`/api/users/${agent.id}`).auth(agentToken, { type: 'bearer' }).send({ role: 'admin' });
      expect(response.status).toBe(403);
    });

    it('lets an agent change their own availability', async () => {
      const response = await t.http.patch(`/api/users/${agent.id}`).auth(agentToken, { type: 'bearer' }).send({ availability: 'away' });
      expect(response.status).toBe(200);
      expect(response.body.availability).toBe('away');
    });

    it('does not let an agent create teams or delete tags', async () => {
      expect((await t.http.post('/api/teams').auth(agentToken, { type: 'bearer' }).send({ name: 'Rogue' })).status).toBe(403);
      const tag = await t.http.post('/api/tags').auth(agentToken, { type: 'bearer' }).send({ name: 'Agent-Made' });
      expect(tag.status).toBe(201);
      expect(tag.body.name).toBe('agent-made');
      expect((await t.http.delete(`/api/tags/${tag.body.id}`).auth(agentToken, { type: 'bearer' })).status).toBe(403);
      expect((await t.http.delete(`/api/tags/${tag.body.id}`).auth(admin, { type: 'bearer' })).status).toBe(204);
    });
  });

  describe('mailbox choices', () => {
    it('lists mailboxes to leads and care owners by name and address only, and not to agents', async () => {
      const created = await t.http
        .post('/api/mailboxes')
        .auth(admin, { type: 'bearer' })
                // Inactive: nothing tries to reach these hosts.
        .send({ name: 'Support', address: 'support@example.com', isActive: false, imapHost: 'imap.example.com', imapUser: 'support', imapPassword: 'imap-secret', smtpHost: 'smtp.example.com', smtpUser: 'support', smtpPassword: 'smtp-secret' });
      expect(created.status).toBe(201);
      for (const role of ['lead', 'care_owner']) {
        const email = `${role}@example.com`;
        expect((await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name: role, role, password: 'password-123456' })).status).toBe(201);
        const token = await t.login(email, 'password-123456');
        const options = await t.http.get('/api/mailboxes/options').auth(token, { type: 'bearer' });
        expect(options.status).toBe(200);
        expect(options.body).toEqual([{ id: created.body.id, name: 'Support', address: 'support@example.com', isActive: false }]);
        // The full records, with connection settings, stay with admins.
        expect((await t.http.get('/api/mailboxes').auth(token, { type: 'bearer' })).status).toBe(403);
      }
      expect((await t.http.get('/api/mailboxes/options').auth(agentToken, { type: 'bearer' })).status).toBe(403);
    });
  });

  describe('validation', () => {
    it('answers 400 naming the bad field', async () => {
      const response = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'not-an-email', name: 'N', role: 'boss', password: 'short' });
      expect(response.status).toBe(400);
      const fields = (response.body.fields as { field: string }[]).map((f) => f.field).sort();
      expect(fields).toEqual(['email', 'password', 'role']);
      expect(response.body.message).toContain('password: must be at least 10 characters');
    });

    it('answers 400 for malformed JSON and bad query parameters', async () => {
      const broken = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":');
      expect(broken.status).toBe(400);
      const query = await t.http.get('/api/tickets?limit=5000&sort=sideways').auth(admin, { type: 'bearer' });
      expect(query.status).toBe(400);
      expect((query.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['limit', 'sort']);
    });

    it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
      expect((await t.http.get('/api/tickets/00000000-0000-4000-8000-000000000000').auth(admin, { type: 'bearer' })).status).toBe(404);
      expect((await t.http.get('/api/tickets/42').auth(admin, { type: 'bearer' })).status).toBe(400);
    });

    it('names an unknown assignee', async () => {
      const ticket = await createTicket(t.app, { subject: 'Assignee check' });
      const response = await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ assigneeId: '00000000-0000-4000-8000-000000000000' });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([{ field: 'assigneeId', message: 'no active user with this id' }]);
    });
  });

  describe('tickets', () => {
    let billing: TeamDto;

    beforeAll(async () => {
      billing = (await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Billing' })).body as TeamDto;
      const base = Date.parse('2026-01-01T10:00:00Z');
      for (let i = 0; i < 12; i++) {
        await createTicket(t.app, {
          subject: i % 3 === 0 ? `Refund for order ${i}` : `Delivery question ${i}`,
          body: i % 3 === 0 ? 'I was charged twice and want my money back' : 'Where is my parcel? The tracking has not moved.',
          teamId: i % 2 === 0 ? billing.id : null,
          from: `filter-${i % 4}@example.com`,
          createdAt: new Date(base + i * 60_000),
        });
      }
    });

    it('filters by team, status and assignee', async () => {
      const byTeam = await t.http.get(`/api/tickets?team=${billing.id}&limit=200`).auth(admin, { type: 'bearer' });
      expect(byTeam.status).toBe(200);
      const page = byTeam.body as TicketPageDto;
      expect(page.items).toHaveLength(6);
      expect(page.items.every((ticket) => ticket.teamId === billing.id)).toBe(true);

      const unassigned = (await t.http.get('/api/tickets?assignee=none&status=new&limit=200').auth(admin, { type: 'bearer' })).body as TicketPageDto;
      expect(unassigned.items.length).toBeGreaterThanOrEqual(12);
      expect(unassigned.items.every((ticket) => ticket.assigneeId === null && ticket.status === 'new')).toBe(true);
    });

    it('finds tickets by words in their messages (stemmed) and by number', async () => {
      await indexForSearch(t.app);
      const refunds = (await t.http.get('/api/tickets?q=charges&limit=200').auth(admin, { type: 'bearer' })).body as TicketPageDto;
      expect(refunds.items.map((ticket) => ticket.subject).sort()).toEqual(['Refund for order 0', 'Refund for order 3', 'Refund for order 6', 'Refund for order 9']);
      const one = refunds.items[0];
      const byNumber = (await t.http.get(`/api/tickets?q=%23${one.number}`).auth(admin, { type: 'bearer' })).body as TicketPageDto;
      expect(byNumber.items.map((ticket) => ticket.id)).toEqual([one.id]);
    });

    it('pages through every ticket exactly once with the keyset cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/tickets?limit=5&sort=created_asc${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await t.http.get(query).auth(admin, { type: 'bearer' })).body as TicketPageDto;
        seen.push(...page.items.map((ticket) => ticket.id));
        cursor = page.nextCursor;
      } while (cursor);
      const all = (await t.http.get('/api/tickets?limit=200&sort=created_asc').auth(admin, { type: 'bearer' })).body as TicketPageDto;
      expect(seen).toEqual(all.items.map((ticket) => ticket.id));
      expect(new Set(seen).size).toBe(seen.length);
      expect((await t.http.get('/api/tickets?cursor=garbage').auth(admin, { type: 'bearer' })).status).toBe(400);
    });

    it('updates a ticket and writes who changed what to the timeline', async () => {
      const ticket = await createTicket(t.app, { subject: 'Timeline check' });
      const response = await t.http
        .patch(`/api/tickets/${ticket.id}`)
        .auth(agentToken, { type: 'bearer' })
        .send({ status: 'solved', priority: 'high', assigneeId: agent.id, tags: ['refund', 'vip'] });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'solved', priority: 'high', assigneeId: agent.id, tags: ['refund', 'vip'] });
      expect(response.body.solvedAt).not.toBeNull();

      const detail = (await t.http.get(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
      const events = detail.events.map((event) => ({ type: event.type, actorId: event.actorId, data: event.data }));
      // One change, one instant: the timeline keeps the order the changes were recorded in.
      expect(events).toEqual([
        { type: 'priority.changed', actorId: agent.id, data: { from: 'normal', to: 'high' } },
        { type: 'assignee.changed', actorId: agent.id, data: { from: null, to: agent.id } },
        { type: 'status.changed', actorId: agent.id, data: { from: 'new', to: 'solved' } },
        { type: 'tags.changed', actorId: agent.id, data: { added: ['refund', 'vip'], removed: [] } },
      ]);

      const retag = await t.http.patch(`/api/tickets/${ticket.id}`).auth(agentToken, { type: 'bearer' }).send({ tags: ['vip'] });
      expect(retag.body.tags).toEqual(['vip']);
      const byTag = (await t.http.get('/api/tickets?tag=vip').auth(admin, { type: 'bearer' })).body as TicketPageDto;
      expect(byTag.items.map((item) => item.id)).toEqual([ticket.id]);
    });

    it('adds internal notes to the thread without changing the customer-facing snippet', async () => {
      const ticket = await createTicket(t.app, { subject: 'Note check', body: 'Customer words' });
      const note = await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(agentToken, { type: 'bearer' }).send({ body: 'Internal: call them back' });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ direction: 'note', authorId: agent.id, bodyText: 'Internal: call them back' });
      const detail = (await t.http.get(`/api/tickets/${ticket.id}`).auth(agentToken, { type: 'bearer' })).body as TicketDetailDto;
      expect(detail.messages.map((message) => message.direction)).toEqual(['inbound', 'note']);
      expect(detail.snippet).toBe('Customer words');
      expect((await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(agentToken, { type: 'bearer' }).send({ body: '   ' })).status).toBe(400);
    });

    it('merges duplicates into one ticket: messages and tags move, the duplicates close pointing at it', async () => {
      const target = await createTicket(t.app, { subject: 'Parcel lost', body: 'Where is my parcel?' });
      const duplicate = await createTicket(t.app, { subject: 'Parcel lost again', body: 'Still no parcel, also wrongly charged' });
      await t.http.patch(`/api/tickets/${duplicate.id}`).auth(agentToken, { type: 'bearer' }).send({ tags: ['lost-parcel'] });
      expect((await t.http.post(`/api/tickets/${target.id}/merge`).auth(agentToken, { type: 'bearer' }).send({ sourceIds: [target.id] })).status).toBe(400);

      const merged = await t.http.post(`/api/tickets/${target.id}/merge`).auth(agentToken, { type: 'bearer' }).send({ sourceIds: [duplicate.id] });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({ messageCount: 2, tags: ['lost-parcel'] });
      const kept = (await t.http.get(`/api/tickets/${target.id}`).auth(agentToken, { type: 'bearer' })).body as TicketDetailDto;
      expect(kept.messages.map((message) => message.bodyText)).toEqual(['Where is my parcel?', 'Still no parcel, also wrongly charged']);
      expect(kept.events.find((event) => event.type === 'ticket.merged')?.data).toEqual({ ticketNumbers: [duplicate.number] });
      const closed = (await t.http.get(`/api/tickets/${duplicate.id}`).auth(agentToken, { type: 'bearer' })).body as TicketDetailDto;
      expect(closed).toMatchObject({ status: 'closed', messages: [] });
      expect(closed.events.find((event) => event.type === 'ticket.merged_into')?.data).toEqual({ ticketNumber: target.number });
      // The moved text is found through the kept ticket.
      await indexForSearch(t.app);
      const found = (await t.http.get('/api/tickets?q=wrongly').auth(agentToken, { type: 'bearer' })).body as TicketPageDto;
      expect(found.items.map((item) => item.id)).toEqual([target.id]);
    });

    it("hides a private team's tickets from agents outside it", async () => {
      const vip = (await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'VIP desk', isPrivate: true })).body as TeamDto;
      const secret = await createTicket(t.app, { subject: 'Private matter', teamId: vip.id });
      expect((await t.http.get(`/api/tickets/${secret.id}`).auth(agentToken, { type: 'bearer' })).status).toBe(404);
      const list = (await t.http.get('/api/tickets?limit=200').auth(agentToken, { type: 'bearer' })).body as TicketPageDto;
      expect(list.items.some((ticket) => ticket.id === secret.id)).toBe(false);
      expect((await t.http.get(`/api/tickets/${secret.id}`).auth(admin, { type: 'bearer' })).status).toBe(200);

      await t.http.patch(`/api/teams/${vip.id}`).auth(admin, { type: 'bearer' }).send({ memberIds: [agent.id] });
      // A PATCH that names only the name keeps the members and the privacy.
      const renamed = await t.http.patch(`/api/teams/${vip.id}`).auth(admin, { type: 'bearer' }).send({ name: 'VIP' });
      expect(renamed.body).toMatchObject({ name: 'VIP', isPrivate: true, memberIds: [agent.id] });
      const memberToken = await t.login('agent.one@example.com', 'agent-password-1');
      expect((await t.http.get(`/api/tickets/${secret.id}`).auth(memberToken, { type: 'bearer' })).status).toBe(200);
    });
  });

  describe('customers', () => {
    it('creates, finds and updates a customer with subscription data', async () => {
      const created = await t.http
        .post('/api/customers')
        .auth(admin, { type: 'bearer' })
        .send({ email: 'Sub@Example.com', name: 'Sub Scriber', subscriptionStatus: 'active', currentCycle: 1, subscriptionStartedAt: '2026-11-01T00:00:00Z' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: 'sub@example.com', currentCycle: 1, subscriptionStartedAt: '2026-11-01T00:00:00.000Z' });
      const found = await t.http.get('/api/customers?q=scriber').auth(agentToken, { type: 'bearer' });
      expect((found.body as { id: string }[]).map((customer) => customer.id)).toContain(created.body.id);
      const updated = await t.http.patch(`/api/customers/${created.body.id}`).auth(admin, { type: 'bearer' }).send({ subscriptionStatus: 'cancelled', cancelledAt: '2026-11-20T12:00:00Z' });
      expect(updated.body).toMatchObject({ subscriptionStatus: 'cancelled', cancelledAt: '2026-11-20T12:00:00.000Z' });
      expect((await t.http.post('/api/customers').auth(admin, { type: 'bearer' }).send({ email: 'sub@example.com' })).status).toBe(409);
      // Agents read customers; changing them is for leads, care owners and admins.
      expect((await t.http.post('/api/customers').auth(agentToken, { type: 'bearer' }).send({ email: 'other@example.com' })).status).toBe(403);
      expect((await t.http.patch(`/api/customers/${created.body.id}`).auth(agentToken, { type: 'bearer' }).send({ name: 'Changed' })).status).toBe(403);
      expect((await t.http.delete(`/api/customers/${created.body.id}`).auth(agentToken, { type: 'bearer' })).status).toBe(403);
    });
  });

  describe('HTTP surface', () => {
    it('sends security headers on every response', async () => {
      const response = await t.http.get('/api/health');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('serves the OpenAPI document', async () => {
      const response = await t.http.get('/api/openapi.json');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/tickets', '/api/auth/login', '/api/tickets/{id}']));
    });
  });
});
