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
export function jsonLogger(
  write: (line: string) => void = (l) => process.stderr.write(l + "\n"),
  clock: Clock = systemClock,
): Logger {
  const maskStrings = (_key: string, value: unknown) => (typeof value === "string" ? maskIdNumbersIn(value) : value);
  const emit =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      write(maskIdNumbersIn(JSON.stringify({ time: clock.now().toISOString(), level, event, ...fields }, maskStrings)));
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
