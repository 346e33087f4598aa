import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserDto } from '../../contracts/api';
import type { TicketPriority, TicketStatus } from '../../contracts/domain';
import { payloadsOf, type DomainEvent } from '../../server/src/common/domain-events';
import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { createPolicy, freshLogin, ManualClock, ticketSteps, type TicketSteps } from './sla-harness';
import { addListener, publish, reactions } from '../support/events';

/**
 * Events delivered as one batch (as the outbox does for imported mail) must leave every ticket with the targets
 * it gets when its events are handled one by one. Each case runs on twin tickets: one twin handled by the
 * engine's single-ticket calls, the other by publishing everything at once.
 */
describe('SLA reactions to a batch of events', () => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const system = { type: 'system' as const, id: null };
  let t: TestApp;
  let steps: TicketSteps;
  let agent: UserDto;
  const updated: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const admin = await t.login();
    steps = ticketSteps(t, clock, freshLogin(t, clock));
    agent = (await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'ada@example.com', name: 'Ada Agent', role: 'agent', password: 'agent-password-1' }))
      .body as UserDto;
    await createPolicy(t, admin, { name: 'Urgent', conditions: { priorities: ['urgent'] }, targets: { urgent: { firstReply: 30, resolution: 240 } } });
    await createPolicy(t, admin, { name: 'VIP', conditions: { tags: ['vip'] }, targets: { normal: { firstReply: 60, nextReply: 30, resolution: 480 } } });
    await createPolicy(t, admin, { name: 'Standard', targets: { normal: { firstReply: 240, nextReply: 120, resolution: 960 } } });
    addListener(t.app, { name: 'sla-updated-observer', events: ['sla.updated'], inProcessOnly: true, handle: (events) => Promise.resolve(void updated.push(...payloadsOf(events, 'sla.updated').map(({ ticketId }) => ticketId))) });
  });

  afterAll(() => t.close());

  /** A ticket as ingestion leaves it, without SLA reactions (the test runs them). */
  async function ticket(subject: string, priority?: TicketPriority): Promise<{ id: string; messageId: string }> {
    const created = await createTicket(t.app, { subject, createdAt: clock.now() });
    if (priority) await change(created.id, { priority });
    const [{ id: messageId }] = await t.app.get(DataSource).query<{ id: string }[]>('SELECT id FROM messages WHERE ticket_id = $1', [created.id]);
    return { id: created.id, messageId };
  }

  /** A ticket change as the API makes it, without its event. */
  async function change(ticketId: string, changes: { status?: TicketStatus; priority?: TicketPriority; tags?: string[] }): Promise<void> {
    const repository = t.app.get(TicketRepository);
    await repository.transaction(async (manager) => t.app.get(TicketsService).applyChanges((await repository.findForUpdate(ticketId, manager))!, changes, system, manager));
  }

  /** A message stored as ingestion or the reply composer does, without its event. */
  async function message(ticketId: string, direction: 'inbound' | 'outbound'): Promise<string> {
    const repository = t.app.get(TicketRepository);
    const saved = await repository.transaction(async (manager) =>
      t.app.get(TicketsService).appendMessage((await repository.findForUpdate(ticketId, manager))!, { direction, authorId: direction === 'outbound' ? agent.id : null, bodyText: direction }, manager),
    );
    return saved.id;
  }

  /** What one ticket's SLA looks like, without ids, to compare twins. */
  async function slaOf(ticketId: string) {
    const sla = await steps.sla(ticketId);
    const applied = (await steps.timeline(ticketId)).filter((event) => event.type === 'sla.policy_applied').map((event) => [event.data.policyName, event.createdAt]);
    return { policy: sla.policy?.name ?? null, targets: sla.targets.map(({ id: _id, ...target }) => target), applied };
  }

  /** Sets up one case on a twin: its tickets and changes, and the events they cause, in the order they happen. */
  async function twin(name: string): Promise<{ events: DomainEvent[]; ids: Record<string, string> }> {
    const engine = t.app.get(SlaEngine);
    clock.set('2026-03-02T09:00:00Z');
    const fresh = await ticket(`${name}: fresh`);
    const urgent = await ticket(`${name}: urgent`, 'urgent');
    const paused = await ticket(`${name}: paused`);
    const unrelated = await ticket(`${name}: unrelated change`);
    const retagged = await ticket(`${name}: retagged`);
    const conversation = await ticket(`${name}: conversation`);
    const solved = await ticket(`${name}: solved`);
    const gone = await ticket(`${name}: deleted`);
    for (const { id } of [paused, unrelated, retagged, conversation, solved]) await engine.reconcile(id);

    clock.set('2026-03-02T09:05:00Z');
    await change(paused.id, { status: 'pending' });
    await change(unrelated.id, { status: 'pending' });
    await change(retagged.id, { tags: ['vip'] });
    await change(solved.id, { status: 'solved' });
    const replies: string[] = [];
    // Reply, customer answers, reply, customer answers: the batch must achieve the first next reply target before it starts the second.
    for (const [minute, direction] of [[5, 'outbound'], [6, 'inbound'], [7, 'outbound'], [8, 'inbound']] as const) {
      clock.set(`2026-03-02T09:0${minute}:00Z`);
      replies.push(await message(conversation.id, direction));
    }
    await t.app.get(DataSource).query('DELETE FROM tickets WHERE id = $1', [gone.id]);

    const events: DomainEvent[] = [
      ...[fresh, urgent, gone].map(({ id }) => ({ name: 'ticket.created' as const, payload: { ticketId: id } })),
      ...[paused, solved].map(({ id }) => ({ name: 'ticket.updated' as const, payload: { ticketId: id, eventIds: [], changed: ['status.changed'] } })),
      { name: 'ticket.updated', payload: { ticketId: unrelated.id, eventIds: [], changed: ['assignee.changed'] } },
      { name: 'ticket.updated', payload: { ticketId: retagged.id, eventIds: [], changed: ['tags.changed'] } },
      { name: 'message.created', payload: { ticketId: gone.id, messageId: gone.messageId } },
      ...replies.map((messageId) => ({ name: 'message.created' as const, payload: { ticketId: conversation.id, messageId } })),
    ];
    const ids = { fresh: fresh.id, urgent: urgent.id, paused: paused.id, unrelated: unrelated.id, retagged: retagged.id, conversation: conversation.id, solved: solved.id };
    return { events, ids };
  }

  /** What the listener did before batches: each event on its own, through the engine's single-ticket calls. */
  async function oneByOne(events: DomainEvent[]): Promise<void> {
    const engine = t.app.get(SlaEngine);
    const reconciling = ['status.changed', 'priority.changed', 'team.changed', 'tags.changed'];
    for (const event of events) {
      if (event.name === 'ticket.created') await engine.reconcile(event.payload.ticketId);
      else if (event.name === 'ticket.updated' && event.payload.changed.some((type) => reconciling.includes(type))) await engine.reconcile(event.payload.ticketId);
      else if (event.name === 'message.created') await engine.onMessage(event.payload.ticketId, event.payload.messageId);
    }
  }

  it('gives every ticket of a batch the targets it gets one event at a time, a deleted ticket stopping none', async () => {
    const single = await twin('single');
    const batch = await twin('batch');
    clock.set('2026-03-02T09:10:00Z');
    await oneByOne(single.events);
    updated.length = 0;
    await publish(t.app, batch.events);
    await reactions(t.app);

    for (const name of Object.keys(single.ids)) {
      expect({ name, ...(await slaOf(batch.ids[name])) }).toEqual({ name, ...(await slaOf(single.ids[name])) });
    }
    // And what that is: the batch did the work, rather than both doing nothing.
    const kindsAndStates = async (name: string) => (await steps.sla(batch.ids[name])).targets.map((target) => `${target.kind} ${target.state}`);
    expect(await kindsAndStates('fresh')).toEqual(['first_reply active', 'resolution active']);
    expect(await kindsAndStates('paused')).toEqual(['first_reply paused', 'resolution paused']);
    expect(await kindsAndStates('unrelated')).toEqual(['first_reply active', 'resolution active']);
    expect(await kindsAndStates('solved')).toEqual(['first_reply achieved', 'resolution achieved']);
    expect((await kindsAndStates('conversation')).sort()).toEqual(['first_reply achieved', 'next_reply achieved', 'next_reply active', 'resolution active']);
    expect((await slaOf(batch.ids.urgent)).policy).toBe('Urgent');
    expect((await slaOf(batch.ids.retagged)).applied.map(([policyName]) => policyName)).toEqual(['Standard', 'VIP']);
    // One sla.updated per changed ticket.
    expect([...updated].sort()).toEqual(Object.values(batch.ids).filter((id) => id !== batch.ids.unrelated).sort());
  });

  it('retries a failing batch ticket by ticket, so the others still get their targets', async () => {
    clock.set('2026-03-03T09:00:00Z');
    const [first, bad, second] = [await ticket('first of a failing batch'), await ticket('bad ticket'), await ticket('second of a failing batch')];
    const engine = t.app.get(SlaEngine);
    const reconcileMany = engine.reconcileMany.bind(engine);
    // Any batch with the bad ticket fails, as a ticket whose data the engine cannot handle would.
    const calls = jest.spyOn(engine, 'reconcileMany').mockImplementation(async (ids) => {
      if (ids.includes(bad.id)) throw new Error('cannot handle this ticket');
      await reconcileMany(ids);
    });
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await publish(t.app, [first, bad, second].map(({ id }) => ({ name: 'ticket.created', payload: { ticketId: id } })));
      await reactions(t.app);
      expect(calls.mock.calls.slice(0, 4).map(([ids]) => ids)).toEqual([[first.id, bad.id, second.id], [first.id], [bad.id], [second.id]]);
      expect(warnings.mock.calls.map(([text]) => String(text).split(':')[0])).toContain('SLA update of 3 tickets failed, retrying ticket by ticket');
      // The bad ticket is named, and the batch goes back to the pipeline to be retried for the SLA listener alone.
      expect(errors.mock.calls.map(([text]) => String(text).split(':')[0]).slice(0, 2)).toEqual([`SLA update of ticket ${bad.id} failed`, 'listener sla failed on 3 event(s), to be retried']);
    } finally {
      calls.mockRestore();
      errors.mockRestore();
      warnings.mockRestore();
    }
    for (const { id } of [first, second]) expect((await steps.sla(id)).targets.map((target) => target.kind)).toEqual(['first_reply', 'resolution']);
    expect((await steps.sla(bad.id)).targets).toEqual([]);
  });

  it('takes a burst of emitted events together, and settles once they are done', async () => {
    clock.set('2026-03-04T09:00:00Z');
    const tickets = await Promise.all(Array.from({ length: 20 }, (_, i) => ticket(`burst ${i}`)));
    const engine = t.app.get(SlaEngine);
    const calls = jest.spyOn(engine, 'reconcileMany');
    try {
      await Promise.all(tickets.map(({ id }) => publish(t.app, [{ name: 'ticket.created', payload: { ticketId: id } }])));
      await reactions(t.app);
      // The first commit starts a batch; the ones committed while it runs wait and go together in the next.
      expect(calls.mock.calls.length).toBeLessThanOrEqual(2);
      for (const { id } of tickets) expect((await steps.sla(id)).targets).toHaveLength(2);
    } finally {
      calls.mockRestore();
    }
  });
});
