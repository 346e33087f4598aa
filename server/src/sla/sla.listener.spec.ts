import { Logger } from '@nestjs/common';
import type { DomainEvent } from '../common/domain-events';
import type { MessageRef, SlaEngine } from './sla-engine.service';
import { SlaListener } from './sla.listener';

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
  return { calls, listener: new SlaListener(engine as unknown as SlaEngine) };
}

const created = (ticketId: string): DomainEvent => ({ name: 'ticket.created', payload: { ticketId } });

describe('SlaListener', () => {
  let logged: jest.SpyInstance[];
  beforeEach(() => (logged = [jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined), jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)]));
  afterEach(() => logged.forEach((spy) => spy.mockRestore()));

  it('takes a batch as one call per event name, names in order of first occurrence, and skips changes that move no clock', async () => {
    const { calls, listener } = fakeEngine();
    await listener.handle([
      created('a'),
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm1' } },
      { name: 'ticket.updated', payload: { ticketId: 'b', eventIds: [], changed: ['status.changed'] } },
      { name: 'ticket.updated', payload: { ticketId: 'c', eventIds: [], changed: ['assignee.changed'] } },
      { name: 'message.created', payload: { ticketId: 'a', messageId: 'm2' } },
    ]);
    expect(calls).toEqual(['reconcile a', 'messages a/m1,a/m2', 'reconcile b']);
  });

  it('keeps an engine call to 500 tickets', async () => {
    const { calls, listener } = fakeEngine();
    await listener.handle(Array.from({ length: 501 }, (_, index) => created(`t${index}`)));
    expect(calls.map((call) => call.split(',').length)).toEqual([500, 1]);
  });

  it('retries a failed call ticket by ticket, each ticket with its messages in order, and fails the batch for the bad ticket alone', async () => {
    const { calls, listener } = fakeEngine(['bad']);
    await expect(
      listener.handle([
        { name: 'message.created', payload: { ticketId: 'a', messageId: 'm1' } },
        { name: 'message.created', payload: { ticketId: 'bad', messageId: 'm2' } },
        { name: 'message.created', payload: { ticketId: 'a', messageId: 'm3' } },
        { name: 'message.created', payload: { ticketId: 'c', messageId: 'm4' } },
      ]),
    ).rejects.toThrow('SLA update of 1 ticket(s) failed');
    expect(calls).toEqual(['messages a/m1,bad/m2,a/m3,c/m4', 'messages a/m1,a/m3', 'messages bad/m2', 'messages c/m4']);

    // The next batch runs as usual.
    await listener.handle([created('d')]);
    expect(calls.at(-1)).toBe('reconcile d');
  });
});
