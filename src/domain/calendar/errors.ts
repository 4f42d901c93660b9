import { CodedError } from "../errors.ts";

/** Why a calendar question could not be answered. */
export type CalendarErrorCode =
  | "CALENDAR_DATE_INVALID"
  | "CALENDAR_DAYS_INVALID"
  | "CALENDAR_REGION_INVALID"
  | "CALENDAR_CONFIG_INVALID";

export class CalendarError extends CodedError<CalendarErrorCode> {}
