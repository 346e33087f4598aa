import type { SubscriptionEvent } from '../../../contracts/customers';
import { subscriptionChanges, type SubscriptionFacts } from './subscription-rules';

const none: SubscriptionFacts = {
  subscriptionStatus: 'none',
  subscriptionStartedAt: null,
  currentCycle: null,
  nextRenewalAt: null,
  cancelledAt: null,
  plan: null,
  skippedCycles: 0,
  lifetimeValue: 0,
};

function event(type: SubscriptionEvent['type'], subscription: SubscriptionEvent['subscription'] = {}): SubscriptionEvent {
  return { id: `evt-${type}`, type, occurredAt: '2031-03-01T10:00:00.000Z', customer: { email: 'ann@example.com' }, subscription };
}

describe('subscription events', () => {
  it('starts a subscription in cycle 1 and adds what was charged', () => {
    expect(subscriptionChanges(none, event('created', { plan: 'Beans 1kg', amount: 24.5, nextRenewalAt: '2031-03-31T10:00:00.000Z' }))).toEqual({
      subscriptionStatus: 'active',
      subscriptionStartedAt: new Date('2031-03-01T10:00:00.000Z'),
      currentCycle: 1,
      skippedCycles: 0,
      cancelledAt: null,
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
});
