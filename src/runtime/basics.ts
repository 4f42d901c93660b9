import { randomUUID } from "node:crypto";
import type { Clock, IdSource, Logger } from "../usecases/index.ts";
import { maskIdNumbersIn, mayHoldIdNumber } from "../domain/identifiers/index.ts";

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
      const entry = { time: clock.now().toISOString(), level, event, ...fields };
      const plain = JSON.stringify(entry);
      write(nothingToMask(plain) ? plain : maskIdNumbersIn(JSON.stringify(entry, maskStrings)));
    };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

const maskStrings = (_key: string, value: unknown) => (typeof value === "string" ? maskIdNumbersIn(value) : value);

/**
 * Whether the masked line would be `line` itself: with no escape in it, every string of the entry stands in the line
 * as it is, so a run the masking would touch in a string stands in the line too; and the line has none. Most lines
 * (every access-log line) then cost one stringify and one scan instead of a replacer call per member and a mask per
 * string (issue 12). test/runtime/json-logger.test.ts compares the two ways.
 */
function nothingToMask(line: string): boolean {
  return !line.includes("\\") && !mayHoldIdNumber(line);
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
