import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessMinutes,
  BusinessCalendar,
  businessMinutesBetween,
  ISO_WEEKDAYS,
  OpenInterval,
} from './business-calendar';

const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

// Zones with spring-forward and fall-back nights (Santiago changes at midnight, Lord Howe by half an hour), odd
// offsets and offsets far from UTC. All offsets and changes fall on quarter hours.
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'UTC',
];
const WINDOW_START_MS = Date.UTC(2025, 9, 1);
const WINDOW_END_MS = Date.UTC(2027, 3, 1);
// Nights on which clocks change in ZONES, to make sure runs land on them.
const CHANGE_NIGHTS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-10-04', '2026-10-25', '2026-11-01'];
const CHANGE_NIGHTS_MS = CHANGE_NIGHTS.map((date) => Date.parse(`${date}T00:00:00Z`));

const halfHour = (index: number) =>
  `${String(Math.floor(index / 2)).padStart(2, '0')}:${index % 2 === 0 ? '00' : '30'}`;

/** A day's intervals on a half-hour grid: sorted distinct boundaries taken in pairs. */
const dayArbitrary: fc.Arbitrary<OpenInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 48 }), { maxLength: 6 })
  .map((boundaries) => {
    const sorted = [...boundaries].sort((a, b) => a - b);
    const intervals: OpenInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      intervals.push({ start: halfHour(sorted[i]), end: halfHour(sorted[i + 1]) });
    }
    return intervals;
  });

const calendarArbitrary: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    days: fc.array(dayArbitrary, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: (WINDOW_END_MS - WINDOW_START_MS) / DAY_MS }), { maxLength: 40 }),
  })
  .filter(({ days }) => days.some((intervals) => intervals.length > 0))
  .map(({ timeZone, days, holidays }) => ({
    timeZone,
    weekly: { 1: days[0], 2: days[1], 3: days[2], 4: days[3], 5: days[4], 6: days[5], 7: days[6] },
    holidays: holidays.map((day) => new Date(WINDOW_START_MS + day * DAY_MS).toISOString().slice(0, 10)),
  }));

const instantArbitrary = fc.oneof(
  fc.integer({ min: WINDOW_START_MS, max: WINDOW_END_MS }),
  fc
    .tuple(fc.constantFrom(...CHANGE_NIGHTS_MS), fc.integer({ min: -2 * DAY_MS, max: DAY_MS }))
    .map(([night, shift]) => night + shift),
);

/** Reference: open when the local wall clock shows an open time on a working day, computed by luxon directly. */
function isOpenAt(calendar: BusinessCalendar, instantMs: number): boolean {
  const local = DateTime.fromMillis(instantMs, { zone: calendar.timeZone });
  if (calendar.holidays.includes(local.toISODate() ?? '')) return false;
  const wallMinute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / MINUTE_MS;
  const toMinute = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
  const weekday = ISO_WEEKDAYS[local.weekday - 1];
  return calendar.weekly[weekday].some(({ start, end }) => toMinute(start) <= wallMinute && wallMinute < toMinute(end));
}

const minutesArbitrary = fc.integer({ min: 1, max: 20_000 });

describe('business-time arithmetic, on random calendars', () => {
  it('never puts a due time in closed hours: the instant before it is open', () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, minutesArbitrary, (calendar, startMs, minutes) => {
        const dueMs = addBusinessMinutes(calendar, new Date(startMs), minutes).getTime();
        expect(dueMs).toBeGreaterThan(startMs);
        expect(isOpenAt(calendar, dueMs - 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('counts back exactly the minutes it added', () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, minutesArbitrary, (calendar, startMs, minutes) => {
        const start = new Date(startMs);
        expect(businessMinutesBetween(calendar, start, addBusinessMinutes(calendar, start, minutes))).toBe(minutes);
      }),
      { numRuns: 300 },
    );
  });

  it('never makes a larger target due earlier', () => {
    fc.assert(
      fc.property(calendarArbitrary, instantArbitrary, minutesArbitrary, minutesArbitrary, (calendar, startMs, a, b) => {
        const start = new Date(startMs);
        const [smaller, larger] = a <= b ? [a, b] : [b, a];
        const earlier = addBusinessMinutes(calendar, start, smaller).getTime();
        expect(addBusinessMinutes(calendar, start, larger).getTime()).toBeGreaterThanOrEqual(earlier);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with a quarter-hour count of open wall-clock time, across clock changes', () => {
    // Open-ness only changes on quarter hours here, so sampling each quarter hour counts open time exactly.
    const quarterHour = instantArbitrary.map((ms) => Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
    fc.assert(
      fc.property(calendarArbitrary, quarterHour, fc.integer({ min: 0, max: 3 * 96 }), (calendar, fromMs, quarters) => {
        let openQuarters = 0;
        for (let i = 0; i < quarters; i++) if (isOpenAt(calendar, fromMs + i * QUARTER_HOUR_MS)) openQuarters++;
        const toMs = fromMs + quarters * QUARTER_HOUR_MS;
        expect(businessMinutesBetween(calendar, new Date(fromMs), new Date(toMs))).toBe(openQuarters * 15);
      }),
      { numRuns: 150 },
    );
  });
});
