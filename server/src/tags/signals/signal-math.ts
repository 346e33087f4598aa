/**
 * The statistics behind signals. A pattern's current window (7 days) is compared with its trailing baseline
 * (the 8 weeks before) by the conditional binomial test for two Poisson counts (Przyborowski and Wilenski 1940):
 * if the rate has not changed, then given the total n of both periods, the window's count x is
 * Binomial(n, w / (w + b)) where w and b are the periods' lengths. That accounts for noise in the baseline as well
 * as in the window, needs no estimate of the rate, and stays exact for the small counts most tags have.
 */
import { SIGNAL_BASELINE_WEEKS, SIGNAL_MIN_TICKETS, type SignalDto } from '../../../../contracts/care';

export const WINDOW_DAYS = 7;
export const BASELINE_WEEKS = SIGNAL_BASELINE_WEEKS;
/** Below this many tickets in the window, nothing is a pattern yet, whatever the ratio. */
export const MIN_SIGNAL_VOLUME = SIGNAL_MIN_TICKETS;
/** Flags from this many agents make a pattern a signal on their own. */
export const MIN_FLAGS = 2;
/** Above this variance the normal approximation (with continuity correction) is within rounding of the exact tail. */
const NORMAL_APPROXIMATION_VARIANCE = 100;

export interface SignalThresholds {
  risingMinRatio: number;
  risingMaxPValue: number;
  recurringWeeklyMin: number;
  recurringWeeks: number;
}

export interface PatternCounts {
  /** Tickets per 7-day week, newest first: index 0 is the current window. */
  weeksAgo: number[];
  flags: number;
}

export type PatternAssessment = Pick<SignalDto, 'volume' | 'baselineWeekly' | 'changePct' | 'zScore' | 'pValue' | 'rising' | 'recurring'> & { flagged: boolean };

/** ln Γ(x) by the Lanczos approximation (g = 7, 9 terms): 15 significant digits for x > 0. */
function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0];
  for (let index = 1; index < coefficients.length; index++) sum += coefficients[index] / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Standard normal upper tail, by the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** P(X >= k) for X ~ Binomial(n, p): exact for small variance, normal with continuity correction beyond. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const variance = n * p * (1 - p);
  if (variance > NORMAL_APPROXIMATION_VARIANCE) return normalUpperTail((k - 0.5 - n * p) / Math.sqrt(variance));
  const logChooseBase = logGamma(n + 1);
  let tail = 0;
  for (let successes = k; successes <= n; successes++) {
    const logTerm = logChooseBase - logGamma(successes + 1) - logGamma(n - successes + 1) + successes * Math.log(p) + (n - successes) * Math.log1p(-p);
    const term = Math.exp(logTerm);
    tail += term;
    // Past the mean the terms only shrink; once negligible the rest cannot matter.
    if (successes > n * p && term < tail * 1e-12) break;
  }
  return Math.min(1, tail);
}

/** Compares the current window with the trailing baseline and checks the recurring rule. */
export function assessPattern(counts: PatternCounts, thresholds: SignalThresholds): PatternAssessment {
  const week = (index: number) => counts.weeksAgo[index] ?? 0;
  const volume = week(0);
  let baselineTotal = 0;
  for (let index = 1; index <= BASELINE_WEEKS; index++) baselineTotal += week(index);
  const baselineWeekly = baselineTotal / BASELINE_WEEKS;

  const total = volume + baselineTotal;
  const windowShare = 1 / (1 + BASELINE_WEEKS);
  const standardDeviation = Math.sqrt(total * windowShare * (1 - windowShare));
  const zScore = standardDeviation > 0 ? (volume - total * windowShare) / standardDeviation : 0;
  const pValue = binomialUpperTail(volume, total, windowShare);
  const ratio = baselineWeekly > 0 ? volume / baselineWeekly : volume > 0 ? Infinity : 0;

  let recurring = thresholds.recurringWeeks > 0;
  for (let index = 0; index < thresholds.recurringWeeks; index++) recurring &&= week(index) >= thresholds.recurringWeeklyMin;

  return {
    volume,
    baselineWeekly,
    changePct: baselineWeekly > 0 ? ((volume - baselineWeekly) / baselineWeekly) * 100 : null,
    zScore,
    pValue,
    rising: volume >= MIN_SIGNAL_VOLUME && ratio >= thresholds.risingMinRatio && pValue <= thresholds.risingMaxPValue,
    recurring: recurring && volume >= MIN_SIGNAL_VOLUME,
    flagged: counts.flags >= MIN_FLAGS,
  };
}

/** A pattern worth showing: rising, recurring, or flagged by agents. */
export const isSignal = (assessment: PatternAssessment) => assessment.rising || assessment.recurring || assessment.flagged;

/** Rising first (most significant first), then recurring by volume, then flagged by flags; more flags break ties. */
export function compareSignals(a: PatternAssessment & { flags: number }, b: PatternAssessment & { flags: number }): number {
  const tier = (signal: PatternAssessment) => (signal.rising ? 0 : signal.recurring ? 1 : 2);
  return tier(a) - tier(b) || (tier(a) === 0 ? b.zScore - a.zScore : 0) || b.volume - a.volume || b.flags - a.flags;
}
