import { churnVerdict, npsCounts, proportionDifference, rateDifference, sumIntervals, ticketsPrevented, type PreventionWeek } from './metrics-math';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

describe('care metrics math', () => {
  it("gives Newcombe's published interval for a difference of proportions (56/70 − 48/80)", () => {
    // Newcombe (1998), Statistics in Medicine 17:873, table II, method 10: 0.0524 to 0.3339.
    const difference = proportionDifference(56, 70, 48, 80);
    expect(difference && [round(difference.estimate), round(difference.low), round(difference.high)]).toEqual([0.2, 0.0524, 0.3339]);
  });

  it('keeps a sensible interval when one group has no events at all', () => {
    const difference = proportionDifference(0, 10, 0, 20);
    expect(difference?.estimate).toBe(0);
    expect(difference!.low).toBeLessThan(0);
    expect(difference!.high).toBeGreaterThan(0);
    expect(proportionDifference(1, 0, 1, 10)).toBeNull();
  });

  it('compares ticket rates per customer', () => {
    const difference = rateDifference(50, 100, 100, 100);
    expect(difference?.estimate).toBe(-0.5);
    expect(round(difference!.high - difference!.low, 3)).toBe(round(2 * 1.959963984540054 * Math.sqrt(50 / 10_000 + 100 / 10_000), 3));
  });

  it('recovers a planted 50% drop in tickets after an initiative shipped', () => {
    const week = (side: PreventionWeek['side'], tickets: number): PreventionWeek => ({ side, tickets, activeSubscribers: 2000 });
    const weeks = [...Array.from({ length: 8 }, () => week('before', 60)), ...Array.from({ length: 6 }, () => week('after', 30))];
    const result = ticketsPrevented(weeks);
    expect(result.baselineRatePer100).toBe(3);
    expect(result.expected).toBe(360);
    expect(result.actual).toBe(180);
    expect(result.prevented!.estimate).toBe(180);
    expect(result.prevented!.low).toBeGreaterThan(0);
    expect(result.prevented!.low).toBeLessThan(180);
    expect(result.prevented!.high).toBeGreaterThan(180);
  });

  it('scales the expectation with the subscribers actually active after shipping', () => {
    const result = ticketsPrevented([
      { side: 'before', tickets: 40, activeSubscribers: 1000 },
      { side: 'after', tickets: 80, activeSubscribers: 2000 },
    ]);
    expect(result.expected).toBe(80);
    expect(result.prevented!.estimate).toBe(0);
    expect(ticketsPrevented([{ side: 'before', tickets: 40, activeSubscribers: 1000 }]).prevented).toBeNull();
  });

  it('adds initiatives, their uncertainties in quadrature', () => {
    expect(sumIntervals([{ estimate: 10, low: 7, high: 13 }, { estimate: 5, low: 1, high: 9 }])).toEqual({ estimate: 15, low: 10, high: 20 });
    expect(sumIntervals([])).toBeNull();
  });

  it('says in words what a difference means, and when there is not enough data yet', () => {
    expect(churnVerdict({ estimate: 0.1, low: 0.05, high: 0.15 }, [100, 100], 'openers', 'others')).toBe(
      'Openers churn more than others: 10 points higher within 90 days (95% interval +5 to +15 points).',
    );
    expect(churnVerdict({ estimate: 0.02, low: -0.03, high: 0.07 }, [100, 100], 'openers', 'others')).toMatch(/^No clear difference yet/);
    expect(churnVerdict({ estimate: 0.5, low: 0.2, high: 0.8 }, [12, 100], 'reached customers', 'held-out customers')).toBe(
      'Not enough data yet: 12 reached customers and 100 held-out customers have had their 90 days; at least 30 of each are needed.',
    );
  });
});

describe('NPS', () => {
  it('is % promoters − % detractors, with the counts', () => {
    // 5 promoters, 3 passives, 2 detractors of 10: 50% − 20% = 30.
    expect(npsCounts(5, 3, 2)).toEqual({ answers: 10, promoters: 5, passives: 3, detractors: 2, score: 30 });
    expect(npsCounts(1, 1, 1).score).toBe(0);
    expect(npsCounts(0, 0, 3).score).toBe(-100);
    expect(npsCounts(0, 0, 0).score).toBeNull();
  });
});
