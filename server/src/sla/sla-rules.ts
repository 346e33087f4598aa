import { TICKET_PRIORITIES, type SubscriptionStatus, type TicketPriority, type TicketStatus } from '../../../contracts/domain';
import type { SlaConditions, SlaState, SlaTargetKind, SlaTargetMinutes } from '../../../contracts/sla';
import { CALENDAR_HOURS, SlaClock, type BusinessCalendar, type SlaClockSettings, type SlaClockState } from './clock';
import type { BusinessCalendarEntity } from './business-calendar.entity';
import type { SlaPolicy } from './sla-policy.entity';

/** What a policy's conditions look at. */
export interface TicketFacts {
  priority: TicketPriority;
  teamId: string | null;
  mailboxId: string | null;
  tags: string[];
  customerPlan: string | null;
  subscriptionStatus: SubscriptionStatus | null;
}

export const CLOSED_STATUSES: readonly TicketStatus[] = ['solved', 'closed'];

const TARGET_FIELD: Record<SlaTargetKind, keyof SlaTargetMinutes> = { first_reply: 'firstReply', next_reply: 'nextReply', resolution: 'resolution' };

export function policyMatches(conditions: SlaConditions, ticket: TicketFacts): boolean {
  const within = <T>(allowed: readonly T[] | undefined, value: T | null) => !allowed || (value !== null && allowed.includes(value));
  return (
    within(conditions.priorities, ticket.priority) &&
    within(conditions.teamIds, ticket.teamId) &&
    within(conditions.mailboxIds, ticket.mailboxId) &&
    within(conditions.customerPlans, ticket.customerPlan) &&
    within(conditions.subscriptionStatuses, ticket.subscriptionStatus) &&
    (!conditions.tags || conditions.tags.some((tag) => ticket.tags.includes(tag)))
  );
}

/** The first active policy, by position, whose conditions match. */
export function choosePolicy<P extends SlaPolicy>(policies: readonly P[], ticket: TicketFacts): P | null {
  return [...policies].sort((a, b) => a.position - b.position).find((policy) => policy.isActive && policyMatches(policy.conditions, ticket)) ?? null;
}

/** The policy's target for this kind at this priority, in minutes, or null when it sets none. */
export function targetMinutes(policy: SlaPolicy, priority: TicketPriority, kind: SlaTargetKind): number | null {
  return policy.targets[priority]?.[TARGET_FIELD[kind]] ?? null;
}

export function toBusinessCalendar(calendar: Pick<BusinessCalendarEntity, 'timeZone' | 'weekly' | 'holidays'> | null): BusinessCalendar {
  return calendar ? { timeZone: calendar.timeZone, weekly: calendar.weekly, holidays: calendar.holidays } : CALENDAR_HOURS;
}

export function clockSettings(policy: Pick<SlaPolicy, 'warning'>, calendar: BusinessCalendar): SlaClockSettings {
  return { calendar, warning: policy.warning ?? undefined };
}

export function raisedPriority(priority: TicketPriority): TicketPriority {
  return TICKET_PRIORITIES[Math.min(TICKET_PRIORITIES.indexOf(priority) + 1, TICKET_PRIORITIES.length - 1)];
}

/**
 * Moves a clock to new settings or a new target at `at`, keeping the time spent: the time so far is counted on
 * the calendar it ran under, the rest on the new one.
 */
export function rebaseClock(previous: SlaClockSettings, next: SlaClockSettings, state: SlaClockState, nextTargetMinutes: number, at: Date): SlaClock {
  const old = SlaClock.restore(previous, state);
  if (old.achievedAt !== null) return old;
  const moved = SlaClock.restore(next, { ...old.pause(at).toState(), targetMinutes: nextTargetMinutes });
  return old.runningSince !== null ? moved.resume(at) : moved;
}

/** What the agent sees: a fired breach stays a breach even once the target is achieved. */
export function targetState(clock: SlaClock, breachedAt: Date | null, now: Date): SlaState {
  return breachedAt ? 'breached' : clock.status(now);
}
