import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvents, type DomainEvent } from '../common/domain-events';
import type { MessageRef, SlaEngine } from './sla-engine.service';
import { SlaListener } from './sla-listener';

/** An engine that records its calls and fails any call with a ticket in `failing`. */
function fakeEngine(failing: string[] = []) {
  const calls: string[] = [];
  const call = async (kind: string, ticketIds: string[], items: string[]) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    calls.push(`${kind} ${items.join(',')}`);
    if (ticketIds.some((id) => failing.includes(id))) throw new Error('bad ticket');
  };
  const engine = {
    reconcileMany: (ids: string[]) => call('reconcile', ids, ids),
    onMessages: (refs: MessageRef[]) =>
      call(
        'messages',
        refs.map((ref) => ref.ticketId),
        refs.map((ref) => `${ref.ticketId}/${ref.messageId}`),
      ),
  };
  return { calls, engine: engine as unknown as SlaEngine };
}

function setUp(failing?: string[]) {
  const events = new DomainEvents(new EventEmitter2());
  const { calls, engine } = fakeEngine(failing);
  return { calls, events, listener: new SlaListener(engine, events) };
}

describe('SlaListener', () => {
  let errors: jest.SpyInstance;
  beforeEach(() => (errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)));
  afterEach(() => errors.mockRestore());

  it('takes a delivered batch as one call per event name, and skips changes that move no clock', async () => {
    const { calls, events } = setUp();
    const batch: DomainEvent[] = [
      { name: 'ticket.created', payload: { ticketId: 'a' } },
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm1' } },
      { name: 'ticket.updated', payload: { ticketId: 'b', eventIds: [], changed: ['status.changed'] } },
      { name: 'ticket.updated', payload: { ticketId: 'c', eventIds: [], changed: ['assignee.changed'] } },
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm2' } },
    ];
    await events.deliver(batch);
    // Names in order of first occurrence, as DomainEvents delivers them.
    expect(calls).toEqual(['reconcile a', 'messages a/m1,a/m2', 'reconcile b']);
  });

  it('coalesces a burst of emitted events into batches, keeping kinds in order, and settles after them', async () => {
    const { calls, events, listener } = setUp();
    for (let i = 0; i < 3; i++) events.emit('ticket.updated', { ticketId: `t${i}`, eventIds: [], changed: ['priority.changed'] });
    events.emit('message.created', { ticketId: 't0', messageId: 'm' });
    events.emit('ticket.created', { ticketId: 't3' });
    await listener.settled();
    expect(calls).toEqual(['reconcile t0,t1,t2', 'messages t0/m', 'reconcile t3']);

    // Events arriving while a batch runs wait for the next one, together.
    events.emit('ticket.created', { ticketId: 'u0' });
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 1; i < 4; i++) events.emit('ticket.created', { ticketId: `u${i}` });
    await listener.onApplicationShutdown();
    expect(calls.slice(3)).toEqual(['reconcile u0', 'reconcile u1,u2,u3']);
  });

  it('keeps a batch to 500 tickets', async () => {
    const { calls, events, listener } = setUp();
    for (let i = 0; i < 501; i++) events.emit('ticket.created', { ticketId: `t${i}` });
    await listener.settled();
    expect(calls.map((call) => call.split(',').length)).toEqual([500, 1]);
  });

  it('retries a failed batch ticket by ticket, each ticket with its messages in order, and logs the failures', async () => {
    const { calls, events } = setUp(['bad']);
    await events.deliver([
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm1' } },
      { name: 'message.created', payload: { ticketId: 'bad', messageId: 'm2' } },
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm3' } },
      { name: 'message.created', payload: { ticketId: 'c', messageId: 'm4' } },
    ]);
    expect(calls).toEqual(['messages a/m1,bad/m2,a/m3,c/m4', 'messages a/m1,a/m3', 'messages bad/m2', 'messages c/m4']);
    expect(errors.mock.calls.map(([text]) => String(text).split(':')[0])).toEqual(['SLA update of 3 ticket(s) failed, retrying ticket by ticket', 'SLA update of ticket bad failed']);

    // The next batch runs as usual.
    await events.deliver([{ name: 'ticket.created', payload: { ticketId: 'd' } }]);
    expect(calls.at(-1)).toBe('reconcile d');
  });
});
