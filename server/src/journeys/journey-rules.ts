import { DateTime } from 'luxon';
import type { JourneyCondition, JourneyStep, JourneyWait } from '../../../contracts/journeys';

const WEEK_MS = 7 * 86_400_000;

export interface QuietHours {
  start: number | null;
  end: number | null;
}

/** When a care email may leave: now, or the end of the customer's local quiet hours. */
export function sendableAt(now: Date, zone: string, quiet: QuietHours): Date {
  if (quiet.start === null || quiet.end === null || quiet.start === quiet.end) return now;
  const local = DateTime.fromJSDate(now, { zone });
  const quietNow = quiet.start < quiet.end ? local.hour >= quiet.start && local.hour < quiet.end : local.hour >= quiet.start || local.hour < quiet.end;
  if (!quietNow) return now;
  const endToday = local.set({ hour: quiet.end, minute: 0, second: 0, millisecond: 0 });
  return (endToday > local ? endToday : endToday.plus({ days: 1 })).toJSDate();
}

/** When a wait step ends, in the customer's zone (so "2 days" spans a DST change as people expect). */
export function waitUntil(wait: JourneyWait, now: Date, zone: string, nextRenewalAt: Date | null): Date {
  const local = DateTime.fromJSDate(now, { zone });
  switch (wait.mode) {
    case 'duration':
      return local.plus({ days: wait.days, hours: wait.hours, minutes: wait.minutes }).toJSDate();
    case 'before_renewal': {
      if (!nextRenewalAt) return now;
      const due = DateTime.fromJSDate(nextRenewalAt, { zone }).minus({ days: wait.days });
      return due > local ? due.toJSDate() : now;
    }
    case 'until':
      for (let offset = 0; offset <= 7; offset++) {
        const day = local.startOf('day').plus({ days: offset });
        if (!wait.weekdays.includes(day.weekday)) continue;
        const opens = day.set({ hour: wait.fromHour });
        const closes = wait.toHour >= 24 ? day.plus({ days: 1 }) : day.set({ hour: wait.toHour });
        if (local < closes && opens < closes) return (local > opens ? local : opens).toJSDate();
      }
      return now;
  }
}

/**
 * With `cap` care emails allowed in any 7 days and these recent ones (oldest first), when the next may
 * leave: null when it may leave now.
 */
export function capReleasedAt(recent: Date[], cap: number, now: Date): Date | null {
  const inWindow = recent.filter((sent) => now.getTime() - sent.getTime() < WEEK_MS);
  if (inWindow.length < cap) return null;
  return new Date(inWindow[inWindow.length - cap].getTime() + WEEK_MS);
}

export interface ConditionFacts {
  subscriptionStatus: string;
  plan: string | null;
  currentCycle: number | null;
  skippedCycles: number;
  lifetimeValue: number;
  customerTags: string[];
  hasOpenTicket: boolean;
  ticketStatus: string | null;
  ticketTags: string[];
}

function compare(actual: string | number | boolean | null, op: JourneyCondition['op'], expected: JourneyCondition['value']): boolean {
  if (op === 'eq') return actual === expected || (actual !== null && String(actual) === String(expected));
  if (op === 'neq') return !compare(actual, 'eq', expected);
  if (actual === null) return false;
  const [left, right] = [Number(actual), Number(expected)];
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  return op === 'gt' ? left > right : op === 'gte' ? left >= right : op === 'lt' ? left < right : left <= right;
}

/** A branch condition; tag fields and `has_open_ticket` test presence (`eq`) or absence (`neq`). */
export function conditionHolds(condition: JourneyCondition, facts: ConditionFacts): boolean {
  const present = (tags: string[]) => tags.includes(String(condition.value).toLowerCase());
  switch (condition.field) {
    case 'customer_tag':
      return condition.op === 'neq' ? !present(facts.customerTags) : present(facts.customerTags);
    case 'ticket_tag':
      return condition.op === 'neq' ? !present(facts.ticketTags) : present(facts.ticketTags);
    case 'has_open_ticket':
      return compare(facts.hasOpenTicket, condition.op, condition.value === true || condition.value === 'true');
    case 'subscription_status':
      return compare(facts.subscriptionStatus, condition.op, condition.value);
    case 'plan':
      return compare(facts.plan, condition.op, condition.value);
    case 'current_cycle':
      return compare(facts.currentCycle, condition.op, condition.value);
    case 'skipped_cycles':
      return compare(facts.skippedCycles, condition.op, condition.value);
    case 'lifetime_value':
      return compare(facts.lifetimeValue, condition.op, condition.value);
    case 'ticket_status':
      return compare(facts.ticketStatus, condition.op, condition.value);
  }
}

/** The id of the step a target leads to from step `index`: `next`, `end` (null) or a step id. */
export function stepAfter(steps: JourneyStep[], index: number, target: string = 'next'): string | null {
  if (target === 'end') return null;
  if (target === 'next') return steps[index + 1]?.id ?? null;
  return target;
}
