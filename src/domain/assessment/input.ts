import { isLocalDate } from "../calendar/index.ts";
import { AssessmentError } from "./errors.ts";
import { provinceOf } from "./hukou.ts";
import type { AssessmentInput, HistoryEntry, HukouChange } from "./types.ts";

type Problem = { path: string; message: string };

const DIVISION = /^\d{6}$/;
const TOP_KEYS = [
  "hukouProvince",
  "currentProvince",
  "gender",
  "birthDate",
  "moveDate",
  "approvedTransfer",
  "history",
  "hukouHistory",
  "benefitAgeDate",
];
const ENTRY_KEYS = ["region", "months", "temporaryAccount"];
const HUKOU_KEYS = ["province", "from"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Unknown keys are rejected so a typo ("hukou") cannot silently fall back to a default.
function checkKeys(record: Record<string, unknown>, allowed: string[], base: string, problems: Problem[]): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) problems.push({ path: `${base}/${key}`, message: "unknown property" });
  }
}

function checkDivision(value: unknown, path: string, problems: Problem[]): void {
  if (typeof value !== "string" || !DIVISION.test(value)) {
    problems.push({ path, message: "must be a 6-digit GB/T 2260 division code such as 440000" });
  }
}

function checkEntry(entry: unknown, path: string, problems: Problem[]): void {
  if (!isObject(entry)) {
    problems.push({ path, message: "must be an object { region, months, temporaryAccount }" });
    return;
  }
  checkKeys(entry, ENTRY_KEYS, path, problems);
  checkDivision(entry.region, `${path}/region`, problems);
  if (typeof entry.months !== "number" || !Number.isInteger(entry.months) || entry.months < 0) {
    problems.push({ path: `${path}/months`, message: "must be a non-negative whole number of months" });
  }
  if (entry.temporaryAccount !== undefined && typeof entry.temporaryAccount !== "boolean") {
    problems.push({ path: `${path}/temporaryAccount`, message: "must be true or false" });
  }
}

function checkDates(input: Record<string, unknown>, problems: Problem[]): void {
  if (!isLocalDate(input.birthDate)) problems.push({ path: "/birthDate", message: "must be a real date YYYY-MM-DD" });
  if (!isLocalDate(input.moveDate)) problems.push({ path: "/moveDate", message: "must be a real date YYYY-MM-DD" });
  else if (isLocalDate(input.birthDate) && input.moveDate < input.birthDate) {
    problems.push({ path: "/moveDate", message: "must not precede birthDate" });
  }
}

function checkBenefitAgeDate(input: Record<string, unknown>, problems: Problem[]): void {
  if (input.benefitAgeDate === undefined) return;
  if (!isLocalDate(input.benefitAgeDate)) {
    problems.push({ path: "/benefitAgeDate", message: "must be a real date YYYY-MM-DD" });
  } else if (isLocalDate(input.birthDate) && input.benefitAgeDate < input.birthDate) {
    problems.push({ path: "/benefitAgeDate", message: "must not precede birthDate" });
  }
}

function checkHukouChange(change: unknown, path: string, previous: unknown, problems: Problem[]): void {
  if (!isObject(change)) {
    problems.push({ path, message: "must be an object { province, from }" });
    return;
  }
  checkKeys(change, HUKOU_KEYS, path, problems);
  checkDivision(change.province, `${path}/province`, problems);
  if (!isLocalDate(change.from)) problems.push({ path: `${path}/from`, message: "must be a real date YYYY-MM-DD" });
  else if (isLocalDate(previous) && change.from <= previous) {
    problems.push({ path: `${path}/from`, message: "must be later than the previous entry's from (oldest first)" });
  }
}

/**
 * The history must end in the present 户籍 and reach back to the days it is read on
 * (the move, and benefit age when given): before its first entry the 户籍 is unknown.
 */
