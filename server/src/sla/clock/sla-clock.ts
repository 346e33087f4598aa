import { addBusinessMinutes, BusinessCalendar, businessMinutesBetween } from './business-calendar';

/** When to warn before a breach; with both set, the earlier moment wins. Minutes count on the calendar. */
export interface SlaWarningRule {
  /** Warn when this many minutes of the target are left. */
  readonly minutesBefore?: number;
  /** Warn when this share of the target has elapsed, 0–100. */
  readonly percentElapsed?: number;
}

export interface SlaClockSettings {
  readonly calendar: BusinessCalendar;
  readonly warning?: SlaWarningRule;
}

export type SlaClockStatus = 'active' | 'paused' | 'achieved' | 'breached';

/** What is stored for one target of one ticket. Exactly one of runningSince, pausedAt, achievedAt is set. */
export interface SlaClockState {
  readonly targetMinutes: number;
  /** Open minutes spent before `runningSince`, or in total once paused or achieved. */
  readonly spentMinutes: number;
  readonly runningSince: Date | null;
  readonly pausedAt: Date | null;
  readonly achievedAt: Date | null;
  /** Set while running; kept once achieved, to report how close it was. */
  readonly dueAt: Date | null;
  /** Set while running and a warning rule exists; never before `runningSince`, never after `dueAt`. */
  readonly warnAt: Date | null;
}

const MINUTE_MS = 60_000;

/**
 * One SLA target's clock as an immutable value: each transition returns a new clock. Transitions that do not
 * apply (pausing a paused clock, anything after achievement) return the clock unchanged, so replayed or
 * reordered ticket events are harmless. Breach is at `dueAt` itself.
 */
export class SlaClock implements SlaClockState {
  readonly targetMinutes: number;
  readonly spentMinutes: number;
  readonly runningSince: Date | null;
  readonly pausedAt: Date | null;
  readonly achievedAt: Date | null;
  readonly dueAt: Date | null;
  readonly warnAt: Date | null;

  private constructor(
    private readonly settings: SlaClockSettings,
    state: SlaClockState,
  ) {
    this.targetMinutes = state.targetMinutes;
    this.spentMinutes = state.spentMinutes;
    this.runningSince = state.runningSince;
    this.pausedAt = state.pausedAt;
    this.achievedAt = state.achievedAt;
    this.dueAt = state.dueAt;
    this.warnAt = state.warnAt;
  }

  static start(settings: SlaClockSettings, targetMinutes: number, now: Date): SlaClock {
    assertValid(settings, targetMinutes);
    return SlaClock.running(settings, targetMinutes, 0, now);
  }

  /** Rebuilds a clock from its stored state. */
  static restore(settings: SlaClockSettings, state: SlaClockState): SlaClock {
    assertValid(settings, state.targetMinutes);
    return new SlaClock(settings, state);
  }

  toState(): SlaClockState {
    const { targetMinutes, spentMinutes, runningSince, pausedAt, achievedAt, dueAt, warnAt } = this;
    return { targetMinutes, spentMinutes, runningSince, pausedAt, achievedAt, dueAt, warnAt };
  }

  spentMinutesAt(now: Date): number {
    if (this.runningSince === null) return this.spentMinutes;
    return toMinutes(toMs(this.spentMinutes) + toMs(businessMinutesBetween(this.settings.calendar, this.runningSince, now)));
  }

  status(now: Date): SlaClockStatus {
    if (this.runningSince !== null && this.dueAt !== null) {
      return now.getTime() >= this.dueAt.getTime() ? 'breached' : 'active';
    }
    const overdue = toMs(this.spentMinutes) >= toMs(this.targetMinutes);
    if (this.achievedAt !== null) return overdue ? 'breached' : 'achieved';
    return overdue ? 'breached' : 'paused';
  }

  pause(now: Date): SlaClock {
    if (this.runningSince === null) return this;
    return new SlaClock(this.settings, {
      ...this.toState(),
      spentMinutes: this.spentMinutesAt(now),
      runningSince: null,
      pausedAt: now,
      dueAt: null,
      warnAt: null,
    });
  }

  /** Counts on from the time already spent; a target already used up is due at once. */
  resume(now: Date): SlaClock {
    if (this.pausedAt === null) return this;
    return SlaClock.running(this.settings, this.targetMinutes, this.spentMinutes, now);
  }

  /**
   * Applies a new target (the policy re-applied after a priority change), keeping the time spent. A target the
   * spent time already exceeds is due at `now`: the ticket was not late under a target it did not have yet.
   */
  retarget(targetMinutes: number, now: Date): SlaClock {
    if (this.achievedAt !== null) return this;
    assertValid(this.settings, targetMinutes);
    if (this.runningSince === null) return new SlaClock(this.settings, { ...this.toState(), targetMinutes });
    return SlaClock.running(this.settings, targetMinutes, this.spentMinutesAt(now), now);
  }

  achieve(now: Date): SlaClock {
    if (this.achievedAt !== null) return this;
    return new SlaClock(this.settings, {
      ...this.toState(),
      spentMinutes: this.spentMinutesAt(now),
      runningSince: null,
      pausedAt: null,
      achievedAt: now,
      warnAt: null,
    });
  }

  private static running(settings: SlaClockSettings, targetMinutes: number, spentMinutes: number, now: Date): SlaClock {
    const spentMs = toMs(spentMinutes);
    const targetMs = toMs(targetMinutes);
    const reachedAfter = (elapsedMs: number) =>
      addBusinessMinutes(settings.calendar, now, toMinutes(Math.max(0, elapsedMs - spentMs)));
    const warningMs = warningElapsedMs(targetMs, settings.warning);
    return new SlaClock(settings, {
      targetMinutes,
      spentMinutes,
      runningSince: now,
      pausedAt: null,
      achievedAt: null,
      dueAt: reachedAfter(targetMs),
      warnAt: warningMs === null ? null : reachedAfter(warningMs),
    });
  }
}

/**
 * Elapsed time at which to warn: at most the target, so the warning never follows the breach; a moment already
 * past is clamped to the start of the run by `running`.
 */
function warningElapsedMs(targetMs: number, rule: SlaWarningRule | undefined): number | null {
  const candidates: number[] = [];
  if (rule?.minutesBefore !== undefined) candidates.push(targetMs - toMs(rule.minutesBefore));
  if (rule?.percentElapsed !== undefined) candidates.push(Math.round((targetMs * rule.percentElapsed) / 100));
  return candidates.length === 0 ? null : Math.min(...candidates);
}

function assertValid(settings: SlaClockSettings, targetMinutes: number): void {
  assertMinutes('targetMinutes', targetMinutes);
  const rule = settings.warning;
  if (rule?.minutesBefore !== undefined) assertMinutes('warning.minutesBefore', rule.minutesBefore);
  const percent = rule?.percentElapsed;
  if (percent !== undefined && !(percent >= 0 && percent <= 100)) {
    throw new RangeError(`warning.percentElapsed must be between 0 and 100, got ${percent}`);
  }
}

function assertMinutes(name: string, minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${minutes}`);
}

/** Milliseconds are exact integers; minutes are what is stored and shown. */
function toMs(minutes: number): number {
  return Math.round(minutes * MINUTE_MS);
}

function toMinutes(ms: number): number {
  return ms / MINUTE_MS;
}
