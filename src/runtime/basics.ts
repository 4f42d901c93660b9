import { randomUUID } from "node:crypto";
import type { Clock, IdSource, Logger } from "../usecases/index.ts";
import { maskIdNumbersIn } from "../domain/identifiers/index.ts";

export const systemClock: Clock = { now: () => new Date() };

/** Ids: readable prefix + random UUID (v4). */
export const uuidIds: IdSource = { newId: (prefix) => `${prefix}-${randomUUID()}` };

/**
 * Structured JSON lines on stderr; 公民身份号码 in any field are masked before they leave the process.
 * Strings are masked before serialising (JSON would turn a newline or tab splitting a number into
 * `\n`/`\t`), and the whole line after (keys, numbers).
 */
export function jsonLogger(write: (line: string) => void = writeStderrLine, clock: Clock = systemClock): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      const entry: Record<string, unknown> = { time: clock.now().toISOString(), level, event, ...fields };
      write(maskIdNumbersIn(maskedFlat(entry) ? JSON.stringify(entry) : JSON.stringify(entry, maskStrings)));
    };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

const maskStrings = (_key: string, value: unknown) => (typeof value === "string" ? maskIdNumbersIn(value) : value);

/**
 * Masks the strings of an entry whose values are primitives or arrays of primitives (in place: the entry is the
 * logger's own; arrays are copied) and says so; an entry holding anything else is left to the replacer above. The
 * same text either way: for such an entry the replacer only masks each string (test/runtime/json-logger.test.ts
 * compares the two). It saves a replacer call per member on every access-log line (issue 12 item 1).
 */
function maskedFlat(entry: Record<string, unknown>): boolean {
  const keys = Object.keys(entry);
  for (const key of keys) {
    const value = entry[key];
    // An own `__proto__` member (JSON.parse makes one): assigning it below would not replace it.
    if (key === "__proto__" || (typeof value === "object" && value !== null && !primitiveArray(value))) return false;
  }
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === "string") entry[key] = maskIdNumbersIn(value);
    else if (Array.isArray(value)) entry[key] = value.map((v) => (typeof v === "string" ? maskIdNumbersIn(v) : v));
  }
  return true;
}

function primitiveArray(value: object): boolean {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype || Object.hasOwn(value, "toJSON"))
    return false;
  for (const v of value) if (typeof v === "object" && v !== null) return false;
  return true;
}

let pending: string[] = [];
let flushScheduled = false;
let flushOnExit = false;

/**
 * Log lines reach stderr once per event-loop turn, in one write (issue 12 item 4): stderr on a pipe or a
 * file is written synchronously, and a write per access-log line cost the ingest path ~20 µs of its
 * request. The last turn's lines are written on exit; only a kill -9 can lose them.
 */
function writeStderrLine(line: string): void {
  pending.push(line);
  if (flushScheduled) return;
  if (!flushOnExit) process.once("exit", flushStderr);
  flushOnExit = true;
  flushScheduled = true;
  setImmediate(flushStderr);
}

function flushStderr(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const text = pending.join("\n") + "\n";
  pending = [];
  process.stderr.write(text);
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
