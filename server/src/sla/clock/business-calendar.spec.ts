import {
  addBusinessMinutes,
  BusinessCalendar,
  businessMinutesBetween,
  CALENDAR_HOURS,
  InvalidBusinessCalendarError,
  OpenInterval,
  validateBusinessCalendar,
} from './business-calendar';

const NINE_TO_FIVE: readonly OpenInterval[] = [{ start: '09:00', end: '17:00' }];

function weekdaysCalendar(
  timeZone: string,
  day: readonly OpenInterval[] = NINE_TO_FIVE,
  holidays: string[] = [],
): BusinessCalendar {
  return { timeZone, weekly: { 1: day, 2: day, 3: day, 4: day, 5: day, 6: [], 7: [] }, holidays };
}

const at = (iso: string) => new Date(iso);
// Whole seconds read better in the cases below.
const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

describe('validateBusinessCalendar', () => {
  it('accepts a calendar open until midnight', () => {
    expect(validateBusinessCalendar(weekdaysCalendar('Europe/Berlin', [{ start: '18:00', end: '24:00' }]))).toEqual([]);
  });

  it('names every problem so the lead can fix them at once', () => {
    const calendar: BusinessCalendar = {
      timeZone: 'Europe/Berln',
      weekly: {
        1: [{ start: '9:00', end: '17:00' }],
        2: [{ start: '17:00', end: '09:00' }],
        3: [{ start: '09:00', end: '12:30' }, { start: '12:00', end: '17:00' }],
        4: [{ start: '24:00', end: '24:00' }],
        5: [{ start: '09:00', end: '24:30' }],
        6: [],
        7: [],
      },
      holidays: ['2026-02-30', '25.12.2026', '2026-12-25'],
    };
    expect(validateBusinessCalendar(calendar)).toEqual([
      'timeZone "Europe/Berln" is not an IANA time zone',
      'weekly[1][0] start "9:00" is not a time HH:mm from 00:00 to 23:59',
      'weekly[2][0] 17:00–09:00 does not end after it starts',
      'weekly[3] 09:00–12:30 overlaps 12:00–17:00',
      'weekly[4][0] start "24:00" is not a time HH:mm from 00:00 to 23:59',
      'weekly[5][0] end "24:30" is not a time HH:mm from 00:01 to 24:00',
      'holidays[0] "2026-02-30" is not a date (YYYY-MM-DD)',
      'holidays[1] "25.12.2026" is not a date (YYYY-MM-DD)',
    ]);
  });

  it('allows intervals that touch', () => {
    const split = [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '13:00' }];
    expect(validateBusinessCalendar(weekdaysCalendar('UTC', split))).toEqual([]);
  });

  it('rejects a calendar that is never open, before any arithmetic could loop forever', () => {
    const closed = weekdaysCalendar('UTC', []);
    expect(validateBusinessCalendar(closed)).toEqual([
      'weekly has no open time; a calendar must be open at least once a week',
    ]);
    expect(() => addBusinessMinutes(closed, at('2026-01-05T09:00:00Z'), 60)).toThrow(InvalidBusinessCalendarError);
    expect(() => businessMinutesBetween(closed, at('2026-01-05T09:00:00Z'), at('2026-02-05T09:00:00Z'))).toThrow(
      /no open time/,
    );
  });

  it('reports missing days in a calendar read from stored JSON', () => {
    const stored = JSON.parse('{"timeZone":"UTC","weekly":{"1":[],"2":[],"3":[],"4":[],"5":[],"6":[]},"holidays":[]}');
    expect(validateBusinessCalendar(stored as BusinessCalendar)).toContain('weekly[7] must be a list of intervals');
  });

  it('rejects negative or non-finite targets and invalid instants', () => {
    expect(() => addBusinessMinutes(CALENDAR_HOURS, at('2026-01-05T09:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(CALENDAR_HOURS, at('2026-01-05T09:00:00Z'), Infinity)).toThrow(RangeError);
    expect(() => addBusinessMinutes(CALENDAR_HOURS, at('not a date'), 5)).toThrow('start is an invalid date');
    expect(() => businessMinutesBetween(CALENDAR_HOURS, at('2026-01-05T09:00:00Z'), at('later'))).toThrow(RangeError);
  });
});

describe('addBusinessMinutes and businessMinutesBetween', () => {
  // 2026-01-05 is a Monday; London is on UTC in January.
  const london = weekdaysCalendar('Europe/London', NINE_TO_FIVE, ['2026-01-07']);

  it.each([
    ['inside open hours', '2026-01-05T10:00:00Z', 30, '2026-01-05T10:30:00Z'],
    ['before opening', '2026-01-05T06:00:00Z', 30, '2026-01-05T09:30:00Z'],
    ['after closing', '2026-01-05T18:00:00Z', 30, '2026-01-06T09:30:00Z'],
    ['over a holiday', '2026-01-06T16:00:00Z', 120, '2026-01-08T10:00:00Z'],
    ['over a weekend', '2026-01-09T16:00:00Z', 120, '2026-01-12T10:00:00Z'],
    ['from a Saturday', '2026-01-10T12:00:00Z', 60, '2026-01-12T10:00:00Z'],
  ])('counts only open time %s', (_case, start, minutes, due) => {
    expect(iso(addBusinessMinutes(london, at(start), minutes))).toBe(due);
    expect(businessMinutesBetween(london, at(start), at(due))).toBe(minutes);
  });

  it('is due at the close of the day rather than the next opening when the target ends exactly there', () => {
    expect(iso(addBusinessMinutes(london, at('2026-01-05T16:00:00Z'), 60))).toBe('2026-01-05T17:00:00Z');
  });

  it('is due at the start instant for a zero target', () => {
    expect(iso(addBusinessMinutes(london, at('2026-01-05T10:00:00Z'), 0))).toBe('2026-01-05T10:00:00Z');
  });

  it('skips the lunch break in a day with several intervals', () => {
    const withLunch = weekdaysCalendar('UTC', [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(iso(addBusinessMinutes(withLunch, at('2026-01-05T11:30:00Z'), 60))).toBe('2026-01-05T13:30:00Z');
    expect(businessMinutesBetween(withLunch, at('2026-01-05T00:00:00Z'), at('2026-01-06T00:00:00Z'))).toBe(7 * 60);
  });

  it('spans several days, counting 8 open hours a day', () => {
    // 40 hours from Wednesday 09:00: Wednesday, Thursday, Friday, Monday and Tuesday.
    expect(iso(addBusinessMinutes(weekdaysCalendar('UTC'), at('2026-01-14T09:00:00Z'), 40 * 60))).toBe(
      '2026-01-20T17:00:00Z',
    );
  });

  it('handles long targets by whole weeks and still lands exactly, holidays included', () => {
    const utc = weekdaysCalendar('UTC', NINE_TO_FIVE, ['2026-02-16']);
    // Ten working weeks from Monday 2026-01-05 end on Friday 2026-03-13, plus one day for the holiday.
    const due = addBusinessMinutes(utc, at('2026-01-05T09:00:00Z'), 10 * 5 * 8 * 60);
    expect(iso(due)).toBe('2026-03-16T17:00:00Z');
    expect(businessMinutesBetween(utc, at('2026-01-05T09:00:00Z'), due)).toBe(10 * 5 * 8 * 60);
  });

  it('returns 0 open minutes when the end is not after the start', () => {
    expect(businessMinutesBetween(london, at('2026-01-05T12:00:00Z'), at('2026-01-05T10:00:00Z'))).toBe(0);
  });

  it('reads the schedule and holidays in the calendar zone, not in UTC', () => {
    const tokyo = weekdaysCalendar('Asia/Tokyo', NINE_TO_FIVE, ['2026-01-06']);
    // Monday 16:00 in Tokyo is 07:00 UTC; Tuesday is a holiday in Tokyo, so an hour runs to Wednesday 10:00.
    expect(iso(addBusinessMinutes(tokyo, at('2026-01-05T07:00:00Z'), 120))).toBe('2026-01-07T01:00:00Z');
  });
});

describe('daylight saving time', () => {
  const nightShift = (timeZone: string): BusinessCalendar => {
    const night = [{ start: '01:00', end: '03:00' }];
    return { timeZone, weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: night }, holidays: [] };
  };

  it('counts a 01:00–03:00 interval as one real hour on the Berlin spring-forward night', () => {
    // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 01:00 CET is 00:00 UTC.
    const berlin = nightShift('Europe/Berlin');
    expect(businessMinutesBetween(berlin, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(60);
    expect(iso(addBusinessMinutes(berlin, at('2026-03-28T12:00:00Z'), 60))).toBe('2026-03-29T01:00:00Z');
    // A minute more runs into the next Sunday, 01:01 CEST.
    expect(iso(addBusinessMinutes(berlin, at('2026-03-28T12:00:00Z'), 61))).toBe('2026-04-04T23:01:00Z');
  });

  it('counts a 01:00–03:00 interval as three real hours on the Berlin fall-back night', () => {
    // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 01:00 CEST is 23:00 UTC the day before.
    const berlin = nightShift('Europe/Berlin');
    expect(businessMinutesBetween(berlin, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(180);
    expect(iso(addBusinessMinutes(berlin, at('2026-10-24T12:00:00Z'), 150))).toBe('2026-10-25T01:30:00Z');
  });

  it('keeps 09:00–17:00 local across the Berlin change, so the UTC due time moves an hour', () => {
    const berlin = weekdaysCalendar('Europe/Berlin');
    // Friday 2026-03-27 16:00 CET is 15:00 UTC; two open hours end Monday 10:00 CEST, 08:00 UTC.
    expect(iso(addBusinessMinutes(berlin, at('2026-03-27T15:00:00Z'), 120))).toBe('2026-03-30T08:00:00Z');
    // Friday 2026-10-23 16:00 CEST is 14:00 UTC; two open hours end Monday 10:00 CET, 09:00 UTC.
    expect(iso(addBusinessMinutes(berlin, at('2026-10-23T14:00:00Z'), 120))).toBe('2026-10-26T09:00:00Z');
  });

  it('makes New York calendar days 23 and 25 hours long around its changes', () => {
    const newYork: BusinessCalendar = { ...CALENDAR_HOURS, timeZone: 'America/New_York' };
    // 2026-03-08 and 2026-11-01 are the change days; local midnight is 05:00 UTC in winter, 04:00 in summer.
    expect(businessMinutesBetween(newYork, at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(newYork, at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(25 * 60);
  });

  it('keeps a New York business day at 8 real hours across the spring change', () => {
    const newYork = weekdaysCalendar('America/New_York');
    // Friday 2026-03-06 16:00 EST is 21:00 UTC; the last hour runs Monday 09:00–10:00 EDT, 13:00–14:00 UTC.
    expect(iso(addBusinessMinutes(newYork, at('2026-03-06T21:00:00Z'), 120))).toBe('2026-03-09T14:00:00Z');
  });
});

describe('zones far from UTC', () => {
  it.each([
    // Monday 2026-01-05 09:00 at +14 is Sunday 19:00 UTC.
    ['Pacific/Kiritimati', '2026-01-04T19:00:00Z', '2026-01-05T03:00:00Z'],
    // Monday 2026-01-05 09:00 at −11 is Monday 20:00 UTC.
    ['Pacific/Pago_Pago', '2026-01-05T20:00:00Z', '2026-01-06T04:00:00Z'],
    // Monday 2026-01-05 09:00 at +5:45 is Monday 03:15 UTC.
    ['Asia/Kathmandu', '2026-01-05T03:15:00Z', '2026-01-05T11:15:00Z'],
  ])('opens at local 09:00 in %s', (timeZone, localNine, localFive) => {
    const calendar = weekdaysCalendar(timeZone);
    const minuteBeforeOpening = new Date(at(localNine).getTime() - 60_000);
    expect(iso(addBusinessMinutes(calendar, minuteBeforeOpening, 480))).toBe(localFive);
    expect(businessMinutesBetween(calendar, at(localNine), at(localFive))).toBe(480);
  });

  it('closes for the weekend by the local date, even when UTC is still on Friday', () => {
    const kiritimati = weekdaysCalendar('Pacific/Kiritimati');
    // Friday 16:00 at +14 is Friday 02:00 UTC; one open hour left that day, the next on Monday 09:00 local.
    expect(iso(addBusinessMinutes(kiritimati, at('2026-01-09T02:00:00Z'), 120))).toBe('2026-01-11T20:00:00Z');
  });
});

describe('CALENDAR_HOURS', () => {
  it('counts every minute, weekends included', () => {
    expect(iso(addBusinessMinutes(CALENDAR_HOURS, at('2026-01-09T16:00:00Z'), 3 * 24 * 60 + 5))).toBe(
      '2026-01-12T16:05:00Z',
    );
    expect(businessMinutesBetween(CALENDAR_HOURS, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(
      365 * 24 * 60,
    );
  });
});
