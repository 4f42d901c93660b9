import { readFile } from "node:fs/promises";
import {
  isDocumentType,
  isSealedDocument,
  validateDocument,
  validateSealedDocument,
  type DocumentProblemCode,
  type DocumentType,
  type Problem,
  type ValidationResult,
} from "../../domain/documents/index.ts";
import { parseCalendarConfig, type EmergencyWindow } from "../../domain/calendar/index.ts";
import { EXIT, type CliIo } from "../io.ts";
import { parseCommand, type CommandSpec } from "../spec.ts";

/**
 * `jiexu check FILE.json [FILE.json…] [--json]` (issue 3 item 7): validate documents (envelope, schema,
 * business rules) before going live. Files are checked together, so a fund-transfer reconciles with
 * the insurance-record of the same case given alongside. `--calendar FILE` reads the declared emergency windows
 * (the gateway's calendar configuration, as `jiexu calendar --config`) that emergency-deferred rows need.
 */
export const SPEC = {
  name: "check",
  usage: ["check FILE.json [FILE.json…] [--calendar FILE] [--json]"],
  about: [
    "Validate transfer documents (envelope, schema, business rules, money rules) before going live. A file",
    "may be a bare document or the gateway's sealed-document JSON { document, seal }. Files given together",
    "are checked together: a fund-transfer reconciles with the insurance-record of the same case.",
  ],
  options: {
    json: { type: "boolean", default: false },
    calendar: { type: "string" },
  },
  optionHelp: [
    ["--calendar FILE", "the gateway's calendar configuration: the emergency windows deferred rows need"],
    ["--json", "print { valid, problems } as JSON"],
  ],
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: "FILE.json" },
  exits: [
    [EXIT.OK, "every document is valid"],
    [EXIT.FAILED, "a document is invalid"],
    [EXIT.DATAERR, "a file is not JSON, or the --calendar file is not acceptable"],
    [EXIT.NOINPUT, "a file (or the --calendar file) cannot be read"],
  ],
} satisfies CommandSpec;

/** Codes of the command itself, for files that never reach validation. */
export type CheckProblemCode = DocumentProblemCode | "FILE_UNREADABLE" | "JSON_INVALID";

export interface CheckProblem {
  file: string;
  code: CheckProblemCode;
  path: string;
  message: string;
  severity: Problem["severity"];
}

type Loaded = { file: string; value: unknown; document?: unknown } | { file: string; failure: CheckProblem };

export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values, positionals } = parsed;
  const windows = await loadWindows(values.calendar, io);
  if (typeof windows === "number") return windows;
  const loaded = await Promise.all(positionals.map(load));
  const results = checkAll(loaded, new Date(), windows);
  const valid = results.every((r) => r.valid);
  io.out(values.json ? renderJson(valid, results) : renderHuman(results));
  return exitOf(results);
}

/** A file that could not be checked says more than a verdict: unreadable 66, not JSON 65, else invalid 1. */
function exitOf(results: FileResult[]): number {
  const codes = new Set(results.flatMap((r) => r.problems.map((p) => p.code)));
  if (codes.has("FILE_UNREADABLE")) return EXIT.NOINPUT;
  if (codes.has("JSON_INVALID")) return EXIT.DATAERR;
  return results.every((r) => r.valid) ? EXIT.OK : EXIT.FAILED;
}

/** The emergency windows of `--calendar`; a number means "exit with it". */
async function loadWindows(file: string | undefined, io: CliIo): Promise<readonly EmergencyWindow[] | number> {
  if (file === undefined) return [];
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    io.err(`jiexu check: cannot read ${file}: ${(err as Error).message}`);
    return EXIT.NOINPUT;
  }
  try {
    return parseCalendarConfig(JSON.parse(text)).emergencyWindows ?? [];
  } catch (err) {
    io.err(`jiexu check: ${file}: ${(err as Error).message}`);
    return EXIT.DATAERR;
  }
}

async function load(file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return { file, failure: failure(file, "FILE_UNREADABLE", `无法读取文件：${(err as Error).message}`) };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { file, value, document: isSealedDocument(value) ? value.document : value };
  } catch (err) {
    return { file, failure: failure(file, "JSON_INVALID", `不是有效的 JSON：${(err as Error).message}`) };
  }
}

function failure(file: string, code: CheckProblemCode, message: string): CheckProblem {
  return { file, code, path: "", message, severity: "error" };
}

type FileResult = { file: string; valid: boolean; problems: CheckProblem[]; summary?: string };

/** Each file is validated with every other file's document as related material. */
function checkAll(loaded: Loaded[], now: Date, emergencyWindows: readonly EmergencyWindow[]): FileResult[] {
  return loaded.map((entry, i) => {
    if ("failure" in entry) return { file: entry.file, valid: false, problems: [entry.failure] };
    const related = loaded.flatMap((other, j) => (j !== i && "document" in other ? [other.document] : []));
    const validate = isSealedDocument(entry.value) ? validateSealedDocument : validateDocument;
    const result: ValidationResult = validate(entry.value, { now, related, emergencyWindows });
    const problems = result.problems.map((p) => ({ file: entry.file, ...p }));
    return { file: entry.file, valid: result.valid, problems, summary: describeDocument(entry.document) };
  });
}

function renderJson(valid: boolean, results: FileResult[]): string {
  const problems = results
    .flatMap((r) => r.problems)
    .map(({ code, path, message, severity, file }) => ({ code, path, message, severity, file }));
  return JSON.stringify({ valid, problems }, null, 2);
}

/** Every document type has its zh-CN name (the compiler asks for one when a type is added). */
const TYPE_NAMES: Record<DocumentType, string> = {
  "contact-letter": "联系函",
  "insurance-record": "信息表",
  "fund-transfer": "基金划转",
  completion: "办结通知",
  return: "退回通知",
  discrepancy: "核对不符通知",
  "contribution-voucher": "参保缴费凭证",
  receipt: "传输回执",
  "business-receipt": "业务回执",
};

function describeDocument(doc: unknown): string | undefined {
  if (typeof doc !== "object" || doc === null) return undefined;
  const { type, id } = doc as { type?: unknown; id?: unknown };
  const name = typeof type === "string" ? (isDocumentType(type) ? TYPE_NAMES[type] : type) : "文书";
  return typeof id === "string" ? `${name} ${id}` : name;
}

/** Plain zh-CN lines for agency staff: one verdict per file, then each problem with its location. */
function renderHuman(results: FileResult[]): string {
  const lines = results.flatMap((r) => {
    const errors = r.problems.filter((p) => p.severity === "error").length;
    const warnings = r.problems.length - errors;
    const what = r.summary ? `（${r.summary}）` : "";
    const head = r.valid
      ? `✓ ${r.file}${what}：通过${warnings ? `，${warnings} 个提示` : ""}`
      : `✗ ${r.file}${what}：未通过，${errors} 个错误${warnings ? `，${warnings} 个提示` : ""}`;
    return [head, ...r.problems.map(renderProblem)];
  });
  if (results.length > 1) {
    const passed = results.filter((r) => r.valid).length;
    lines.push(`共 ${results.length} 个文件：${passed} 个通过，${results.length - passed} 个未通过`);
  }
  return lines.join("\n");
}

function renderProblem(p: CheckProblem): string {
  const level = p.severity === "error" ? "错误" : "提示";
  return `  [${level}] ${p.code} ${p.path || "/"}\n         ${p.message}`;
}
