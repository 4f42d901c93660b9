import { readFile } from "node:fs/promises";
import {
  CalendarError,
  createCalendar,
  parseCalendarConfig,
  type Calendar,
  type DayInfo,
  type DueDate,
} from "../../domain/calendar/index.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { parseCommand, runGroup, usageText, type CommandSpec, type GroupSpec } from "../spec.ts";

const OPTIONS = {
  region: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
} as const;

const COMMON_HELP = [
  ["--region CODE", "a GB/T 2260 region whose regional holidays count too"],
  ["--config FILE", "the gateway's calendar configuration (emergency windows, regional holidays)"],
  ["--json", "print the answer as JSON"],
] as const;

const CONFIG_EXITS = [
  [EXIT.DATAERR, "the --config file is not acceptable"],
  [EXIT.NOINPUT, "the --config file cannot be read"],
] as const;

const DUE_SPEC = {
  name: "calendar due",
  usage: ["calendar due --from YYYY-MM-DD --days N [--region CODE] [--config FILE] [--json]"],
  about: [
    "The due date N working days after --from: the start day is not counted, an end on a rest day moves to",
    "the next working day; statutory holidays and 调休 from chinese-days, then Monday–Friday.",
  ],
  options: { ...OPTIONS, from: { type: "string" }, days: { type: "string" } },
  optionHelp: [["--from DATE", "the start day (YYYY-MM-DD)"], ["--days N", "working days to add"], ...COMMON_HELP],
  exits: [[EXIT.OK, "the due date is printed"], ...CONFIG_EXITS],
} satisfies CommandSpec;

const WORKDAY_SPEC = {
  name: "calendar workday",
  usage: ["calendar workday YYYY-MM-DD [--region CODE] [--config FILE] [--json]"],
  about: ["Whether a day is a working day, and why (weekend, 法定节假日, 调休上班, regional holiday, emergency)."],
  options: OPTIONS,
  optionHelp: COMMON_HELP,
  positionals: { min: 1, max: 1, name: "YYYY-MM-DD" },
  exits: [[EXIT.OK, "a working day"], [EXIT.FAILED, "not a working day"], ...CONFIG_EXITS],
} satisfies CommandSpec;

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
    return EXIT.NOINPUT;
  }
  try {
    return createCalendar(parseCalendarConfig(JSON.parse(text)));
  } catch (err) {
    io.err(`jiexu calendar: ${file}: ${(err as Error).message}`);
    return EXIT.DATAERR;
  }
}

function parseDays(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError(`--days must be a whole number\n${usageText(DUE_SPEC)}`);
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

async function due(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(DUE_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (values.from === undefined) throw new UsageError(`--from is required\n${usageText(DUE_SPEC)}`);
  const days = parseDays(values.days);
  return withCalendar(values.config, io, (calendar) => {
    const result = calendar.addWorkingDays(values.from!, days, { region: values.region });
    io.out(values.json ? JSON.stringify(result) : renderDue(result, calendar));
    return EXIT.OK;
  });
}

async function workday(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(WORKDAY_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  return withCalendar(values.config, io, (calendar) => {
    const day = calendar.describeDay(positionals[0]!, { region: values.region });
    io.out(values.json ? JSON.stringify(day) : renderDay(day));
    return day.working ? EXIT.OK : EXIT.FAILED;
  });
}

async function withCalendar(file: string | undefined, io: CliIo, answer: (c: Calendar) => number): Promise<number> {
  const calendar = await loadCalendar(file, io);
  if (typeof calendar === "number") return calendar;
  try {
    return answer(calendar);
  } catch (err) {
    // Dates, day counts and regions come from the command line: a bad one is a usage mistake.
    if (err instanceof CalendarError) throw new UsageError(err.message);
    throw err;
  }
}

const GROUP: GroupSpec = {
  name: "calendar",
  about: ["Working-day deadlines and working-day questions (start day not counted, rest-day end moved on)."],
  subcommands: { due: { spec: DUE_SPEC, run: due }, workday: { spec: WORKDAY_SPEC, run: workday } },
};

/** `jiexu calendar due|workday`: working-day deadlines and questions, with `--config` regional data. */
export async function run(args: string[], io: CliIo): Promise<number> {
  return runGroup(GROUP, args, io);
}
