import { isLocalDate } from "../calendar/index.ts";
import { AssessmentError } from "./errors.ts";
import type { AssessmentInput, HistoryEntry } from "./types.ts";

type Problem = { path: string; message: string };

const DIVISION = /^\d{6}$/;
const TOP_KEYS = ["hukouProvince", "currentProvince", "gender", "birthDate", "moveDate", "approvedTransfer", "history"];
const ENTRY_KEYS = ["region", "months", "temporaryAccount"];

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

function collectProblems(input: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  checkKeys(input, TOP_KEYS, "", problems);
  checkDivision(input.hukouProvince, "/hukouProvince", problems);
  checkDivision(input.currentProvince, "/currentProvince", problems);
  if (input.gender !== "male" && input.gender !== "female")
    problems.push({ path: "/gender", message: 'must be "male" or "female"' });
  checkDates(input, problems);
  if (input.approvedTransfer !== undefined && typeof input.approvedTransfer !== "boolean") {
    problems.push({ path: "/approvedTransfer", message: "must be true or false" });
  }
  if (!Array.isArray(input.history))
    problems.push({ path: "/history", message: "must be an array, oldest stay first" });
  else for (const [i, e] of input.history.entries()) checkEntry(e, `/history/${i}`, problems);
  return problems;
}

/**
 * Validates raw JSON against the `jiexu assess` contract. Optional flags default to false.
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
  return { ...(raw as unknown as AssessmentInput), approvedTransfer: raw.approvedTransfer === true, history };
}
