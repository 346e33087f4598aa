import type { IntervalDto, NpsCountsDto } from '../../../../contracts/care-metrics';

/** The two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/** Each group needs at least this many customers before a comparison is shown as more than "not enough data yet". */
export const MIN_GROUP = 30;

/** Wilson score interval of a proportion (well-behaved at 0 and 1, unlike the plain normal one). */
function wilson(events: number, total: number): { low: number; high: number } {
  const p = events / total;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z95 / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The difference of two proportions (a − b) with Newcombe's hybrid score interval (his method 10), which keeps
 * its coverage for small groups and rates near 0; null when a group is empty.
 */
export function proportionDifference(aEvents: number, aTotal: number, bEvents: number, bTotal: number): IntervalDto | null {
  if (aTotal === 0 || bTotal === 0) return null;
  const a = aEvents / aTotal;
  const b = bEvents / bTotal;
  const wa = wilson(aEvents, aTotal);
  const wb = wilson(bEvents, bTotal);
  const estimate = a - b;
  return {
    estimate,
    low: estimate - Math.sqrt((a - wa.low) ** 2 + (wb.high - b) ** 2),
    high: estimate + Math.sqrt((wa.high - a) ** 2 + (b - wb.low) ** 2),
  };
}

/** The difference of two Poisson rates (counts per unit of exposure, a − b), normal approximation; null without exposure. */
export function rateDifference(aCount: number, aExposure: number, bCount: number, bExposure: number): IntervalDto | null {
  if (aExposure <= 0 || bExposure <= 0) return null;
  const estimate = aCount / aExposure - bCount / bExposure;
  const half = Z95 * Math.sqrt(aCount / aExposure ** 2 + bCount / bExposure ** 2);
  return { estimate, low: estimate - half, high: estimate + half };
}

export interface PreventionWeek {
  tickets: number;
  activeSubscribers: number;
  /** Before the initiative shipped (baseline) or after it. */
  side: 'before' | 'after';
}

/**
 * Tickets prevented by an initiative: the baseline rate (tickets per 100 active subscriber-weeks before it
 * shipped) times the active subscriber-weeks since, minus the tickets that came. The interval treats both
 * ticket counts as Poisson: var = (after exposure ÷ before exposure)² × baseline tickets + actual tickets.
 */
export function ticketsPrevented(weeks: PreventionWeek[]): { baselineRatePer100: number | null; expected: number; actual: number; prevented: IntervalDto | null } {
  const sum = (side: PreventionWeek['side'], pick: (week: PreventionWeek) => number) => weeks.filter((week) => week.side === side).reduce((total, week) => total + pick(week), 0);
  const baselineTickets = sum('before', (week) => week.tickets);
  const baselineExposure = sum('before', (week) => week.activeSubscribers) / 100;
  const afterExposure = sum('after', (week) => week.activeSubscribers) / 100;
  const actual = sum('after', (week) => week.tickets);
  if (baselineExposure <= 0) return { baselineRatePer100: null, expected: 0, actual, prevented: null };
  const rate = baselineTickets / baselineExposure;
  const expected = rate * afterExposure;
  if (afterExposure <= 0) return { baselineRatePer100: rate, expected: 0, actual, prevented: null };
  const half = Z95 * Math.sqrt((afterExposure / baselineExposure) ** 2 * baselineTickets + actual);
  return { baselineRatePer100: rate, expected, actual, prevented: { estimate: expected - actual, low: expected - actual - half, high: expected - actual + half } };
}

/** Adds independent estimates (the sum over initiatives); their variances add. */
export function sumIntervals(intervals: IntervalDto[]): IntervalDto | null {
  if (intervals.length === 0) return null;
  const estimate = intervals.reduce((total, interval) => total + interval.estimate, 0);
  const half = Math.sqrt(intervals.reduce((total, interval) => total + ((interval.high - interval.low) / 2) ** 2, 0));
  return { estimate, low: estimate - half, high: estimate + half };
}

const points = (value: number) => `${Math.abs(Math.round(value * 1000) / 10)} points`;
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(Math.round(value * 1000) / 10)}`;
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A difference in 90-day churn put into words: "more" or "less" only when the whole 95% interval is on one side
 * of zero. `subject` and `baseline` name the two groups (plural).
 */
export function churnVerdict(difference: IntervalDto | null, sizes: [number, number], subject: string, baseline: string): string {
  const [a, b] = sizes;
  if (difference === null || a < MIN_GROUP || b < MIN_GROUP) {
    return `Not enough data yet: ${a} ${subject} and ${b} ${baseline} have had their 90 days; at least ${MIN_GROUP} of each are needed.`;
  }
  const range = `95% interval ${signed(difference.low)} to ${signed(difference.high)} points`;
  if (difference.low > 0) return `${capitalize(subject)} churn more than ${baseline}: ${points(difference.estimate)} higher within 90 days (${range}).`;
  if (difference.high < 0) return `${capitalize(subject)} churn less than ${baseline}: ${points(difference.estimate)} lower within 90 days (${range}).`;
  return `No clear difference yet between ${subject} and ${baseline}: ${signed(difference.estimate)} points within 90 days, but the ${range} includes no difference.`;
}

/** NPS = % promoters − % detractors (−100 to 100, one decimal), with the counts it comes from. */
export function npsCounts(promoters: number, passives: number, detractors: number): NpsCountsDto {
  const answers = promoters + passives + detractors;
  return { answers, promoters, passives, detractors, score: answers > 0 ? Math.round(((promoters - detractors) / answers) * 1000) / 10 : null };
}
