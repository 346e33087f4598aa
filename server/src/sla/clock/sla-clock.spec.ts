import fc from 'fast-check';
import { BusinessCalendar, businessMinutesBetween, CALENDAR_HOURS, OpenInterval } from './business-calendar';
import { SlaClock, SlaClockSettings } from './sla-clock';

const NINE_TO_FIVE: readonly OpenInterval[] = [{ start: '09:00', end: '17:00' }];
const WITH_LUNCH: readonly OpenInterval[] = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:30' },
];

function weekdaysCalendar(timeZone: string, day: readonly OpenInterval[], holidays: string[] = []): BusinessCalendar {
  return { timeZone, weekly: { 1: day, 2: day, 3: day, 4: day, 5: day, 6: [], 7: [] }, holidays };
}

// London is on UTC in January, so local times read as UTC; 2026-01-05 is a Monday.
const london = weekdaysCalendar('Europe/London', NINE_TO_FIVE);
const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString().replace('.000Z', 'Z') ?? null;

describe('SlaClock', () => {
  it('starts with due and warning times counted in open hours', () => {
    const clock = SlaClock.start({ calendar: london, warning: { minutesBefore: 30 } }, 120, at('2026-01-05T16:00:00Z'));
    expect(iso(clock.dueAt)).toBe('2026-01-06T10:00:00Z');
    expect(iso(clock.warnAt)).toBe('2026-01-06T09:30:00Z');
    expect(clock.status(at('2026-01-06T09:59:00Z'))).toBe('active');
  });

  it('warns at a share of the target elapsed, or at the earlier moment when both rules are set', () => {
    const start = at('2026-01-05T09:00:00Z');
    expect(iso(SlaClock.start({ calendar: london, warning: { percentElapsed: 75 } }, 240, start).warnAt)).toBe(
      '2026-01-05T12:00:00Z',
    );
    const both = { calendar: london, warning: { percentElapsed: 75, minutesBefore: 120 } };
    expect(iso(SlaClock.start(both, 240, start).warnAt)).toBe('2026-01-05T11:00:00Z');
  });

  it('keeps the warning between the start and the due time however the rule is set', () => {
    const start = at('2026-01-05T09:00:00Z');
    const early = SlaClock.start({ calendar: london, warning: { minutesBefore: 600 } }, 60, start);
    expect(iso(early.warnAt)).toBe('2026-01-05T09:00:00Z');
    const late = SlaClock.start({ calendar: london, warning: { percentElapsed: 100 } }, 60, start);
    expect(iso(late.warnAt)).toBe(iso(late.dueAt));
  });

  it('has no warning time without a warning rule', () => {
    expect(SlaClock.start({ calendar: london }, 60, at('2026-01-05T09:00:00Z')).warnAt).toBeNull();
  });

  it('breaches at the due time itself', () => {
    const clock = SlaClock.start({ calendar: london }, 60, at('2026-01-05T09:00:00Z'));
    expect(clock.status(at('2026-01-05T09:59:59.999Z'))).toBe('active');
    expect(clock.status(at('2026-01-05T10:00:00Z'))).toBe('breached');
  });

  it('pauses while pending and resumes with the time already spent', () => {
    const settings = { calendar: london, warning: { minutesBefore: 30 } };
    const started = SlaClock.start(settings, 240, at('2026-01-05T09:00:00Z'));
    const paused = started.pause(at('2026-01-05T10:00:00Z'));
    expect(paused.status(at('2026-01-09T10:00:00Z'))).toBe('paused');
    expect([paused.dueAt, paused.warnAt]).toEqual([null, null]);
    expect(paused.spentMinutes).toBe(60);

    const resumed = paused.resume(at('2026-01-07T10:00:00Z'));
    expect(iso(resumed.dueAt)).toBe('2026-01-07T13:00:00Z');
    expect(iso(resumed.warnAt)).toBe('2026-01-07T12:30:00Z');
    expect(resumed.spentMinutesAt(at('2026-01-07T11:00:00Z'))).toBe(120);
  });

  it('does not count a pause that covers only closed hours', () => {
    const started = SlaClock.start({ calendar: london }, 120, at('2026-01-09T16:00:00Z'));
    const resumed = started.pause(at('2026-01-09T18:00:00Z')).resume(at('2026-01-11T12:00:00Z'));
    expect(iso(resumed.dueAt)).toBe(iso(started.dueAt));
  });

  it('ignores transitions that do not apply, so replayed ticket events do no harm', () => {
    const started = SlaClock.start({ calendar: london }, 60, at('2026-01-05T09:00:00Z'));
    expect(started.resume(at('2026-01-05T09:10:00Z'))).toBe(started);
    const paused = started.pause(at('2026-01-05T09:20:00Z'));
    expect(paused.pause(at('2026-01-05T09:30:00Z'))).toBe(paused);
    const achieved = paused.achieve(at('2026-01-05T09:40:00Z'));
    for (const after of [achieved.pause(at('2026-01-05T09:50:00Z')), achieved.resume(at('2026-01-05T09:50:00Z'))]) {
      expect(after).toBe(achieved);
    }
    expect(achieved.retarget(10, at('2026-01-05T09:50:00Z'))).toBe(achieved);
    expect(achieved.achieve(at('2026-01-05T09:50:00Z'))).toBe(achieved);
  });

  it('is achieved when met before the due time and breached when met after it', () => {
    const clock = SlaClock.start({ calendar: london, warning: { minutesBefore: 10 } }, 60, at('2026-01-05T09:00:00Z'));
    const onTime = clock.achieve(at('2026-01-05T09:45:00Z'));
    expect(onTime.status(at('2026-02-01T00:00:00Z'))).toBe('achieved');
    expect([onTime.spentMinutes, onTime.warnAt, iso(onTime.dueAt)]).toEqual([45, null, '2026-01-05T10:00:00Z']);
    expect(clock.achieve(at('2026-01-05T10:30:00Z')).status(at('2026-02-01T00:00:00Z'))).toBe('breached');
  });

  it('stays breached while paused after the due time', () => {
    const clock = SlaClock.start({ calendar: london }, 60, at('2026-01-05T09:00:00Z')).pause(at('2026-01-05T11:00:00Z'));
    expect(clock.status(at('2026-01-05T12:00:00Z'))).toBe('breached');
    expect(iso(clock.resume(at('2026-01-06T09:30:00Z')).dueAt)).toBe('2026-01-06T09:30:00Z');
  });

  describe('retarget after a priority change', () => {
    const settings = { calendar: london, warning: { minutesBefore: 30 } };
    const started = SlaClock.start(settings, 480, at('2026-01-05T09:00:00Z'));

    it('keeps the time spent under a shorter target', () => {
      const urgent = started.retarget(240, at('2026-01-05T11:00:00Z'));
      expect([urgent.targetMinutes, iso(urgent.dueAt), iso(urgent.warnAt)]).toEqual([
        240,
        '2026-01-05T13:00:00Z',
        '2026-01-05T12:30:00Z',
      ]);
      expect(urgent.spentMinutesAt(at('2026-01-05T11:00:00Z'))).toBe(120);
    });

    it('is due at once when the new target is already used up, not retroactively', () => {
      const urgent = started.retarget(60, at('2026-01-05T11:00:00Z'));
      expect(iso(urgent.dueAt)).toBe('2026-01-05T11:00:00Z');
      expect(urgent.status(at('2026-01-05T11:00:00Z'))).toBe('breached');
    });

    it('lifts a breach when a longer target still has time left', () => {
      const breached = SlaClock.start(settings, 60, at('2026-01-05T09:00:00Z'));
      expect(breached.status(at('2026-01-05T11:00:00Z'))).toBe('breached');
      const low = breached.retarget(480, at('2026-01-05T11:00:00Z'));
      expect([low.status(at('2026-01-05T11:00:00Z')), iso(low.dueAt)]).toEqual(['active', '2026-01-05T17:00:00Z']);
    });

    it('applies the new target on resume when changed while paused', () => {
      const paused = started.pause(at('2026-01-05T10:00:00Z')).retarget(120, at('2026-01-05T12:00:00Z'));
      expect(paused.dueAt).toBeNull();
      expect(iso(paused.resume(at('2026-01-06T09:00:00Z')).dueAt)).toBe('2026-01-06T10:00:00Z');
    });
  });

  it('continues identically after being stored and restored', () => {
    const settings = { calendar: london, warning: { percentElapsed: 50 } };
    const clock = SlaClock.start(settings, 300, at('2026-01-05T15:00:00Z')).pause(at('2026-01-05T16:00:00Z'));
    const restored = SlaClock.restore(settings, JSON.parse(JSON.stringify(clock.toState()), reviveDates));
    const now = at('2026-01-06T10:00:00Z');
    expect(restored.resume(now).toState()).toEqual(clock.resume(now).toState());
  });

  it('counts weekends and nights in calendar hours', () => {
    const clock = SlaClock.start({ calendar: CALENDAR_HOURS }, 24 * 60, at('2026-01-09T16:00:00Z'));
    expect(iso(clock.dueAt)).toBe('2026-01-10T16:00:00Z');
  });

  it('keeps counting real hours across a daylight saving change', () => {
    const berlin = weekdaysCalendar('Europe/Berlin', NINE_TO_FIVE);
    // Friday 2026-03-27 16:00 CET; paused over the weekend, in which clocks go forward; resumed Monday 09:00 CEST.
    const clock = SlaClock.start({ calendar: berlin }, 120, at('2026-03-27T15:00:00Z'))
      .pause(at('2026-03-27T15:30:00Z'))
      .resume(at('2026-03-30T07:00:00Z'));
    expect(iso(clock.dueAt)).toBe('2026-03-30T08:30:00Z');
  });

  it('rejects targets and warning rules that make no sense', () => {
    const now = at('2026-01-05T09:00:00Z');
    expect(() => SlaClock.start({ calendar: london }, -5, now)).toThrow(/targetMinutes/);
    expect(() => SlaClock.start({ calendar: london, warning: { percentElapsed: 120 } }, 60, now)).toThrow(/percentElapsed/);
    expect(() => SlaClock.start({ calendar: london, warning: { minutesBefore: NaN } }, 60, now)).toThrow(/minutesBefore/);
    expect(() => SlaClock.start({ calendar: london }, 60, now).retarget(-1, now)).toThrow(/targetMinutes/);
  });
});

