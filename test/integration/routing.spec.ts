import { DataSource } from 'typeorm';
import type { TeamDto, TicketDetailDto, UserDto } from '../../contracts/api';
import type { CreateRuleRequest, DryRunResultDto, RuleCondition, RuleDto } from '../../contracts/automation';
import type { MessageFlag } from '../../contracts/domain';
import { CustomerRepository } from '../../server/src/customers/customer.repository';
import { Mailbox } from '../../server/src/mail/mailbox.entity';
import { RoutingEngine } from '../../server/src/routing/routing-engine.service';
import { RoutingScheduler } from '../../server/src/routing/routing.scheduler';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { ManualClock, until, weekdays } from './sla-harness';
import { publish, reactions } from '../support/events';

interface OpenTicket {
  subject?: string;
  body?: string;
  from?: string;
  to?: string[];
  cc?: string[];
  mailboxId?: string | null;
  teamId?: string | null;
  flags?: MessageFlag[];
}

const MINUTE = 60_000;

describe('routing', () => {
  // Monday 5 January 2026, 10:00 UTC.
  const clock = new ManualClock(new Date('2026-01-05T10:00:00.000Z'));
  let t: TestApp;
  let admin: string;
  let lead: string;
  let support: TeamDto;
  let agents: UserDto[];
  let agentTokens: string[];
  let mailbox: Mailbox;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    put: (path: string, body: object) => t.http.put(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http.delete(path).auth(token, { type: 'bearer' }),
  });
  const advance = (minutes: number) => clock.set(new Date(clock.now().getTime() + minutes * MINUTE).toISOString());
  const settled = () => reactions(t.app);
  const detail = async (ticketId: string) => (await as(admin).get(`/api/tickets/${ticketId}`)).body as TicketDetailDto;
  const firedRules = async (ticketId: string) => (await detail(ticketId)).events.filter((event) => event.type === 'rule.fired').map((event) => event.data);

  async function createRule(rule: CreateRuleRequest): Promise<RuleDto> {
    const response = await as(lead).post('/api/routing/rules', rule);
    expect(response.status).toBe(201);
    return response.body as RuleDto;
  }

  async function createUser(email: string, name: string, role: string, extra: Record<string, unknown> = {}): Promise<UserDto> {
    const response = await as(admin).post('/api/users', { email, name, role, password: 'password-12345', ...extra });
    expect(response.status).toBe(201);
    return response.body as UserDto;
  }

  const setAgent = async (index: number, changes: { availability?: string; capacity?: number }) => {
    const response = await as(admin).patch(`/api/users/${agents[index].id}`, changes);
    expect(response.status).toBe(200);
    await settled();
  };

  /** A ticket with its first customer message, as ingestion stores it; one second after the previous one. */
  async function storeTicket(fixture: OpenTicket = {}): Promise<string> {
    advance(1 / 60);
    const tickets = t.app.get(TicketsService);
    const repository = t.app.get(TicketRepository);
    return repository.transaction(async (manager) => {
      const from = fixture.from ?? 'customer@example.com';
      const customer = await t.app.get(CustomerRepository).upsertByEmail(from, null, manager);
      const { ticket } = await tickets.openTicketWithMessage(
        { subject: fixture.subject ?? 'Hello', customerId: customer.id, mailboxId: fixture.mailboxId === undefined ? mailbox.id : fixture.mailboxId, teamId: fixture.teamId ?? null },
        {
          direction: 'inbound',
          mailboxId: fixture.mailboxId === undefined ? mailbox.id : fixture.mailboxId,
          fromAddress: from,
          toAddresses: fixture.to ?? [mailbox.address],
          ccAddresses: fixture.cc ?? [],
          subject: fixture.subject ?? 'Hello',
          bodyText: fixture.body ?? 'Hi there',
          flags: fixture.flags ?? [],
        },
        manager,
      );
      return ticket.id;
    });
  }

  /** Stores a ticket and lets routing react to `ticket.created`. */
  async function openTicket(fixture: OpenTicket = {}): Promise<string> {
    const ticketId = await storeTicket(fixture);
    await publish(t.app, [{ name: 'ticket.created', payload: { ticketId } }]);
    await settled();
    return ticketId;
  }

  async function customerWrites(ticketId: string, body: string, flags: MessageFlag[] = []): Promise<void> {
    advance(1);
    const repository = t.app.get(TicketRepository);
    const message = await repository.transaction(async (manager) => {
      const ticket = await repository.findForUpdate(ticketId, manager);
      if (!ticket) throw new Error('no ticket');
      return t.app.get(TicketsService).appendMessage(ticket, { direction: 'inbound', fromAddress: 'customer@example.com', bodyText: body, flags }, manager);
    });
    await publish(t.app, [{ name: 'message.created', payload: { ticketId, messageId: message.id } }]);
    await settled();
  }

  const update = async (ticketId: string, changes: object, token = admin) => {
    const response = await as(token).patch(`/api/tickets/${ticketId}`, changes);
    expect(response.status).toBe(200);
    await settled();
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { CARELOOP_SESSION_HOURS: String(24 * 90) } });
    admin = await t.login();
    await createUser('lead@example.com', 'Lena Lead', 'lead');
    lead = await t.login('lead@example.com', 'password-12345');
    agents = [];
    for (const name of ['Ana', 'Ben', 'Cleo', 'Dev']) agents.push(await createUser(`${name.toLowerCase()}@example.com`, name, 'agent', { capacity: 30 }));
    agentTokens = await Promise.all(agents.map((agent) => t.login(agent.email, 'password-12345')));
    support = (await as(admin).post('/api/teams', { name: 'Support', memberIds: agents.map((agent) => agent.id) })).body as TeamDto;
    mailbox = await t.app.get(DataSource).getRepository(Mailbox).save({ name: 'Support', address: 'support@careloop.test', isActive: false });
  });

  afterAll(() => t.close());

  beforeEach(async () => {
    for (const rule of (await as(lead).get('/api/routing/rules')).body as RuleDto[]) await as(lead).delete(`/api/routing/rules/${rule.id}`);
    for (let index = 0; index < agents.length; index++) await setAgent(index, { availability: 'offline', capacity: 30 });
  });

  describe('rules', () => {
    it('runs rules in order, records each that fired on the timeline, and stops where a rule says so', async () => {
      const first = await createRule({ name: 'Tag refunds', conditions: [{ field: 'subject', operator: 'contains', value: 'refund' }], actions: [{ type: 'add_tags', tags: ['refund'] }] });
      const second = await createRule({ name: 'Urgent and stop', actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'set_team', teamId: support.id }], stopProcessing: true });
      const third = await createRule({ name: 'Never reached', actions: [{ type: 'add_tags', tags: ['late'] }] });

      const ticketId = await openTicket({ subject: 'Refund please' });
      expect(await detail(ticketId)).toMatchObject({ tags: ['refund'], priority: 'urgent', teamId: support.id });
      // Both fired in the same instant; the timeline orders same-instant events arbitrarily.
      const fired = await firedRules(ticketId);
      expect(fired).toHaveLength(2);
      expect(fired).toEqual(
        expect.arrayContaining([
          { ruleId: first.id, ruleName: 'Tag refunds', trigger: 'ticket_created', actions: ['Add tags refund'] },
          { ruleId: second.id, ruleName: 'Urgent and stop', trigger: 'ticket_created', actions: ['Set priority to urgent', 'Set team to Support'] },
        ]),
      );
      const timeline = (await detail(ticketId)).events.find((event) => event.type === 'priority.changed');
      expect(timeline).toMatchObject({ actorType: 'rule', data: { from: 'normal', to: 'urgent' } });

      const reordered = await as(lead).put('/api/routing/rules/order', { ruleIds: [third.id, second.id, first.id] });
      expect((reordered.body as RuleDto[]).map((rule) => rule.name)).toEqual(['Never reached', 'Urgent and stop', 'Tag refunds']);
      const next = await openTicket({ subject: 'Refund again' });
      expect((await firedRules(next)).map((data) => data.ruleName).sort()).toEqual(['Never reached', 'Urgent and stop']);
      expect((await detail(next)).tags).toEqual(['late']);
      expect((await as(lead).put('/api/routing/rules/order', { ruleIds: [third.id] })).status).toBe(400);
    });

    it('lets the next rules see what an earlier rule changed', async () => {
      await createRule({ name: 'VIP domain', conditions: [{ field: 'from_domain', operator: 'equals', value: 'bigcorp.com' }], actions: [{ type: 'add_tags', tags: ['vip'] }] });
      await createRule({ name: 'VIP urgent', conditions: [{ field: 'tags', operator: 'has_any', value: ['vip'] }], actions: [{ type: 'set_priority', priority: 'high' }] });
      const ticketId = await openTicket({ from: 'ceo@bigcorp.com' });
      expect(await detail(ticketId)).toMatchObject({ tags: ['vip'], priority: 'high' });
    });

    it('evaluates inbound-message rules on each customer message after the first, but not on the first', async () => {
      await createRule({ name: 'Angry follow-up', triggers: ['inbound_message'], conditions: [{ field: 'body', operator: 'matches', value: '\\b(still|again)\\b' }], actions: [{ type: 'set_priority', priority: 'high' }] });
      const ticketId = await openTicket({ body: 'Is it still coming?' });
      await publish(t.app, [{ name: 'message.created', payload: { ticketId, messageId: (await detail(ticketId)).messages[0].id } }]);
      await settled();
      expect((await detail(ticketId)).priority).toBe('normal');
      await customerWrites(ticketId, 'It is STILL not here');
      expect((await detail(ticketId)).priority).toBe('high');
      expect((await firedRules(ticketId)).map((data) => data.trigger)).toEqual(['inbound_message']);
    });

    it('only lets leads and admins manage rules, and rejects unsafe or invalid ones on save', async () => {
      expect((await as(agentTokens[0]).post('/api/routing/rules', { name: 'x', actions: [{ type: 'add_tags', tags: ['x'] }] })).status).toBe(403);
      expect((await as(agentTokens[0]).get('/api/routing/rules')).status).toBe(403);
      const backreference = await as(lead).post('/api/routing/rules', { name: 'x', conditions: [{ field: 'body', operator: 'matches', value: '(a)\\1' }], actions: [{ type: 'add_tags', tags: ['x'] }] });
      expect(backreference.status).toBe(400);
      expect(backreference.body.fields[0]).toMatchObject({ field: 'conditions.0.value', message: expect.stringMatching(/^not a valid pattern/) });
      const template = await as(lead).post('/api/routing/rules', { name: 'x', actions: [{ type: 'send_auto_reply', body: 'Hi {{ customer.name' }] });
      expect(template.body.fields[0]).toMatchObject({ field: 'actions.0.body', message: expect.stringMatching(/^line 1: /) });
      const team = await as(lead).post('/api/routing/rules', { name: 'x', actions: [{ type: 'assign_agent', strategy: 'round_robin', teamId: '00000000-0000-4000-8000-000000000000' }] });
      expect(team.body.fields[0]).toMatchObject({ field: 'actions.0.teamId', message: 'no team with this id' });
    });

    it('matches a hostile pattern against a huge body in linear time', async () => {
      await createRule({ name: 'Hostile', conditions: [{ field: 'body', operator: 'matches', value: '^(a+)+$' }], actions: [{ type: 'add_tags', tags: ['matched'] }] });
      const started = Date.now();
      const ticketId = await openTicket({ body: `${'a'.repeat(50_000)}!` });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await detail(ticketId)).tags).toEqual([]);
      // The server still answers right away.
      expect((await as(admin).get('/api/routing/rules')).status).toBe(200);
    });
  });

  describe('conditions (dry run over the latest tickets)', () => {
    let calendarId: string;

    beforeAll(async () => {
      const calendar = await as(admin).post('/api/sla/calendars', { name: 'Office', timeZone: 'UTC', weekly: weekdays([{ start: '09:00', end: '17:00' }]) });
      expect(calendar.status).toBe(201);
      calendarId = calendar.body.id as string;
    });

    /** Stores a matching and a non-matching ticket and checks that the dry run picks exactly the first. */
    async function expectDryRun(conditions: RuleCondition[], matching: () => Promise<string>, other: () => Promise<string>, match: 'all' | 'any' = 'all') {
      const expected = await matching();
      await other();
      const response = await as(lead).post('/api/routing/rules/dry-run', { rule: { name: 'Dry', match, conditions, actions: [{ type: 'add_tags', tags: ['x'] }] }, limit: 2 });
      expect(response.status).toBe(200);
      const result = response.body as DryRunResultDto;
      expect(result.evaluated).toBe(2);
      expect(result.matches.map((ticket) => ticket.id)).toEqual([expected]);
    }

    const customer = async (email: string, fields: object) => {
      const ticketId = await storeTicket({ from: email });
      await as(admin).patch(`/api/customers/${(await detail(ticketId)).customer?.id}`, fields);
      return ticketId;
    };

    it.each<[string, RuleCondition[], OpenTicket, OpenTicket]>([
      ['from address', [{ field: 'from_address', operator: 'equals', value: 'Boss@Example.com' }], { from: 'boss@example.com' }, { from: 'intern@example.com' }],
      ['from domain', [{ field: 'from_domain', operator: 'not_equals', value: 'example.com' }], { from: 'x@partner.org' }, { from: 'y@example.com' }],
      ['to or cc', [{ field: 'recipients', operator: 'contains', value: 'billing@' }], { cc: ['billing@careloop.test'] }, { to: ['support@careloop.test'] }],
      ['subject contains', [{ field: 'subject', operator: 'contains', value: 'invoice' }], { subject: 'Your INVOICE #12' }, { subject: 'Hello' }],
      ['subject does not contain', [{ field: 'subject', operator: 'not_contains', value: 'newsletter' }], { subject: 'Question' }, { subject: 'Newsletter March' }],
      ['body matches', [{ field: 'body', operator: 'matches', value: 'order\\s*#?\\d{5}' }], { body: 'About order #12345' }, { body: 'About my order' }],
      ['body does not match', [{ field: 'body', operator: 'not_matches', value: 'unsubscribe' }], { body: 'Help' }, { body: 'Please unsubscribe me' }],
      ['any of two', [{ field: 'subject', operator: 'contains', value: 'alpha' }, { field: 'subject', operator: 'contains', value: 'beta' }], { subject: 'beta test' }, { subject: 'gamma' }],
    ])('%s', async (_name, conditions, matching, other) => {
      await expectDryRun(conditions, () => storeTicket(matching), () => storeTicket(other), _name === 'any of two' ? 'any' : 'all');
    });

    it('mailbox', async () => {
      await expectDryRun([{ field: 'mailbox', operator: 'in', value: [mailbox.id] }], () => storeTicket(), () => storeTicket({ mailboxId: null }));
    });

    it('customer subscription status, cycle and tier', async () => {
      await expectDryRun([{ field: 'customer_subscription_status', operator: 'in', value: ['paused', 'cancelled'] }], () => customer('paused@example.com', { subscriptionStatus: 'paused' }), () => customer('active@example.com', { subscriptionStatus: 'active' }));
      await expectDryRun([{ field: 'customer_cycle', operator: 'lte', value: 1 }], () => customer('first@example.com', { currentCycle: 1 }), () => customer('loyal@example.com', { currentCycle: 12 }));
      await expectDryRun([{ field: 'customer_tier', operator: 'equals', value: 'gold' }], () => customer('gold@example.com', { plan: 'Gold' }), () => customer('basic@example.com', { plan: 'Basic' }));
    });

    it('current tags and priority', async () => {
      const tagged = async (tags: string[], priority: string) => {
        const ticketId = await storeTicket();
        await as(admin).patch(`/api/tickets/${ticketId}`, { tags, priority });
        return ticketId;
      };
      await expectDryRun([{ field: 'tags', operator: 'has_all', value: ['vip', 'refund'] }], () => tagged(['vip', 'refund', 'x'], 'normal'), () => tagged(['vip'], 'normal'));
      await expectDryRun([{ field: 'tags', operator: 'has_none', value: ['spam'] }], () => tagged(['ok'], 'normal'), () => tagged(['spam'], 'normal'));
      await expectDryRun([{ field: 'priority', operator: 'not_in', value: ['low', 'normal'] }], () => tagged([], 'urgent'), () => tagged([], 'low'));
    });

    it('inside and outside business hours', async () => {
      clock.set('2026-01-07T10:00:00.000Z'); // Wednesday, open
      const inside = await as(lead).post('/api/routing/rules/dry-run', { rule: { name: 'Open', conditions: [{ field: 'business_hours', operator: 'inside', value: calendarId }], actions: [{ type: 'add_tags', tags: ['x'] }] }, limit: 1 });
      expect(inside.body.matches).toHaveLength(1);
      clock.set('2026-01-07T20:00:00.000Z'); // closed
      const closed = await as(lead).post('/api/routing/rules/dry-run', { rule: { name: 'Closed', conditions: [{ field: 'business_hours', operator: 'outside', value: calendarId }], actions: [{ type: 'add_tags', tags: ['x'] }] }, limit: 1 });
      expect(closed.body.matches).toHaveLength(1);
      const open = await as(lead).post('/api/routing/rules/dry-run', { rule: { name: 'Open', conditions: [{ field: 'business_hours', operator: 'inside', value: calendarId }], actions: [{ type: 'add_tags', tags: ['x'] }] }, limit: 1 });
      expect(open.body.matches).toHaveLength(0);
    });
  });

  describe('assignment', () => {
    const assignRule = (strategy: 'round_robin' | 'least_open') => createRule({ name: `Assign ${strategy}`, actions: [{ type: 'assign_agent', strategy, teamId: support.id }] });

    it('spreads 100 concurrent tickets evenly over 4 available agents by round robin, never twice', async () => {
      for (let index = 0; index < 4; index++) await setAgent(index, { availability: 'available' });
      await assignRule('round_robin');
      const ticketIds = await Promise.all(Array.from({ length: 100 }, (_, index) => storeTicket({ subject: `Burst ${index}` })));
      await Promise.all(ticketIds.map((ticketId) => t.app.get(RoutingEngine).evaluate(ticketId, 'ticket_created')));
      await settled();

      const details = await Promise.all(ticketIds.map(detail));
      const perAgent = new Map<string, number>();
      for (const ticket of details) perAgent.set(ticket.assigneeId ?? 'nobody', (perAgent.get(ticket.assigneeId ?? 'nobody') ?? 0) + 1);
      expect(Object.fromEntries(perAgent)).toEqual(Object.fromEntries(agents.map((agent) => [agent.id, 25])));
      for (const ticket of details) expect(ticket.events.filter((event) => event.type === 'assignee.changed')).toHaveLength(1);
      for (const ticketId of ticketIds) await update(ticketId, { status: 'closed' });
    });

    it('assigns only available agents below capacity, queues the rest and hands them out oldest first as agents free up', async () => {
      await setAgent(0, { availability: 'available', capacity: 1 });
      await setAgent(1, { availability: 'away', capacity: 1 });
      await assignRule('least_open');

      const first = await openTicket({ subject: 'First' });
      expect((await detail(first)).assigneeId).toBe(agents[0].id);
      const second = await openTicket({ subject: 'Second' });
      const third = await openTicket({ subject: 'Third' });
      expect(await detail(second)).toMatchObject({ assigneeId: null, teamId: support.id });
      expect((await firedRules(second))[0].actions).toEqual(['Queue in team Support: no agent is available below capacity']);

      // Ben comes back (self-service availability): he takes the oldest waiting ticket.
      expect((await as(agentTokens[1]).patch(`/api/users/${agents[1].id}`, { availability: 'available' })).status).toBe(200);
      await settled();
      expect((await detail(second)).assigneeId).toBe(agents[1].id);
      expect((await detail(third)).assigneeId).toBeNull();
      expect((await detail(second)).events.find((event) => event.type === 'queue.assigned')).toMatchObject({ actorType: 'rule' });

      // Ana solves her ticket: her freed capacity goes to the next one waiting.
      await update(first, { status: 'solved' }, agentTokens[0]);
      expect((await detail(third)).assigneeId).toBe(agents[0].id);
    });

    it('sends a reopened ticket whose assignee is offline back to the team', async () => {
      await setAgent(0, { availability: 'available' });
      await assignRule('round_robin');
      const ticketId = await openTicket();
      expect((await detail(ticketId)).assigneeId).toBe(agents[0].id);
      await update(ticketId, { status: 'solved' });
      await setAgent(0, { availability: 'offline' });

      await update(ticketId, { status: 'open' });
      const reopened = await detail(ticketId);
      expect(reopened.assigneeId).toBeNull();
      expect(reopened.events.map((event) => event.type)).toContain('queue.requeued');

      await setAgent(2, { availability: 'available' });
      expect((await detail(ticketId)).assigneeId).toBe(agents[2].id);
    });
  });

  describe('automatic replies', () => {
    it('answers a customer automatically but never an auto-reply', async () => {
      await createRule({ name: 'Acknowledge', actions: [{ type: 'send_auto_reply', body: 'We got your message about "{{ ticket.subject }}".' }] });
      const human = await openTicket({ subject: 'Broken lid' });
      const robot = await openTicket({ subject: 'Out of office', flags: ['auto_reply'] });

      const outbound = async (ticketId: string) => (await detail(ticketId)).messages.filter((message) => message.direction === 'outbound');
      await until(async () => (await outbound(human)).length === 1);
      expect((await outbound(human))[0]).toMatchObject({ bodyText: 'We got your message about "Broken lid".', to: ['customer@example.com'] });
      expect((await firedRules(robot))[0].actions).toEqual(['Did not send the automatic reply: the message is an auto-reply or bulk mail']);
      expect(await outbound(robot)).toEqual([]);
    });
  });

  describe('time-based rules', () => {
    const pass = () => t.app.get(RoutingScheduler).runPass();

    it('fires "unassigned for X minutes" once per stretch, even with passes racing', async () => {
      clock.set('2026-01-12T10:00:00.000Z');
      const rule = await createRule({ name: 'Escalate unassigned', timeCondition: { type: 'unassigned_for', minutes: 30 }, actions: [{ type: 'set_priority', priority: 'high' }] });
      const ticketId = await openTicket();
      advance(29);
      await pass();
      expect((await detail(ticketId)).priority).toBe('normal');
      advance(2);
      await Promise.all([pass(), pass(), pass()]);
      await pass();
      expect((await detail(ticketId)).priority).toBe('high');
      expect(await firedRules(ticketId)).toEqual([{ ruleId: rule.id, ruleName: 'Escalate unassigned', trigger: 'time', actions: ['Set priority to high'] }]);
    });

    it('reassigns when the assignee has not replied for X business minutes', async () => {
      const calendar = await as(admin).post('/api/sla/calendars', { name: 'Nine to five', timeZone: 'UTC', weekly: weekdays([{ start: '09:00', end: '17:00' }]) });
      await setAgent(0, { availability: 'available' });
      await setAgent(1, { availability: 'available' });
      clock.set('2026-01-16T16:30:00.000Z'); // Friday, half an hour before closing
      const ticketId = await storeTicket({ teamId: support.id });
      await update(ticketId, { assigneeId: agents[0].id });
      await createRule({
        name: 'Reassign silent tickets',
        timeCondition: { type: 'no_agent_reply_for', minutes: 60, calendarId: calendar.body.id },
        actions: [{ type: 'assign_agent', strategy: 'least_open', teamId: null }],
      });
      clock.set('2026-01-19T09:20:00.000Z'); // Monday: 50 business minutes later
      await pass();
      expect((await detail(ticketId)).assigneeId).toBe(agents[0].id);
      clock.set('2026-01-19T09:31:00.000Z');
      await pass();
      expect((await detail(ticketId)).assigneeId).toBe(agents[1].id);
    });

    it('solves a ticket pending for a week', async () => {
      clock.set('2026-02-02T10:00:00.000Z');
      await createRule({ name: 'Close stale pending', timeCondition: { type: 'pending_for', days: 7 }, actions: [{ type: 'set_status', status: 'solved' }, { type: 'add_note', body: 'Solved after a week without an answer from {{ customer.email }}.' }] });
      const ticketId = await storeTicket();
      await update(ticketId, { status: 'pending' });
      advance(6 * 24 * 60);
      await pass();
      expect((await detail(ticketId)).status).toBe('pending');
      advance(24 * 60 + 1);
      await pass();
      const solved = await detail(ticketId);
      expect(solved.status).toBe('solved');
      expect(solved.messages.filter((message) => message.direction === 'note').map((message) => message.bodyText)).toEqual(['Solved after a week without an answer from customer@example.com.']);
    });
  });
});