function checkHukouCoverage(input: Record<string, unknown>, changes: unknown[], problems: Problem[]): void {
  const first = changes[0] as Record<string, unknown>;
  const last = changes.at(-1) as Record<string, unknown>;
  const hukou = input.hukouProvince;
  if (
    typeof last.province === "string" &&
    typeof hukou === "string" &&
    provinceOf(last.province) !== provinceOf(hukou)
  ) {
    problems.push({
      path: `/hukouHistory/${changes.length - 1}/province`,
      message: "must be in the province of hukouProvince (the present 户籍)",
    });
  }
  if (!isLocalDate(first.from)) return;
  for (const key of ["moveDate", "benefitAgeDate"]) {
    if (isLocalDate(input[key]) && first.from > input[key]) {
      problems.push({ path: "/hukouHistory/0/from", message: `must not be after ${key}: give the 户籍 held then` });
    }
  }
}

function checkHukouHistory(input: Record<string, unknown>, problems: Problem[]): void {
  const changes = input.hukouHistory;
  if (changes === undefined) return;
  if (!Array.isArray(changes) || changes.length === 0) {
    problems.push({ path: "/hukouHistory", message: "must be a non-empty array { province, from }, oldest first" });
    return;
  }
  const before = problems.length;
  for (const [i, change] of changes.entries()) {
    const previous = i > 0 && isObject(changes[i - 1]) ? (changes[i - 1] as Record<string, unknown>).from : undefined;
    checkHukouChange(change, `/hukouHistory/${i}`, previous, problems);
  }
  if (problems.length === before) checkHukouCoverage(input, changes, problems);
}

function collectProblems(input: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  checkKeys(input, TOP_KEYS, "", problems);
  checkDivision(input.hukouProvince, "/hukouProvince", problems);
  checkDivision(input.currentProvince, "/currentProvince", problems);
  if (input.gender !== "male" && input.gender !== "female")
    problems.push({ path: "/gender", message: 'must be "male" or "female"' });
  checkDates(input, problems);
  checkBenefitAgeDate(input, problems);
  checkHukouHistory(input, problems);
  if (input.approvedTransfer !== undefined && typeof input.approvedTransfer !== "boolean") {
    problems.push({ path: "/approvedTransfer", message: "must be true or false" });
  }
  if (!Array.isArray(input.history))
    problems.push({ path: "/history", message: "must be an array, oldest stay first" });
  else for (const [i, e] of input.history.entries()) checkEntry(e, `/history/${i}`, problems);
  return problems;
}

/**
 * Validates raw JSON against the `jiexu assess` contract. Optional flags default to false;
 * `hukouHistory` and `benefitAgeDate` stay absent when not given.
 * Throws `ASSESSMENT_INPUT_INVALID` with every problem in `details.problems`.
 */
export function parseAssessmentInput(raw: unknown): AssessmentInput {
  if (!isObject(raw)) {
    const problems = [{ path: "", message: "must be a JSON object" }];
    throw new AssessmentError("ASSESSMENT_INPUT_INVALID", "assessment input must be a JSON object", {
      details: { problems },
    });
  }
  const problems = collectProblems(raw);
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.path || "/"} ${p.message}`).join("; ");
    throw new AssessmentError("ASSESSMENT_INPUT_INVALID", `assessment input invalid: ${summary}`, {
      details: { problems },
    });
  }
  const history = (raw.history as Record<string, unknown>[]).map(
    (e): HistoryEntry => ({
      region: e.region as string,
      months: e.months as number,
      temporaryAccount: e.temporaryAccount === true,
    }),
  );
  const parsed: AssessmentInput = {
    ...(raw as unknown as AssessmentInput),
    approvedTransfer: raw.approvedTransfer === true,
    history,
  };
  if (Array.isArray(raw.hukouHistory)) {
    parsed.hukouHistory = (raw.hukouHistory as Record<string, unknown>[]).map(
      (c): HukouChange => ({ province: c.province as string, from: c.from as string }),
    );
  }
  return parsed;
}
