/** Working-day calendar: statutory holidays and 调休 (chinese-days), regional overlays, emergency windows. */
export {
  createCalendar,
  type Calendar,
  type CalendarCoverage,
  type DayInfo,
  type DayKind,
  type DueDate,
  type RegionOption,
} from "./calendar.ts";
export {
  parseCalendarConfig,
  regionApplies,
  isRegion,
  type CalendarConfig,
  type EmergencyWindow,
  type ExtraHoliday,
} from "./config.ts";
export { CalendarError, type CalendarErrorCode } from "./errors.ts";
export {
  addDays,
  addMonths,
  dayOfWeek,
  daysBetween,
  isLocalDate,
  laterOf,
  parseLocalDate,
  toShanghaiDate,
  type LocalDate,
} from "./local-date.ts";
export { officialCoverage, type Coverage } from "./official-data.ts";
