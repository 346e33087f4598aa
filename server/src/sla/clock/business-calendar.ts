import { IANAZone } from 'luxon';

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const ISO_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** One open period of a day in wall-clock time, 'HH:mm'; `end` may be '24:00' (the midnight that ends the day). */
export interface OpenInterval {
  readonly start: string;
  readonly end: string;
}

/**
 * When a team is open. An instant is open when the wall clock in `timeZone` shows a time inside one of that
 * weekday's intervals on a day that is not a holiday, so a spring-forward night has less open time and a
 * fall-back night more: SLA time is real elapsed time.
 */
export interface BusinessCalendar {
  /** IANA time zone the schedule and holidays are read in, e.g. 'Europe/Berlin'. */
  readonly timeZone: string;
  /** Open intervals per ISO weekday (1 = Monday … 7 = Sunday); an empty list closes that day. */
  readonly weekly: Readonly<Record<IsoWeekday, readonly OpenInterval[]>>;
  /** Whole days closed, 'YYYY-MM-DD' in the calendar's zone. */
  readonly holidays: readonly string[];
}

const ALL_DAY: readonly OpenInterval[] = [{ start: '00:00', end: '24:00' }];

/** Always open: policies counted in calendar hours use the same arithmetic as business hours. */
export const CALENDAR_HOURS: BusinessCalendar = {
  timeZone: 'UTC',
  weekly: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY },
  holidays: [],
};

export class InvalidBusinessCalendarError extends Error {
  readonly code = 'sla.calendar_invalid';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid business calendar: ${problems.join('; ')}`);
    this.name = 'InvalidBusinessCalendarError';
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEK_MS = 7 * DAY_MS;

/** Milliseconds since local midnight. */
interface DaySpan {
  readonly startMs: number;
  readonly endMs: number;
}

interface CompiledCalendar {
  readonly zone: IANAZone;
  /** Index 0 is Monday. */
  readonly spansByWeekday: readonly (readonly DaySpan[])[];
  /** Days since 1970-01-01 in wall-clock time. */
  readonly holidayDays: ReadonlySet<number>;
  readonly weekOpenMs: number;
}

/** Every problem with the calendar, as sentences for the lead who entered it; empty when it is valid. */
export function validateBusinessCalendar(calendar: BusinessCalendar): string[] {
  return analyse(calendar).problems;
}

/** The instant at which `minutes` of open time have passed after `start`; never inside closed hours. */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  const startMs = instantMs(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
  }
  const walk = walkOpenTime(compile(calendar), startMs, Infinity, Math.round(minutes * MINUTE_MS));
  return new Date(walk.stoppedAtMs);
}

/** Open minutes between two instants; 0 when `to` is not after `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const walk = walkOpenTime(compile(calendar), instantMs(from, 'from'), instantMs(to, 'to'), Infinity);
  return walk.openMs / MINUTE_MS;
}

function instantMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid date`);
  return ms;
}

/**
 * Validating a calendar (the time zone check above all) costs far more than most walks, and the engine reuses one
 * calendar object for thousands of targets, so valid compiled calendars are kept per object (they are read-only).
 */
const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiledCalendars.get(calendar);
  if (cached) return cached;
  const { problems, compiled } = analyse(calendar);
  if (problems.length > 0) throw new InvalidBusinessCalendarError(problems);
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

function analyse(calendar: BusinessCalendar): { problems: string[]; compiled: CompiledCalendar } {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(calendar.timeZone)) {
    problems.push(`timeZone "${calendar.timeZone}" is not an IANA time zone`);
  }
  const spansByWeekday = ISO_WEEKDAYS.map((weekday) => daySpans(calendar, weekday, problems));
  const weekOpenMs = spansByWeekday.flat().reduce((sum, span) => sum + span.endMs - span.startMs, 0);
  if (weekOpenMs === 0) {
    problems.push('weekly has no open time; a calendar must be open at least once a week');
  }
  const holidayDays = new Set<number>();
  calendar.holidays.forEach((holiday, index) => {
    const day = dayNumberOfDate(holiday);
    if (day === null) problems.push(`holidays[${index}] "${holiday}" is not a date (YYYY-MM-DD)`);
    else holidayDays.add(day);
  });
  return { problems, compiled: { zone: IANAZone.create(calendar.timeZone), spansByWeekday, holidayDays, weekOpenMs } };
}

function daySpans(calendar: BusinessCalendar, weekday: IsoWeekday, problems: string[]): DaySpan[] {
  const intervals: unknown = calendar.weekly[weekday];
  if (!Array.isArray(intervals)) {
    problems.push(`weekly[${weekday}] must be a list of intervals`);
    return [];
  }
  const spans: DaySpan[] = [];
  (intervals as OpenInterval[]).forEach(({ start, end }, index) => {
    const where = `weekly[${weekday}][${index}]`;
    const startMs = msOfDay(start, false);
    const endMs = msOfDay(end, true);
    if (startMs === null) problems.push(`${where} start "${start}" is not a time HH:mm from 00:00 to 23:59`);
    if (endMs === null) problems.push(`${where} end "${end}" is not a time HH:mm from 00:01 to 24:00`);
    if (startMs === null || endMs === null) return;
    if (endMs <= startMs) problems.push(`${where} ${start}–${end} does not end after it starts`);
    else spans.push({ startMs, endMs });
  });
  spans.sort((a, b) => a.startMs - b.startMs);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].startMs < spans[i - 1].endMs) {
      problems.push(`weekly[${weekday}] ${formatSpan(spans[i - 1])} overlaps ${formatSpan(spans[i])}`);
    }
  }
  return spans;
}

function msOfDay(text: string, isEnd: boolean): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  const ms = (hours * 60 + minutes) * MINUTE_MS;
  const inRange = hours < 24 && minutes < 60;
  if (isEnd) return (inRange && ms > 0) || text === '24:00' ? ms : null;
  return inRange ? ms : null;
}

function formatSpan(span: DaySpan): string {
  const clock = (ms: number) => {
    const minutes = ms / MINUTE_MS;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  return `${clock(span.startMs)}–${clock(span.endMs)}`;
}

function dayNumberOfDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const roundTrips = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return roundTrips ? date.getTime() / DAY_MS : null;
}

interface Walk {
  readonly stoppedAtMs: number;
  readonly openMs: number;
}

/**
 * Walks forward from `fromMs` through open time until `budgetMs` of it has passed or `untilMs` is reached. The
 * timeline is cut where the zone's UTC offset changes; between cuts wall time moves with real time, so the weekly
 * schedule can be read directly. A week without holidays or offset change holds exactly one weekly schedule of
 * open time and is skipped in one step. This ends because a valid calendar is open every week once its (finitely
 * many) holidays are past.
 */
function walkOpenTime(calendar: CompiledCalendar, fromMs: number, untilMs: number, budgetMs: number): Walk {
  let atMs = fromMs;
  let openMs = 0;
  while (openMs < budgetMs && atMs < untilMs) {
    const offsetMs = utcOffsetMs(calendar.zone, atMs);
    const weekLaterMs = atMs + WEEK_MS;
    // Assumes no zone changes its offset and back again within a week, true of every zone today.
    const offsetHolds = utcOffsetMs(calendar.zone, weekLaterMs) === offsetMs;
    const skipsWholeWeek =
      offsetHolds &&
      weekLaterMs <= untilMs &&
      budgetMs - openMs > calendar.weekOpenMs &&
      !hasHoliday(calendar, atMs + offsetMs, weekLaterMs + offsetMs);
    if (skipsWholeWeek) {
      openMs += calendar.weekOpenMs;
      atMs = weekLaterMs;
      continue;
    }
    const pieceEndMs = offsetHolds ? weekLaterMs : nextOffsetChangeMs(calendar.zone, atMs, weekLaterMs, offsetMs);
    const wall = walkWallTime(calendar, atMs + offsetMs, Math.min(untilMs, pieceEndMs) + offsetMs, budgetMs - openMs);
    openMs += wall.openMs;
    atMs = wall.stoppedAtMs - offsetMs;
  }
  return { stoppedAtMs: atMs, openMs };
}

/** The same walk in wall-clock milliseconds, where every day is 24 hours long. */
function walkWallTime(calendar: CompiledCalendar, fromMs: number, untilMs: number, budgetMs: number): Walk {
  let openMs = 0;
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < untilMs; day++) {
    if (calendar.holidayDays.has(day)) continue;
    for (const span of calendar.spansByWeekday[mondayBasedWeekday(day)]) {
      const startMs = Math.max(day * DAY_MS + span.startMs, fromMs);
      const endMs = Math.min(day * DAY_MS + span.endMs, untilMs);
      if (endMs <= startMs) continue;
      if (openMs + (endMs - startMs) >= budgetMs) {
        return { stoppedAtMs: startMs + (budgetMs - openMs), openMs: budgetMs };
      }
      openMs += endMs - startMs;
    }
  }
  return { stoppedAtMs: untilMs, openMs };
}

function hasHoliday(calendar: CompiledCalendar, fromWallMs: number, untilWallMs: number): boolean {
  if (calendar.holidayDays.size === 0) return false;
  for (let day = Math.floor(fromWallMs / DAY_MS); day * DAY_MS < untilWallMs; day++) {
    if (calendar.holidayDays.has(day)) return true;
  }
  return false;
}

/** 1970-01-01 was a Thursday. */
function mondayBasedWeekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function utcOffsetMs(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE_MS;
}

/** First instant in (lowMs, highMs] whose offset differs from `offsetMs`, found by bisection. */
function nextOffsetChangeMs(zone: IANAZone, lowMs: number, highMs: number, offsetMs: number): number {
  let low = lowMs;
  let high = highMs;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (utcOffsetMs(zone, middle) === offsetMs) low = middle;
    else high = middle;
  }
  return high;
}
