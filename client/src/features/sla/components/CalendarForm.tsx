import { useState } from 'react';
import type { CalendarDto, CreateCalendarRequest, OpenIntervalDto, WeeklySchedule } from '../../../../../contracts/sla';
import { ApiError, errorMessage } from '../../../api/client';
import { createCalendar, deleteCalendar, updateCalendar } from '../api/sla.api';
import { useSlaChange } from '../hooks/useSla';

const WEEKDAYS = [
  [1, 'Monday'],
  [2, 'Tuesday'],
  [3, 'Wednesday'],
  [4, 'Thursday'],
  [5, 'Friday'],
  [6, 'Saturday'],
  [7, 'Sunday'],
] as const;
const OFFICE_HOURS: OpenIntervalDto[] = [{ start: '09:00', end: '17:00' }];
const TIME_ZONES = Intl.supportedValuesOf('timeZone');

type Draft = Required<CreateCalendarRequest>;

function draftOf(calendar: CalendarDto | null): Draft {
  if (calendar) return { name: calendar.name, timeZone: calendar.timeZone, weekly: calendar.weekly, holidays: calendar.holidays };
  const weekly: WeeklySchedule = { 1: OFFICE_HOURS, 2: OFFICE_HOURS, 3: OFFICE_HOURS, 4: OFFICE_HOURS, 5: OFFICE_HOURS, 6: [], 7: [] };
  return { name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, weekly, holidays: [] };
}

/** Edits one business calendar: its time zone, open intervals per weekday (several a day) and closed days. */
export function CalendarForm({ calendar, onDone }: { calendar: CalendarDto | null; onDone: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(calendar));
  const [holiday, setHoliday] = useState('');
  const save = useSlaChange((value: Draft) => (calendar ? updateCalendar(calendar.id, value) : createCalendar(value)));
  const remove = useSlaChange(deleteCalendar);
  const setDay = (day: keyof WeeklySchedule, intervals: OpenIntervalDto[]) => setDraft({ ...draft, weekly: { ...draft.weekly, [day]: intervals } });
  const error = save.error ?? remove.error;
  const weeklyError = error instanceof ApiError ? error.body.fields?.filter((field) => field.field.startsWith('weekly')).map((field) => field.message) : undefined;

  return (
    <form
      className="sla-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, { onSuccess: onDone });
      }}
    >
      <label className="sla-form__field">
        Name <input value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} required data-testid="calendar-name" />
      </label>
      <label className="sla-form__field">
        Time zone
        <input list="sla-time-zones" value={draft.timeZone} onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })} required />
        <datalist id="sla-time-zones">
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>

      <fieldset>
        <legend>Open hours</legend>
        {WEEKDAYS.map(([day, label]) => (
          <div key={day} className="sla-form__day">
            <span className="sla-form__day-name">{label}</span>
            {draft.weekly[day].length === 0 && <span className="muted">Closed</span>}
            {draft.weekly[day].map((interval, index) => (
              <span key={index} className="sla-form__interval">
                <input
                  type="time"
                  aria-label={`${label} opens`}
                  value={interval.start}
                  onChange={(event) => setDay(day, draft.weekly[day].map((entry, at) => (at === index ? { ...entry, start: event.target.value } : entry)))}
                />
                –
                <input
                  type="time"
                  aria-label={`${label} closes`}
                  value={interval.end === '24:00' ? '23:59' : interval.end}
                  onChange={(event) => setDay(day, draft.weekly[day].map((entry, at) => (at === index ? { ...entry, end: event.target.value } : entry)))}
                />
                <button type="button" className="button button--small" aria-label={`Remove ${label} interval`} onClick={() => setDay(day, draft.weekly[day].filter((_, at) => at !== index))}>
                  ×
                </button>
              </span>
            ))}
            <button type="button" className="button button--small" onClick={() => setDay(day, [...draft.weekly[day], { start: '13:00', end: '17:00' }])}>
              + interval
            </button>
          </div>
        ))}
        {weeklyError?.map((message) => (
          <p key={message} className="form-error">
            {message}
          </p>
        ))}
      </fieldset>

      <fieldset>
        <legend>Holidays (closed all day)</legend>
        <ul className="sla-form__holidays">
          {draft.holidays.map((date) => (
            <li key={date}>
              {date}{' '}
              <button type="button" className="button button--small" aria-label={`Remove ${date}`} onClick={() => setDraft({ ...draft, holidays: draft.holidays.filter((entry) => entry !== date) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input type="date" aria-label="Holiday" value={holiday} onChange={(event) => setHoliday(event.target.value)} />
        <button
          type="button"
          className="button button--small"
          disabled={!holiday || draft.holidays.includes(holiday)}
          onClick={() => {
            setDraft({ ...draft, holidays: [...draft.holidays, holiday].sort() });
            setHoliday('');
          }}
        >
          Add holiday
        </button>
      </fieldset>

      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <div className="sla-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="calendar-save">
          {calendar ? 'Save calendar' : 'Add calendar'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        {calendar && (
          <button type="button" className="button button--danger" onClick={() => remove.mutate(calendar.id, { onSuccess: onDone })}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
