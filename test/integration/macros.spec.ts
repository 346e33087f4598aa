import { DataSource } from 'typeorm';
import type { TeamDto, TicketDetailDto, UserDto } from '../../contracts/api';
import type { CreateMacroRequest, MacroApplyResultDto, MacroDto, MacroPreviewDto } from '../../contracts/automation';
import { Mailbox } from '../../server/src/mail/mailbox.entity';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';

describe('macros', () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let agent: string;
  let otherAgent: string;
  let agentUser: UserDto;
  let billing: TeamDto;
  let shipping: TeamDto;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http.delete(path).auth(token, { type: 'bearer' }),
  });
  const createMacro = async (token: string, macro: CreateMacroRequest) => {
    const response = await as(token).post('/api/macros', macro);
    expect(response.status).toBe(201);
    return response.body as MacroDto;
  };
  const user = async (email: string, name: string, role: string, teamIds: string[] = []) => {
    const response = await as(admin).post('/api/users', { email, name, role, password: 'password-12345', teamIds });
    expect(response.status).toBe(201);
    return response.body as UserDto;
  };
  const detail = async (ticketId: string) => (await as(admin).get(`/api/tickets/${ticketId}`)).body as TicketDetailDto;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    billing = (await as(admin).post('/api/teams', { name: 'Billing' })).body as TeamDto;
    shipping = (await as(admin).post('/api/teams', { name: 'Shipping' })).body as TeamDto;
    await user('lead@example.com', 'Lena Lead', 'lead');
    agentUser = await user('ana@example.com', 'Ana Agent', 'agent', [billing.id]);
    await user('ben@example.com', 'Ben Other', 'agent');
    lead = await t.login('lead@example.com', 'password-12345');
    agent = await t.login('ana@example.com', 'password-12345');
    otherAgent = await t.login('ben@example.com', 'password-12345');
  });

  afterAll(() => t.close());

  /** A ticket from a subscribed customer in the Support mailbox, on Billing. */
  async function subscribedTicket(): Promise<string> {
    const ticket = await createTicket(t.app, { subject: 'Where is my box?', from: 'maya.fischer@example.com', teamId: billing.id });
    const customerId = ticket.customerId as string;
    const update = await as(admin).patch(`/api/customers/${customerId}`, {
      name: 'Maya Fischer',
      subscriptionStatus: 'active',
      currentCycle: 3,
      nextRenewalAt: '2026-02-01T00:00:00.000Z',
      subscriptionStartedAt: '2025-11-01T00:00:00.000Z',
      plan: 'Gold',
    });
    expect(update.status).toBe(200);
    const mailbox = await t.app.get(DataSource).getRepository(Mailbox).save({ name: 'Support', address: `support-${ticket.number}@careloop.test`, isActive: false });
    await t.app.get(TicketRepository).transaction((manager) => t.app.get(TicketRepository).updateTicket(ticket.id, { mailboxId: mailbox.id }, manager));
    return ticket.id;
  }

  describe('templates', () => {
    it('renders every variable of the ticket, customer, agent and mailbox', async () => {
      const ticketId = await subscribedTicket();
      await as(admin).patch(`/api/tickets/${ticketId}`, { tags: ['box', 'late'], priority: 'high' });
      const { number } = await detail(ticketId);
      const macro = await createMacro(lead, {
        name: 'Every variable',
        body: [
          '#{{ ticket.number }} {{ ticket.subject }} {{ ticket.status }} {{ ticket.priority }} {{ ticket.tags | join: "+" }} {{ ticket.team }} {{ ticket.created_at | size }}',
          '{{ customer.name }}/{{ customer.first_name }}/{{ customer.email }}/{{ customer.subscription_status }}/{{ customer.cycle }}/{{ customer.next_renewal }}/{{ customer.subscription_started_at }}/{{ customer.plan }}',
          '{{ agent.name }}/{{ agent.first_name }}/{{ agent.email }}',
          '{{ mailbox.name }}',
          'Renews {{ customer.next_renewal | date: "%B %-d" }}',
        ].join('\n'),
      });
      const preview = await as(agent).post(`/api/macros/${macro.id}/preview`, { ticketId });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        body: [
          `#${number} Where is my box? new high box+late Billing 10`,
          'Maya Fischer/Maya/maya.fischer@example.com/active/3/2026-02-01/2025-11-01/Gold',
          'Ana Agent/Ana/ana@example.com',
          'Support',
          'Renews February 1',
        ].join('\n'),
        warnings: [],
        actions: [],
      });
    });

    it('renders variables without a value empty and warns about each of them', async () => {
      const ticket = await createTicket(t.app, { subject: 'No details', from: 'anonymous@example.com' });
      const macro = await createMacro(lead, { name: 'Greeting', body: 'Hi {{ customer.first_name }}, cycle {{ customer.cycle }} from {{ mailbox.address }}{{ ticket.team }}.' });
      const preview = (await as(agent).post(`/api/macros/${macro.id}/preview`, { ticketId: ticket.id })).body as MacroPreviewDto;
      expect(preview.body).toBe('Hi , cycle  from .');
      expect(preview.warnings).toEqual([
        '{{ customer.first_name }} has no value for this ticket and renders empty',
        '{{ customer.cycle }} has no value for this ticket and renders empty',
        '{{ mailbox.address }} has no value for this ticket and renders empty',
        '{{ ticket.team }} has no value for this ticket and renders empty',
      ]);
    });

    it('rejects a template that does not parse, naming the line and the reason', async () => {
      const response = await as(lead).post('/api/macros', { name: 'Broken', body: 'Hello\n{% if customer.name %}\nthere' });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([{ field: 'body', message: 'line 2: tag {% if customer.name %} not closed' }]);

      const note = await as(lead).post('/api/macros', { name: 'Broken note', actions: [{ type: 'set_status', status: 'open' }, { type: 'add_note', body: '{{ customer.name' }] });
      expect(note.status).toBe(400);
      expect(note.body.fields[0].field).toBe('actions.1.body');
      expect(note.body.fields[0].message).toMatch(/^line 1: output "\{\{ customer.name" not closed/);
    });

    it('previews a template that exhausts its render budget as a warning instead of failing', async () => {
      const ticket = await createTicket(t.app, { subject: 'Budget' });
      const macro = await createMacro(lead, { name: 'Runaway', body: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' });
      const preview = await as(agent).post(`/api/macros/${macro.id}/preview`, { ticketId: ticket.id });
      expect(preview.status).toBe(200);
      expect(preview.body.warnings).toEqual([expect.stringMatching(/^The template could not be rendered/)]);
    });
  });

  describe('applying', () => {
    it('applies every action in one go, records each on the timeline and counts the use', async () => {
      const ticketId = await subscribedTicket();
      await as(admin).patch(`/api/tickets/${ticketId}`, { tags: ['stale', 'box'] });
      const macro = await createMacro(lead, {
        name: 'Refund issued',
        body: 'Hi {{ customer.first_name }}, your refund is on its way. {{ agent.first_name }}',
        actions: [
          { type: 'set_status', status: 'pending' },
          { type: 'set_priority', priority: 'low' },
          { type: 'set_team', teamId: shipping.id },
          { type: 'set_assignee', assigneeId: agentUser.id },
          { type: 'add_tags', tags: ['refund'] },
          { type: 'remove_tags', tags: ['stale'] },
          { type: 'add_note', body: 'Refunded cycle {{ customer.cycle }} for {{ customer.email }}' },
        ],
      });

      const response = await as(agent).post(`/api/tickets/${ticketId}/macros/${macro.id}/apply`);
      expect(response.status).toBe(200);
      const result = response.body as MacroApplyResultDto;
      expect(result.body).toBe('Hi Maya, your refund is on its way. Ana');
      expect(result.ticket).toMatchObject({ status: 'pending', priority: 'low', teamId: shipping.id, assigneeId: agentUser.id, tags: ['box', 'refund'] });
      expect(result.actions).toEqual(['Set status to pending', 'Set priority to low', 'Set team to Shipping', 'Assign to Ana Agent', 'Add tags refund', 'Remove tags stale', 'Add an internal note']);

      const after = await detail(ticketId);
      expect(after.messages.filter((message) => message.direction === 'note').map((message) => message.bodyText)).toEqual(['Refunded cycle 3 for maya.fischer@example.com']);
      expect(after.events.map((event) => event.type)).toEqual(
        expect.arrayContaining(['macro.applied', 'status.changed', 'priority.changed', 'team.changed', 'assignee.changed', 'tags.changed']),
      );
      expect(after.events.find((event) => event.type === 'macro.applied')).toMatchObject({ actorId: agentUser.id, data: { macroId: macro.id, macroName: 'Refund issued' } });

      const counted = (await as(agent).get(`/api/macros/${macro.id}`)).body as MacroDto;
      expect(counted.usageCount).toBe(1);
      expect(counted.lastUsedAt).not.toBeNull();
    });

    it('changes nothing when one action cannot be applied', async () => {
      const ticket = await createTicket(t.app, { subject: 'Atomic' });
      const doomed = (await as(admin).post('/api/teams', { name: 'Doomed' })).body as TeamDto;
      const macro = await createMacro(lead, {
        name: 'Move to doomed team',
        actions: [
          { type: 'set_status', status: 'solved' },
          { type: 'add_tags', tags: ['moved'] },
          { type: 'add_note', body: 'Moving it' },
          { type: 'set_team', teamId: doomed.id },
        ],
      });
      await as(admin).delete(`/api/teams/${doomed.id}`);

      const response = await as(agent).post(`/api/tickets/${ticket.id}/macros/${macro.id}/apply`);
      expect(response.status).toBe(400);
      expect(response.body.message).toBe('actions: the team this action sets no longer exists');
      const after = await detail(ticket.id);
      expect(after).toMatchObject({ status: 'new', tags: [], teamId: null });
      expect(after.messages.map((message) => message.direction)).toEqual(['inbound']);
      expect(after.events.filter((event) => event.type !== 'ticket.created')).toEqual([]);
      expect(((await as(agent).get(`/api/macros/${macro.id}`)).body as MacroDto).usageCount).toBe(0);
    });
  });

  describe('permissions and visibility', () => {
    it('lets agents read and apply shared macros but not create, edit or delete them', async () => {
      const macro = await createMacro(lead, { name: 'Shared reply', body: 'Thanks!' });
      expect((await as(agent).post('/api/macros', { name: 'Mine to share', scope: 'everyone' })).status).toBe(403);
      expect((await as(agent).patch(`/api/macros/${macro.id}`, { body: 'Edited' })).status).toBe(403);
      expect((await as(agent).delete(`/api/macros/${macro.id}`)).status).toBe(403);
      expect(((await as(agent).get(`/api/macros/${macro.id}`)).body as MacroDto).body).toBe('Thanks!');

      expect((await as(lead).patch(`/api/macros/${macro.id}`, { body: 'Thanks a lot!' })).body.body).toBe('Thanks a lot!');
      expect((await as(lead).delete(`/api/macros/${macro.id}`)).status).toBe(204);
      expect((await as(agent).get(`/api/macros/${macro.id}`)).status).toBe(404);
    });

    it('keeps personal macros to their owner and team macros to the team (and leads)', async () => {
      const personal = await createMacro(agent, { name: 'My sign-off', body: 'Cheers, Ana', scope: 'personal' });
      expect(personal).toMatchObject({ scope: 'personal', ownerId: agentUser.id, teamId: null });
      expect((await as(agent).patch(`/api/macros/${personal.id}`, { body: 'Cheers!' })).status).toBe(200);
      expect((await as(otherAgent).get(`/api/macros/${personal.id}`)).status).toBe(404);
      expect((await as(agent).patch(`/api/macros/${personal.id}`, { scope: 'everyone' })).status).toBe(403);

      const team = await createMacro(lead, { name: 'Billing only', scope: 'team', teamId: billing.id });
      const names = async (token: string) => ((await as(token).get('/api/macros')).body as MacroDto[]).map((macro) => macro.name);
      expect(await names(agent)).toEqual(expect.arrayContaining(['My sign-off', 'Billing only']));
      expect(await names(otherAgent)).not.toEqual(expect.arrayContaining(['Billing only']));
      expect(await names(otherAgent)).not.toContain('My sign-off');
      expect(await names(lead)).toContain('Billing only');
      expect((await as(otherAgent).post(`/api/tickets/${(await createTicket(t.app, { subject: 'x' })).id}/macros/${team.id}/apply`)).status).toBe(404);
    });

    it('finds macros by part of their name, most used first', async () => {
      const ticket = await createTicket(t.app, { subject: 'Search' });
      const rarely = await createMacro(lead, { name: 'Shipping delay: courier' });
      const often = await createMacro(lead, { name: 'shipping DELAY: weather' });
      await createMacro(lead, { name: 'Unrelated' });
      await as(agent).post(`/api/tickets/${ticket.id}/macros/${often.id}/apply`);
      const found = ((await as(agent).get('/api/macros?q=delay')).body as MacroDto[]).map((macro) => macro.id);
      expect(found).toEqual([often.id, rarely.id]);
    });
  });
});
