import { computeImpact, WEEK_MS } from './impact';

const shippedAt = new Date('2026-03-02T00:00:00Z');

describe('computeImpact', () => {
  it('compares full weeks before and after the shipped day, in tickets and per 100 subscribers', () => {
    const counts = [
      ...[-4, -3, -2, -1].map((offset) => ({ offset, tickets: 20, activeSubscribers: 200 })),
      ...[0, 1, 2].map((offset) => ({ offset, tickets: 10, activeSubscribers: 250 })),
      { offset: 3, tickets: 1, activeSubscribers: 250 },
    ];
    const now = new Date(shippedAt.getTime() + 3 * WEEK_MS + 86_400_000);
    const impact = computeImpact(counts, shippedAt, shippedAt, now);
    expect(impact.before).toEqual({ weekly: 20, ratePer100: 10, weeks: 4 });
    expect(impact.after).toEqual({ weekly: 10, ratePer100: 4, weeks: 3 });
    expect(impact.changePct).toBe(-50);
    expect(impact.changePctPer100).toBeCloseTo(-60);
    expect(impact.weeks.at(-1)).toMatchObject({ offset: 3, partial: true });
    expect(impact.weeks[0]).toMatchObject({ weekStart: new Date(shippedAt.getTime() - 4 * WEEK_MS).toISOString(), ratePer100: 10, partial: false });
  });

  it('takes the trailing baseline weeks before the shipped day as the before-side, however many the chart shows', () => {
    const counts = [...Array.from({ length: 12 }, (_, index) => ({ offset: index - 12, tickets: index < 4 ? 0 : 20, activeSubscribers: 100 })), { offset: 0, tickets: 5, activeSubscribers: 100 }];
    const impact = computeImpact(counts, shippedAt, shippedAt, new Date(shippedAt.getTime() + WEEK_MS));
    expect(impact.before).toEqual({ weekly: 20, ratePer100: 20, weeks: 8 });
    expect(impact.changePct).toBe(-75);
  });

  it('has no change until a full week has passed after shipping, and none without a shipped day', () => {
    const counts = [{ offset: -1, tickets: 5, activeSubscribers: 0 }, { offset: 0, tickets: 1, activeSubscribers: 0 }];
    const justShipped = computeImpact(counts, shippedAt, shippedAt, new Date(shippedAt.getTime() + 86_400_000));
    expect(justShipped.changePct).toBeNull();
    expect(justShipped.before.ratePer100).toBeNull();
    expect(computeImpact(counts, shippedAt, null, new Date(shippedAt.getTime() + 2 * WEEK_MS)).after).toEqual({ weekly: null, ratePer100: null, weeks: 0 });
  });
});
