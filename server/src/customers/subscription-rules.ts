import type { SubscriptionEvent } from '../../../contracts/customers';
import type { Customer } from './customer.entity';

export type SubscriptionFacts = Pick<Customer, 'subscriptionStatus' | 'subscriptionStartedAt' | 'currentCycle' | 'nextRenewalAt' | 'cancelledAt' | 'plan' | 'skippedCycles' | 'lifetimeValue'>;

/**
 * What one subscription event changes on the customer. Events are applied in the order they arrive;
 * fields the event leaves out keep their values.
 */
export function subscriptionChanges(current: SubscriptionFacts, event: SubscriptionEvent): Partial<Customer> {
  const occurredAt = new Date(event.occurredAt);
  const { plan, cycle, nextRenewalAt, amount } = event.subscription;
  const changes: Partial<Customer> = {};
  if (plan !== undefined) changes.plan = plan;
  if (nextRenewalAt !== undefined) changes.nextRenewalAt = nextRenewalAt === null ? null : new Date(nextRenewalAt);
  if (amount) changes.lifetimeValue = Math.round((Number(current.lifetimeValue) + amount) * 100) / 100;
  switch (event.type) {
    case 'created':
      return { ...changes, subscriptionStatus: 'active', subscriptionStartedAt: occurredAt, currentCycle: cycle ?? 1, skippedCycles: 0, cancelledAt: null };
    case 'renewed':
      return { ...changes, subscriptionStatus: 'active', currentCycle: cycle ?? (current.currentCycle ?? 0) + 1, skippedCycles: 0 };
    case 'skipped':
      return { ...changes, skippedCycles: current.skippedCycles + 1 };
    case 'paused':
      return { ...changes, subscriptionStatus: 'paused' };
    case 'cancelled':
      return { ...changes, subscriptionStatus: 'cancelled', cancelledAt: occurredAt };
    case 'reactivated':
      return { ...changes, subscriptionStatus: 'active', cancelledAt: null, skippedCycles: 0, subscriptionStartedAt: current.subscriptionStartedAt ?? occurredAt };
  }
}
