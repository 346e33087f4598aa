import type { ImpactDto, ImpactWeekDto } from '../../../contracts/care';
import { BASELINE_WEEKS } from '../tags/signals/signal-math';

/** Weeks shown before the shipped day, and the most weeks after it that count. */
export const WEEKS_BEFORE = 12;
export const WEEKS_AFTER = 12;
export const WEEK_MS = 7 * 86_400_000;

export interface WeekCounts {
  /** Whole weeks from the anchor: -1 is the week before it. */
  offset: number;
  tickets: number;
  activeSubscribers: number;
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null);
const percentChange = (before: number | null, after: number | null) => (before !== null && after !== null && before > 0 ? ((after - before) / before) * 100 : null);

/**
 * Before and after the day an initiative shipped: each side's mean over its full weeks (the running week is shown
 * but not counted, a part-week would look like a drop), in tickets and in tickets per 100 active subscribers, and
 * the change against the before-side. The before-side is the same trailing baseline the signals use (the last
 * BASELINE_WEEKS weeks); the chart shows more. Without a shipped day every full week is "before".
 */
export function computeImpact(counts: WeekCounts[], anchor: Date, shippedAt: Date | null, now: Date): ImpactDto {
  const weeks: ImpactWeekDto[] = counts.map(({ offset, tickets, activeSubscribers }) => {
    const weekStart = new Date(anchor.getTime() + offset * WEEK_MS);
    return {
      offset,
      weekStart: weekStart.toISOString(),
      tickets,
      activeSubscribers,
      ratePer100: activeSubscribers > 0 ? (tickets / activeSubscribers) * 100 : null,
      partial: weekStart.getTime() + WEEK_MS > now.getTime(),
    };
  });
  const side = (inSide: (week: ImpactWeekDto) => boolean) => {
    const full = weeks.filter((week) => inSide(week) && !week.partial);
    return {
      weekly: mean(full.map((week) => week.tickets)),
      ratePer100: mean(full.flatMap((week) => (week.ratePer100 === null ? [] : [week.ratePer100]))),
      weeks: full.length,
    };
  };
  const before = side((week) => shippedAt === null || (week.offset < 0 && week.offset >= -BASELINE_WEEKS));
  const after = shippedAt ? side((week) => week.offset >= 0) : { weekly: null, ratePer100: null, weeks: 0 };
  return {
    shippedAt: shippedAt?.toISOString() ?? null,
    weeks,
    before,
    after,
    changePct: percentChange(before.weekly, after.weekly),
    changePctPer100: percentChange(before.ratePer100, after.ratePer100),
  };
}
