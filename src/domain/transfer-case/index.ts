/** The transfer case as a pure decider: both sides' views, legal deadlines, coded refusals. */
export {
  createCaseDecider,
  DEFAULT_PRIORITY_TARGET_WORKING_DAYS,
  STATUTORY_STEP_WORKING_DAYS,
  type CaseDecider,
  type CaseDeciderOptions,
  type Decider,
} from "./decider.ts";
export { isOverdue, openDeadlines, upgradeState, type DeadlinePolicy, type OpenDeadline } from "./deadlines.ts";
export { toPriority } from "./facts.ts";
export { evolve } from "./evolve.ts";
export {
  commandForDocument,
  type CaseDocument,
  type Direction,
  type DocumentContext,
  type DocumentType,
} from "./documents.ts";
export { CaseError, type CaseErrorCode } from "./errors.ts";
export { documentProgress, type DocumentProgress } from "./progress.ts";
export type * from "./commands.ts";
export type * from "./events.ts";
export * from "./types.ts";
