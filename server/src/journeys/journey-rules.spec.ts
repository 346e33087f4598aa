import { capReleasedAt, conditionHolds, sendableAt, stepAfter, waitUntil, type ConditionFacts } from './journey-rules';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  const quiet = { start: 21, end: 8 };

  it('holds an email sent at night in the customer zone until the morning there', () => {
    // 23:30 in Paris (CET, UTC+1) → 08:00 Paris the next day.
    expect(sendableAt(at('2031-01-14T22:30:00Z'), 'Europe/Paris', quiet)).toEqual(at('2031-01-15T07:00:00Z'));
    // 06:00 in New York → 08:00 the same day.
    expect(sendableAt(at('2031-01-14T11:00:00Z'), 'America/New_York', quiet)).toEqual(at('2031-01-14T13:00:00Z'));
  });

  it('lets daytime email go at once, and everything when quiet hours are off', () => {
    expect(sendableAt(at('2031-01-14T12:00:00Z'), 'Europe/Paris', quiet)).toEqual(at('2031-01-14T12:00:00Z'));
    expect(sendableAt(at('2031-01-14T23:00:00Z'), 'UTC', { start: null, end: null })).toEqual(at('2031-01-14T23:00:00Z'));
  });

  it('handles a quiet window inside one day', () => {
    expect(sendableAt(at('2031-01-14T13:30:00Z'), 'UTC', { start: 12, end: 14 })).toEqual(at('2031-01-14T14:00:00Z'));
  });
});

describe('waits', () => {
  it('waits calendar days in the customer zone across a DST change', () => {
    // Paris moves to summer time on 2031-03-30: 7 days later is still 10:00 local.
    expect(waitUntil({ mode: 'duration', days: 7, hours: 0, minutes: 0 }, at('2031-03-27T09:00:00Z'), 'Europe/Paris', null)).toEqual(at('2031-04-03T08:00:00Z'));
  });

  it('waits until business hours on a weekday', () => {
    const businessHours = { mode: 'until' as const, weekdays: [1, 2, 3, 4, 5], fromHour: 9, toHour: 17 };
    // Saturday 2031-01-18 15:00 UTC → Monday 09:00.
    expect(waitUntil(businessHours, at('2031-01-18T15:00:00Z'), 'UTC', null)).toEqual(at('2031-01-20T09:00:00Z'));
    // Tuesday 10:00 is inside: no wait.
    expect(waitUntil(businessHours, at('2031-01-14T10:00:00Z'), 'UTC', null)).toEqual(at('2031-01-14T10:00:00Z'));
    // Friday 18:00 → Monday 09:00.
    expect(waitUntil(businessHours, at('2031-01-17T18:00:00Z'), 'UTC', null)).toEqual(at('2031-01-20T09:00:00Z'));
  });

  it('waits until some days before the renewal, or not at all when that has passed', () => {
    const wait = { mode: 'before_renewal' as const, days: 3 };
    expect(waitUntil(wait, at('2031-01-01T10:00:00Z'), 'UTC', at('2031-01-31T10:00:00Z'))).toEqual(at('2031-01-28T10:00:00Z'));
    expect(waitUntil(wait, at('2031-01-30T10:00:00Z'), 'UTC', at('2031-01-31T10:00:00Z'))).toEqual(at('2031-01-30T10:00:00Z'));
    expect(waitUntil(wait, at('2031-01-30T10:00:00Z'), 'UTC', null)).toEqual(at('2031-01-30T10:00:00Z'));
  });
});

describe('frequency cap', () => {
  it('allows the next email once the oldest counted one is a week old', () => {
    const now = at('2031-01-10T12:00:00Z');
    const recent = [at('2031-01-04T09:00:00Z'), at('2031-01-06T09:00:00Z'), at('2031-01-09T09:00:00Z')];
    expect(capReleasedAt(recent, 3, now)).toEqual(at('2031-01-11T09:00:00Z'));
    expect(capReleasedAt(recent, 4, now)).toBeNull();
    expect(capReleasedAt([at('2031-01-01T09:00:00Z'), ...recent.slice(1)], 3, now)).toBeNull();
  });
});

describe('branch conditions', () => {
  const facts: ConditionFacts = {
    subscriptionStatus: 'active',
    plan: 'Beans 1kg',
    currentCycle: 1,
    skippedCycles: 0,
    lifetimeValue: 120.5,
    customerTags: ['vip'],
    hasOpenTicket: true,
    ticketStatus: 'open',
    ticketTags: ['damaged'],
  };

  it('compares customer fields, tags and ticket state', () => {
    expect(conditionHolds({ field: 'lifetime_value', op: 'gte', value: 100 }, facts)).toBe(true);
    expect(conditionHolds({ field: 'current_cycle', op: 'gt', value: 1 }, facts)).toBe(false);
    expect(conditionHolds({ field: 'plan', op: 'eq', value: 'Beans 1kg' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'customer_tag', op: 'eq', value: 'VIP' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'ticket_tag', op: 'neq', value: 'damaged' }, facts)).toBe(false);
    expect(conditionHolds({ field: 'has_open_ticket', op: 'eq', value: true }, facts)).toBe(true);
    expect(conditionHolds({ field: 'ticket_status', op: 'neq', value: 'solved' }, facts)).toBe(true);
    expect(conditionHolds({ field: 'plan', op: 'gt', value: 3 }, { ...facts, plan: null })).toBe(false);
  });

  it('follows branch targets forward', () => {
    const steps = [
      { id: 'a', type: 'tag' as const, tag: 'x' },
      { id: 'b', type: 'tag' as const, tag: 'y' },
    ];
    expect(stepAfter(steps, 0)).toBe('b');
    expect(stepAfter(steps, 1)).toBeNull();
    expect(stepAfter(steps, 0, 'end')).toBeNull();
    expect(stepAfter(steps, 0, 'b')).toBe('b');
  });
});
