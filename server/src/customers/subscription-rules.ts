import type { CancellationKind, SubscriptionEvent, SubscriptionEventType } from '../../../contracts/customers';
import type { Customer } from './customer.entity';

export type SubscriptionFacts = Pick<
  Customer,
  'subscriptionStatus' | 'subscriptionStartedAt' | 'currentCycle' | 'nextRenewalAt' | 'cancelledAt' | 'cancellationKind' | 'cancellationReason' | 'subscriptionStateAt' | 'plan' | 'skippedCycles' | 'lifetimeValue'
>;

/**
 * What one subscription event changes on the customer. Events apply in the order they happened: one that
 * happened before the newest state already applied (a webhook delivered late) only adds what it charged and,
 * if it is the start, the start date; fields the event leaves out keep their values.
 */
export function subscriptionChanges(current: SubscriptionFacts, event: SubscriptionEvent): Partial<Customer> {
  const occurredAt = new Date(event.occurredAt);
  const { plan, cycle, nextRenewalAt, amount, currency } = event.subscription;
  // The currency is the customer's, whenever an event names it (a late one too): the lifetime value is in it.
  const lifetimeValue = { ...(amount ? { lifetimeValue: Math.round((Number(current.lifetimeValue) + amount) * 100) / 100 } : {}), ...(currency ? { currency } : {}) };
  if (current.subscriptionStateAt && occurredAt < current.subscriptionStateAt) {
    const earlierStart = event.type === 'created' && (current.subscriptionStartedAt === null || occurredAt < current.subscriptionStartedAt);
    return { ...lifetimeValue, ...(earlierStart ? { subscriptionStartedAt: occurredAt } : {}) };
  }
  const changes: Partial<Customer> = { ...lifetimeValue, subscriptionStateAt: occurredAt };
  if (plan !== undefined) changes.plan = plan;
  if (nextRenewalAt !== undefined) changes.nextRenewalAt = nextRenewalAt === null ? null : new Date(nextRenewalAt);
  const notCancelled = { cancelledAt: null, cancellationKind: null, cancellationReason: null };
  switch (event.type) {
    case 'created':
      return { ...changes, ...notCancelled, subscriptionStatus: 'active', subscriptionStartedAt: occurredAt, currentCycle: cycle ?? 1, skippedCycles: 0 };
    case 'renewed':
      return { ...changes, subscriptionStatus: 'active', currentCycle: cycle ?? (current.currentCycle ?? 0) + 1, skippedCycles: 0 };
    case 'skipped':
      return { ...changes, skippedCycles: current.skippedCycles + 1 };
    case 'paused':
      return { ...changes, subscriptionStatus: 'paused' };
    case 'cancelled':
      return {
        ...changes,
        subscriptionStatus: 'cancelled',
        cancelledAt: occurredAt,
        cancellationKind: event.cancellation?.kind ?? null,
        cancellationReason: event.cancellation?.reason ?? null,
      };
    case 'reactivated':
      return { ...changes, ...notCancelled, subscriptionStatus: 'active', skippedCycles: 0, subscriptionStartedAt: current.subscriptionStartedAt ?? occurredAt };
  }
}

export interface TimedSubscriptionEvent {
  type: SubscriptionEventType;
  occurredAt: Date;
  /** The kind is unknown for imported cancellations that did not say. */
  cancellation: { kind: CancellationKind | null; reason?: string } | null;
}

export interface Spell {
  startedAt: Date;
  endedAt: Date | null;
  cancellationKind: CancellationKind | null;
  cancellationReason: string | null;
  firstRenewalAt: Date | null;
}

/**
 * A customer's stretches of being a subscriber, from their events in the order they happened (the caller sorts):
 * a start (created, reactivated, or a renewal while none is open) opens one, a cancellation closes it.
 * Pauses and skips do not end a subscription; a second start while one is open changes nothing.
 */
export function subscriptionSpells(events: TimedSubscriptionEvent[]): Spell[] {
  const spells: Spell[] = [];
  let open: Spell | null = null;
  for (const event of events) {
    if (event.type === 'cancelled') {
      if (open) {
        open.endedAt = event.occurredAt;
        open.cancellationKind = event.cancellation?.kind ?? null;
        open.cancellationReason = event.cancellation?.reason ?? null;
        open = null;
      }
      continue;
    }
    if (!open && (event.type === 'created' || event.type === 'reactivated' || event.type === 'renewed')) {
      // Two events at the same instant cannot make two spells with the same key.
      const last = spells.at(-1);
      if (last && last.endedAt && last.endedAt.getTime() === event.occurredAt.getTime()) {
        Object.assign(last, { endedAt: null, cancellationKind: null, cancellationReason: null });
        open = last;
      } else {
        open = { startedAt: event.occurredAt, endedAt: null, cancellationKind: null, cancellationReason: null, firstRenewalAt: null };
        spells.push(open);
      }
      if (event.type !== 'renewed') continue;
    }
    if (open && event.type === 'renewed' && open.firstRenewalAt === null && event.occurredAt > open.startedAt) open.firstRenewalAt = event.occurredAt;
  }
  return spells;
}
