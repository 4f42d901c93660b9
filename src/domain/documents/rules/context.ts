import type { EmergencyWindow } from "../../calendar/index.ts";
import type { Problem } from "../problems.ts";
import type { Document } from "../types.ts";

/** What every business rule may read besides the document: the time, the case's other documents, the windows. */
export interface RuleContext {
  now: Date;
  /** Calendar date at `now` in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
  /** Calendar month at `now` in Asia/Shanghai, YYYY-MM. */
  currentMonth: string;
  /** Other documents, already known to conform to their schemas. */
  related: Document[];
  /** Declared emergency windows (人社厅明电〔2020〕7号), for emergency-deferred contribution rows. */
  emergencyWindows: readonly EmergencyWindow[];
}

/** A business rule: pure, total on conforming documents, returning its problems (none when satisfied). */
export type Rule = (doc: Document, ctx: RuleContext) => Problem[];

/** Asia/Shanghai is UTC+8 all year (no DST since 1991), so a fixed offset is exact for our dates. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export function shanghaiDate(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function ruleContext(
  now: Date,
  related: Document[],
  emergencyWindows: readonly EmergencyWindow[] = [],
): RuleContext {
  const today = shanghaiDate(now);
  return { now, today, currentMonth: today.slice(0, 7), related, emergencyWindows };
}
