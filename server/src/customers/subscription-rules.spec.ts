import type { SubscriptionEvent } from '../../../contracts/customers';
import { subscriptionChanges, subscriptionSpells, type SubscriptionFacts, type TimedSubscriptionEvent } from './subscription-rules';

const none: SubscriptionFacts = {
  subscriptionStatus: 'none',
  subscriptionStartedAt: null,
  currentCycle: null,
  nextRenewalAt: null,
  cancelledAt: null,
  cancellationKind: null,
  cancellationReason: null,
  subscriptionStateAt: null,
  plan: null,
  skippedCycles: 0,
  lifetimeValue: 0,
};

function event(type: SubscriptionEvent['type'], subscription: SubscriptionEvent['subscription'] = {}, occurredAt = '2031-03-01T10:00:00.000Z'): SubscriptionEvent {
  return { id: `evt-${type}`, type, occurredAt, customer: { email: 'ann@example.com' }, subscription };
}
/** Applies events one after the other, in the order given (the order they arrive). */
const arrive = (start: SubscriptionFacts, ...events: SubscriptionEvent[]) => events.reduce<SubscriptionFacts>((facts, next) => ({ ...facts, ...subscriptionChanges(facts, next) }), start);

describe('subscription events', () => {
  it('starts a subscription in cycle 1 and adds what was charged', () => {
    expect(subscriptionChanges(none, event('created', { plan: 'Beans 1kg', amount: 24.5, nextRenewalAt: '2031-03-31T10:00:00.000Z' }))).toEqual({
      subscriptionStatus: 'active',
      subscriptionStartedAt: new Date('2031-03-01T10:00:00.000Z'),
      currentCycle: 1,
      skippedCycles: 0,
      cancelledAt: null,
      cancellationKind: null,
      cancellationReason: null,
      subscriptionStateAt: new Date('2031-03-01T10:00:00.000Z'),
      plan: 'Beans 1kg',
      lifetimeValue: 24.5,
      nextRenewalAt: new Date('2031-03-31T10:00:00.000Z'),
    });
  });

  it('counts skips in a row and resets them at the next renewal, which moves to the next cycle', () => {
    const active = { ...none, subscriptionStatus: 'active' as const, currentCycle: 2, lifetimeValue: 49 };
    const skipped = { ...active, ...subscriptionChanges(active, event('skipped')) };
    const twice = { ...skipped, ...subscriptionChanges(skipped, event('skipped')) };
    expect(twice.skippedCycles).toBe(2);
    expect(subscriptionChanges(twice, event('renewed', { amount: 24.5 }))).toMatchObject({ currentCycle: 3, skippedCycles: 0, lifetimeValue: 73.5 });
  });

  it('records the cancellation date and clears it on reactivation', () => {
    const active = { ...none, subscriptionStatus: 'active' as const, subscriptionStartedAt: new Date('2031-01-01T00:00:00Z'), currentCycle: 3 };
    const cancelled = { ...active, ...subscriptionChanges(active, event('cancelled')) };
    expect(cancelled).toMatchObject({ subscriptionStatus: 'cancelled', cancelledAt: new Date('2031-03-01T10:00:00.000Z') });
    expect(subscriptionChanges(cancelled, event('reactivated'))).toMatchObject({ subscriptionStatus: 'active', cancelledAt: null, subscriptionStartedAt: active.subscriptionStartedAt });
  });

  it('keeps how and why a subscription was cancelled', () => {
    const cancelled = arrive(none, event('created'), { ...event('cancelled', {}, '2031-04-01T10:00:00.000Z'), cancellation: { kind: 'involuntary', reason: 'card declined' } });
    expect(cancelled).toMatchObject({ subscriptionStatus: 'cancelled', cancellationKind: 'involuntary', cancellationReason: 'card declined' });
    expect(arrive(cancelled, event('reactivated', {}, '2031-05-01T10:00:00.000Z'))).toMatchObject({ subscriptionStatus: 'active', cancellationKind: null, cancellationReason: null });
  });

  it('ends in the newest state when a renewal arrives after the later cancellation', () => {
    const created = arrive(none, event('created', { amount: 20 }, '2031-01-01T10:00:00.000Z'));
    const late = arrive(created, event('cancelled', {}, '2031-03-05T10:00:00.000Z'), event('renewed', { amount: 20, cycle: 3 }, '2031-03-01T10:00:00.000Z'));
    expect(late).toMatchObject({ subscriptionStatus: 'cancelled', cancelledAt: new Date('2031-03-05T10:00:00.000Z'), currentCycle: 1, lifetimeValue: 40 });
  });

  it('ends in the newest state when a cancellation arrives after the later renewal', () => {
    const created = arrive(none, event('created', {}, '2031-01-01T10:00:00.000Z'));
    const late = arrive(created, event('renewed', { cycle: 3 }, '2031-03-05T10:00:00.000Z'), event('cancelled', {}, '2031-03-01T10:00:00.000Z'));
    expect(late).toMatchObject({ subscriptionStatus: 'active', cancelledAt: null, currentCycle: 3, subscriptionStateAt: new Date('2031-03-05T10:00:00.000Z') });
  });

  it('takes an earlier start from a late creation event', () => {
    const renewedFirst = arrive(none, event('renewed', { cycle: 2 }, '2031-02-01T10:00:00.000Z'), event('created', {}, '2031-01-01T10:00:00.000Z'));
    expect(renewedFirst).toMatchObject({ subscriptionStatus: 'active', currentCycle: 2, subscriptionStartedAt: new Date('2031-01-01T10:00:00.000Z') });
  });
});

describe('subscription spells', () => {
  const at = (day: string) => new Date(`${day}T00:00:00.000Z`);
  const timed = (type: TimedSubscriptionEvent['type'], day: string, cancellation: TimedSubscriptionEvent['cancellation'] = null): TimedSubscriptionEvent => ({ type, occurredAt: at(day), cancellation });

  it('opens at a start, notes the first renewal and closes at a cancellation with its kind', () => {
    const spells = subscriptionSpells([
      timed('created', '2031-01-01'),
      timed('skipped', '2031-01-20'),
      timed('renewed', '2031-02-01'),
      timed('renewed', '2031-03-01'),
      timed('cancelled', '2031-03-10', { kind: 'voluntary', reason: 'too much coffee' }),
      timed('reactivated', '2031-06-01'),
      timed('paused', '2031-07-01'),
    ]);
    expect(spells).toEqual([
      { startedAt: at('2031-01-01'), endedAt: at('2031-03-10'), cancellationKind: 'voluntary', cancellationReason: 'too much coffee', firstRenewalAt: at('2031-02-01') },
      { startedAt: at('2031-06-01'), endedAt: null, cancellationKind: null, cancellationReason: null, firstRenewalAt: null },
    ]);
  });

  it('ignores a cancellation with nothing open and a second start while one is open', () => {
    expect(subscriptionSpells([timed('cancelled', '2031-01-01'), timed('created', '2031-02-01'), timed('created', '2031-02-05')])).toEqual([
      { startedAt: at('2031-02-01'), endedAt: null, cancellationKind: null, cancellationReason: null, firstRenewalAt: null },
    ]);
  });
});
