export {
  addBusinessMinutes,
  businessMinutesBetween,
  CALENDAR_HOURS,
  InvalidBusinessCalendarError,
  ISO_WEEKDAYS,
  validateBusinessCalendar,
} from './business-calendar';
export type { BusinessCalendar, IsoWeekday, OpenInterval } from './business-calendar';
export { SlaClock } from './sla-clock';
export type { SlaClockSettings, SlaClockState, SlaClockStatus, SlaWarningRule } from './sla-clock';