/** The only strings in a stored clock are its instants. */
function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? new Date(value) : value;
}

describe('SlaClock properties', () => {
  const calendars: BusinessCalendar[] = [
    weekdaysCalendar('Europe/Berlin', WITH_LUNCH, ['2026-04-03', '2026-04-06', '2026-12-25']),
    weekdaysCalendar('America/New_York', NINE_TO_FIVE, ['2026-07-03', '2026-11-26']),
    weekdaysCalendar('Pacific/Kiritimati', NINE_TO_FIVE),
    weekdaysCalendar('Asia/Kathmandu', WITH_LUNCH),
    CALENDAR_HOURS,
  ];
  const settingsArbitrary: fc.Arbitrary<SlaClockSettings> = fc.record({
    calendar: fc.constantFrom(...calendars),
    warning: fc.record(
      { minutesBefore: fc.integer({ min: 0, max: 2000 }), percentElapsed: fc.integer({ min: 0, max: 100 }) },
      { requiredKeys: [] },
    ),
  });
  const startArbitrary = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms));
  const targetArbitrary = fc.integer({ min: 1, max: 5000 });
  const MINUTE_MS = 60_000;

  it('moves the due time by exactly the open time spent paused', () => {
    fc.assert(
      fc.property(
        settingsArbitrary,
        startArbitrary,
        targetArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (settings, start, target, pauseAtShare, pauseMinutes) => {
          const started = SlaClock.start(settings, target, start);
          const firstDueMs = (started.dueAt as Date).getTime();
          const pausedAt = new Date(start.getTime() + Math.floor((firstDueMs - start.getTime()) * pauseAtShare));
          const resumedAt = new Date(pausedAt.getTime() + pauseMinutes * MINUTE_MS);
          const resumed = started.pause(pausedAt).resume(resumedAt);
          expect((resumed.dueAt as Date).getTime()).toBeGreaterThanOrEqual(firstDueMs);
          const shift = businessMinutesBetween(settings.calendar, started.dueAt as Date, resumed.dueAt as Date);
          expect(shift).toBe(businessMinutesBetween(settings.calendar, pausedAt, resumedAt));
        },
      ),
      { numRuns: 150 },
    );
  });

  type Step = { kind: 'pause' | 'resume' | 'achieve' } | { kind: 'retarget'; targetMinutes: number };
  const stepArbitrary: fc.Arbitrary<{ step: Step; afterMinutes: number }> = fc.record({
    step: fc.oneof(
      fc.constantFrom<Step>({ kind: 'pause' }, { kind: 'resume' }, { kind: 'achieve' }),
      targetArbitrary.map((targetMinutes): Step => ({ kind: 'retarget', targetMinutes })),
    ),
    afterMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  });

  const stepsArbitrary = fc.array(stepArbitrary, { maxLength: 8 });

  it('keeps warnings inside the run and before the breach, and never loses spent time, whatever happens', () => {
    fc.assert(
      fc.property(settingsArbitrary, startArbitrary, targetArbitrary, stepsArbitrary, (settings, start, target, steps) => {
        let spent = 0;
        const expectConsistent = (clock: SlaClock, now: Date) => {
          expect([clock.runningSince, clock.pausedAt, clock.achievedAt].filter((date) => date !== null)).toHaveLength(1);
          if (clock.warnAt !== null) {
            expect(clock.warnAt.getTime()).toBeLessThanOrEqual((clock.dueAt as Date).getTime());
            expect(clock.warnAt.getTime()).toBeGreaterThanOrEqual((clock.runningSince as Date).getTime());
          }
          const spentNow = clock.spentMinutesAt(now);
          expect(spentNow).toBeGreaterThanOrEqual(spent);
          spent = spentNow;
          expect(clock.status(now) === 'breached').toBe(spentNow >= clock.targetMinutes);
        };
        let clock = SlaClock.start(settings, target, start);
        let now = start;
        expectConsistent(clock, now);
        for (const { step, afterMinutes } of steps) {
          now = new Date(now.getTime() + afterMinutes * MINUTE_MS);
          clock = step.kind === 'retarget' ? clock.retarget(step.targetMinutes, now) : clock[step.kind](now);
          expectConsistent(clock, now);
        }
      }),
      { numRuns: 150 },
    );
  });
});
