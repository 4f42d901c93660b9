import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  CalendarError,
  createCalendar,
  parseCalendarConfig,
  type Calendar,
  type DayInfo,
  type DueDate,
} from "../../domain/calendar/index.ts";
import { UsageError, type CliIo } from "../io.ts";

const EXIT_DATAERR = 65; // sysexits.h: the --config file's content is not acceptable
const EXIT_NOINPUT = 66; // sysexits.h: the --config file cannot be read

const USAGE = [
  "usage: jiexu calendar due --from YYYY-MM-DD --days N [--region CODE] [--config FILE] [--json]",
  "       jiexu calendar workday YYYY-MM-DD [--region CODE] [--config FILE] [--json]",
].join("\n");

const OPTIONS = {
  from: { type: "string" },
  days: { type: "string" },
  region: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
} as const;

type Values = { from?: string; days?: string; region?: string; config?: string; json?: boolean };

const KIND_ZH: Record<DayInfo["kind"], string> = {
  workday: "工作日",
  "makeup-workday": "调休上班",
  weekend: "周末",
  holiday: "法定节假日",
  "regional-holiday": "地方节假日",
  "emergency-window": "应急期间（时限中止）",
};

/** Loads `--config` (emergency windows, regional holidays); a number means "exit with it". */
async function loadCalendar(file: string | undefined, io: CliIo): Promise<Calendar | number> {
  if (file === undefined) return createCalendar();
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    io.err(`jiexu calendar: cannot read ${file}: ${(err as Error).message}`);
    return EXIT_NOINPUT;
  }
  try {
    return createCalendar(parseCalendarConfig(JSON.parse(text)));
  } catch (err) {
    io.err(`jiexu calendar: ${file}: ${(err as Error).message}`);
    return EXIT_DATAERR;
  }
}

function parseDays(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`--days must be a whole number\n${USAGE}`);
  return Number(text);
}

function renderDue(result: DueDate, calendar: Calendar): string {
  const basis =
    result.calendarCoverage === "official"
      ? "official（国务院放假安排，chinese-days 数据）"
      : `extrapolated（超出官方数据范围 ${calendar.coverage.from}…${calendar.coverage.to}，按周一至周五推算）`;
  return `${result.due}\n日历依据 coverage: ${basis}`;
}

function renderDay(day: DayInfo): string {
  const name = day.name === undefined ? "" : ` ${day.name}`;
  const note = day.calendarCoverage === "extrapolated" ? "（超出官方数据范围，按周一至周五推算）" : "";
  return `${day.date} ${day.working ? "工作日 working day" : "非工作日 not a working day"}: ${KIND_ZH[day.kind]}${name}${note}`;
}

function due(values: Values, rest: string[], calendar: Calendar, io: CliIo): number {
  if (rest.length > 0 || values.from === undefined) throw new UsageError(USAGE);
  const result = calendar.addWorkingDays(values.from, parseDays(values.days), { region: values.region });
  io.out(values.json ? JSON.stringify(result) : renderDue(result, calendar));
  return 0;
}

function workday(values: Values, rest: string[], calendar: Calendar, io: CliIo): number {
  if (rest.length !== 1) throw new UsageError(USAGE);
  const day = calendar.describeDay(rest[0]!, { region: values.region });
  io.out(values.json ? JSON.stringify(day) : renderDay(day));
  return day.working ? 0 : 1;
}

/**
 * `jiexu calendar due|workday`: working-day deadlines (start day not counted, rest-day end
 * moved to the next working day) and working-day questions, with `--config` regional data.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [sub, ...rest] = positionals;
  if (sub !== "due" && sub !== "workday") throw new UsageError(USAGE);
  const calendar = await loadCalendar(values.config, io);
  if (typeof calendar === "number") return calendar;
  try {
    return sub === "due" ? due(values, rest, calendar, io) : workday(values, rest, calendar, io);
  } catch (err) {
    // Dates, day counts and regions come from the command line: a bad one is a usage mistake.
    if (err instanceof CalendarError) throw new UsageError(`${err.message}\n${USAGE}`);
    throw err;
  }
}
