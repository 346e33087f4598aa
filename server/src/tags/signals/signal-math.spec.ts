import { assessPattern, binomialUpperTail, compareSignals } from './signal-math';

const thresholds = { risingMinRatio: 1.5, risingMaxPValue: 0.001, recurringWeeklyMin: 5, recurringWeeks: 4 };
const flags = 0;

describe('binomialUpperTail', () => {
  it('matches exact binomial tails', () => {
    // P(X >= 3), X ~ Bin(10, 0.5) = 1 - (1 + 10 + 45) / 1024
    expect(binomialUpperTail(3, 10, 0.5)).toBeCloseTo(1 - 56 / 1024, 10);
    expect(binomialUpperTail(4, 4, 1 / 9)).toBeCloseTo((1 / 9) ** 4, 12);
    expect(binomialUpperTail(0, 5, 0.3)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.3)).toBe(0);
  });

  it('agrees with the exact tail where it switches to the normal approximation', () => {
    // Bin(1000, 0.5): variance 250. P(X >= 550) ≈ 0.000865 (exact 0.000865…).
    expect(binomialUpperTail(550, 1000, 0.5)).toBeCloseTo(0.000865, 4);
  });
});

describe('assessPattern', () => {
  it('finds a sharp rise over a steady baseline significant', () => {
    const assessment = assessPattern({ weeksAgo: [40, 10, 10, 10, 10, 10, 10, 10, 10], flags }, thresholds);
    expect(assessment).toMatchObject({ volume: 40, baselineWeekly: 10, changePct: 300, rising: true });
    expect(assessment.pValue).toBeLessThan(1e-8);
    expect(assessment.zScore).toBeGreaterThan(5);
  });

  it('does not call a flat tag rising, however large, nor noise on a small one', () => {
    expect(assessPattern({ weeksAgo: Array(12).fill(300), flags }, thresholds).rising).toBe(false);
    // 5 against a mean of 2: ratio 2.5, but p ≈ 0.03, which a week of noise reaches often.
    const noisy = assessPattern({ weeksAgo: [5, 2, 1, 3, 2, 2, 1, 3, 2], flags }, thresholds);
    expect(noisy.pValue).toBeGreaterThan(0.001);
    expect(noisy.rising).toBe(false);
  });

  it('calls a pattern recurring when every recent week is above the threshold', () => {
    expect(assessPattern({ weeksAgo: [6, 5, 7, 5, 0, 0, 0, 0, 0], flags }, thresholds).recurring).toBe(true);
    expect(assessPattern({ weeksAgo: [6, 5, 4, 5, 9, 9, 9, 9, 9], flags }, thresholds).recurring).toBe(false);
  });

  it('ranks rising before recurring, and the stronger rise first', () => {
    const strong = { ...assessPattern({ weeksAgo: [60, 10, 10, 10, 10, 10, 10, 10, 10], flags }, thresholds), flags };
    const weak = { ...assessPattern({ weeksAgo: [30, 10, 10, 10, 10, 10, 10, 10, 10], flags }, thresholds), flags };
    const steady = { ...assessPattern({ weeksAgo: Array(12).fill(300), flags }, thresholds), flags };
    expect([steady, weak, strong].sort(compareSignals)).toEqual([strong, weak, steady]);
  });
});
